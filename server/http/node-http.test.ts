import { ApiResponse } from '../../core/http/api-response.ts';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Router } from '../../core/http/router.ts';
import { jsonResponse } from '../../core/http/response.ts';
import { type NodeHttpServer, startNodeHttp } from './node-http.ts';

let server: NodeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function router() {
  const r = new Router({ defaultAclPolicy: () => 'allow', devMode: false, uiEnabled: false });
  r.register('/v1/echo', ['PUT'], async (ctx) => jsonResponse({ got: new TextDecoder().decode(await ctx.readBody(10)) }, { pretty: false }));
  r.register('/v1/big', ['GET'], () => jsonResponse({ s: 'x'.repeat(5000) }, { pretty: false }));
  r.register('/v1/wait', ['GET'], (ctx) => new Promise<ApiResponse>((resolve) => ctx.request.signal.addEventListener('abort', () => resolve(new ApiResponse(200, 'aborted')))));
  return r;
}

async function start(maxConnsPerClient = 200) {
  const r = router();
  server = await startNodeHttp((req, ip) => r.handle(req, ip), { host: '127.0.0.1', port: 0, maxConnsPerClient, gzipMinSize: 1400 });
  return `http://127.0.0.1:${server.address.port}`;
}

describe('Node HTTP adapter', () => {
  it('serves the core handler over a real socket, bodies included', async () => {
    const base = await start();
    const res = await fetch(`${base}/v1/echo`, { method: 'PUT', body: 'hello' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: 'hello' });
    const tooBig = await fetch(`${base}/v1/echo`, { method: 'PUT', body: 'x'.repeat(100) });
    expect(tooBig.status).toBe(413);
    const missing = await fetch(`${base}/v1/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-consul-default-acl-policy')).toBe('allow');
  });

  it('gzips large responses for clients that accept it', async () => {
    const base = await start();
    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      httpRequest(`${base}/v1/big`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(raw.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(raw.body).toString()).s.length).toBe(5000);
  });

  it('aborts the request when the client disconnects', async () => {
    const base = await start();
    const controller = new AbortController();
    const pending = fetch(`${base}/v1/wait`, { signal: controller.signal }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('refuses connections beyond the per-client cap with 429', async () => {
    const base = await start(1);
    const port = Number(new URL(base).port);
    const first = connect(port, '127.0.0.1');
    await new Promise((r) => first.once('connect', r));
    const reply = await new Promise<string>((resolve) => {
      const second = connect(port, '127.0.0.1');
      let data = '';
      second.on('data', (d) => (data += d));
      second.on('close', () => resolve(data));
    });
    first.destroy();
    expect(reply).toContain('429 Too Many Requests');
  });
});
