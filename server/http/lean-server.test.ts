import type { ApiResponse } from '../../core/http/api-response.ts';
import { spawn } from 'node:child_process';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonResponse, textResponse } from '../../core/http/response.ts';
import { Router } from '../../core/http/router.ts';
import { type NodeHttpOptions, type NodeHttpServer, startNodeHttp } from './node-http.ts';

// The agent's own HTTP/1.1 server, over real sockets: framing, errors, pipelining, and blocking
// queries parked and released in shared groups.

let server: NodeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A watched value with an index, like a KV key: `bump` changes it and wakes the waiters. */
function watched() {
  let index = 5;
  let wake: Array<() => void> = [];
  let calls = 0;
  let aborted = 0;
  return {
    get calls() {
      return calls;
    },
    get aborted() {
      return aborted;
    },
    bump() {
      index++;
      const w = wake;
      wake = [];
      for (const f of w) f();
    },
    router() {
      const r = new Router({ defaultAclPolicy: () => 'allow', devMode: false, uiEnabled: false });
      r.register('/v1/echo', ['PUT', 'POST'], async (ctx) => jsonResponse({ got: new TextDecoder().decode(await ctx.readBody(64)) }, { pretty: false }));
      r.register('/v1/size', ['PUT'], async (ctx) => jsonResponse({ bytes: (await ctx.readBody(4 << 20)).length }, { pretty: false }));
      r.register('/v1/n/', ['GET'], (ctx) => textResponse(200, `n=${ctx.suffix}`));
      r.register('/v1/big', ['GET'], () => jsonResponse({ s: 'y'.repeat(5000) }, { pretty: false }));
      r.register('/v1/watch', ['GET'], (ctx) => {
        calls++;
        const min = Number(ctx.query.get('index') ?? 0);
        const answer = () => jsonResponse({ index }, { pretty: false, headers: { 'X-Consul-Index': String(index) } });
        if (index > min) return answer();
        return new Promise<ApiResponse>((resolve) => {
          wake.push(() => resolve(answer()));
          ctx.request.signal.addEventListener('abort', () => {
            aborted++;
            resolve(answer());
          });
        });
      });
      return r;
    },
  };
}

async function start(extra: Partial<NodeHttpOptions> = {}, w = watched()) {
  const r = w.router();
  server = await startNodeHttp((req, ip) => r.handle(req, ip), { host: '127.0.0.1', port: 0, maxConnsPerClient: 0, gzipMinSize: 1400, ...extra });
  return { port: server.address.port, w };
}

/** Sends `bytes` on a raw connection and collects everything until the server closes it. */
function exchange(port: number, bytes: string | Buffer, endAfter = true): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => resolve(got));
    if (endAfter) s.end(bytes);
    else s.write(bytes);
  });
}

function statusLines(raw: string): string[] {
  return raw.match(/HTTP\/1\.1 \d{3} [^\r]*/g) ?? [];
}

const until = async (what: () => boolean) => {
  for (let i = 0; i < 400 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(what()).toBe(true);
};

describe('lean HTTP/1.1 server: framing and errors', () => {
  it('answers malformed request lines and headers 400 like Go, and keeps serving', async () => {
    const { port } = await start();
    const bad = [
      'GARBAGE\r\n\r\n',
      'GET /v1/n/1\r\nHost: x\r\n\r\n',
      'GET /v1/n/1 HTTP/1.1 extra\r\nHost: x\r\n\r\n',
      'G(T /v1/n/1 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET v1/n/1 HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /v1/n/1 HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n',
      'GET /v1/n/1 HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n',
      'GET /v1/n/1 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n',
      'GET /v1/n/1 HTTP/1.1\r\n\r\n',
      'PUT /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      'PUT /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'PUT /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ];
    for (const req of bad) {
      const got = await exchange(port, req);
      expect(got, JSON.stringify(req)).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(got).toContain('Connection: close');
    }
    expect(await exchange(port, 'GET /v1/n/1 HTTP/2.0\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 505 /);
    expect(await exchange(port, 'PUT /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n')).toMatch(/^HTTP\/1\.1 501 /);
    expect(await exchange(port, 'GET /v1/n/ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*n=ok$/);
  });

  it('answers pipelined requests in order on one connection, then honours Connection: close', async () => {
    const { port } = await start();
    const reqs = ['a', 'b', 'c', 'd'].map((n, i) => `GET /v1/n/${n} HTTP/1.1\r\nHost: x\r\n${i === 3 ? 'Connection: close\r\n' : ''}\r\n`).join('');
    const got = await exchange(port, reqs, false);
    expect(statusLines(got)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
    expect([...got.matchAll(/n=(\w)/g)].map((m) => m[1])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads chunked request bodies, extensions and trailers included, and keeps the connection', async () => {
    const { port } = await start();
    const body = '5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n';
    const got = await exchange(port, `PUT /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${body}GET /v1/n/after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, false);
    expect(got).toContain('{"got":"hello world"}');
    expect(got).toContain('n=after');
  });

  it('sends 100 Continue only when the handler reads the body; an oversized one gets 413 without it', async () => {
    const { port } = await start();
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    s.on('data', (d) => (got += d));
    s.write('PUT /v1/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n');
    await until(() => got.includes('100 Continue'));
    expect(got).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    s.end('abc');
    await until(() => got.includes('{"got":"abc"}'));
    s.destroy();
    const big = await exchange(port, 'PUT /v1/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n', false);
    expect(big).not.toContain('100 Continue');
    expect(big).toMatch(/^HTTP\/1\.1 413 /);
    expect(big).toContain('Connection: close');
  });

  it('answers 413 from Content-Length before the body is sent, and closes the connection', async () => {
    const { port } = await start();
    // Only the head is sent: the answer must come without the server waiting for 10 MB.
    const got = await exchange(port, 'PUT /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n', false);
    expect(got).toMatch(/^HTTP\/1\.1 413 Request Entity Too Large\r\n/);
    expect(got).toContain('too large');
  });

  it('reuses keep-alive connections, speaks HTTP/1.0, answers HEAD without a body and gzips', async () => {
    const { port } = await start();
    const two = await exchange(port, 'GET /v1/n/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/n/2 HTTP/1.1\r\nHost: x\r\n\r\n', true);
    expect(statusLines(two)).toHaveLength(2);
    const http10 = await exchange(port, 'GET /v1/n/old HTTP/1.0\r\n\r\n', false);
    expect(http10).toMatch(/Connection: close[\s\S]*n=old$/);
    const head = await exchange(port, 'HEAD /v1/big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', false);
    expect(head).toMatch(/Content-Length: \d+\r\n/);
    expect(head.endsWith('\r\n\r\n')).toBe(true);
    // node's client reuses one socket for sequential keep-alive requests.
    const sockets = new Set<Socket>();
    for (const p of ['/v1/n/x', '/v1/big']) {
      const res = await new Promise<IncomingMessage>((resolve) => httpRequest({ port, path: p, headers: { 'accept-encoding': 'gzip', connection: 'keep-alive' } }, resolve).end());
      sockets.add(res.socket);
      if (p === '/v1/big') expect(res.headers['content-encoding']).toBe('gzip');
      res.resume();
      await new Promise((r) => res.on('end', r));
    }
    expect(server?.connections).toBeGreaterThanOrEqual(1);
  });

  it('streams large bodies through with backpressure, by length and chunked, early data before 100 Continue included', async () => {
    const { port } = await start();
    const big = Buffer.alloc(3 << 20, 'z');
    const byLength = await exchange(port, Buffer.concat([Buffer.from(`PUT /v1/size HTTP/1.1\r\nHost: x\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n`), big]), false);
    expect(byLength).toContain(`{"bytes":${big.length}}`);
    const chunks = [Buffer.from('PUT /v1/size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n')];
    for (let i = 0; i < 48; i++) chunks.push(Buffer.from(`10000\r\n`), Buffer.alloc(0x10000, 'q'), Buffer.from('\r\n'));
    chunks.push(Buffer.from('0\r\n\r\n'));
    expect(await exchange(port, Buffer.concat(chunks), false)).toContain(`{"bytes":${48 * 0x10000}}`);
    // A client that does not wait for 100 Continue: its body is read all the same.
    const eager = await exchange(port, Buffer.concat([Buffer.from(`PUT /v1/size HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n`), big]), false);
    expect(eager).toContain(`{"bytes":${big.length}}`);
  });

  it('answers 431 to an endless header block without buffering it', async () => {
    const { port } = await start();
    const got = await exchange(port, `GET /v1/n/1 HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(70 * 1024)}`, false);
    expect(got).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('hands WebSocket upgrades and /ui paths to node:http with the bytes already read', async () => {
    let upgraded = '';
    const { port } = await start({
      upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        upgraded = `${req.url} ${head.toString()}`;
        socket.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\nhello');
        return true;
      },
      mount: {
        matches: (p) => p.startsWith('/ui'),
        handle: async (req, res) => {
          res.end(`ui ${req.url}`);
        },
      },
    });
    const up = await exchange(port, 'GET /lab/signal HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\nearly', false);
    expect(up).toMatch(/^HTTP\/1\.1 101 /);
    expect(upgraded).toBe('/lab/signal early');
    const ui = await exchange(port, 'GET /v1/n/first HTTP/1.1\r\nHost: x\r\n\r\nGET /ui/page HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/n/later HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', false);
    expect(ui).toContain('n=first');
    expect(ui).toContain('ui /ui/page');
    expect(ui).toContain('n=later');
  });
});

describe('lean HTTP/1.1 server: blocking queries', () => {
  /** Opens a raw connection with a blocking GET on it; resolves with the answer's index. */
  const block = (port: number, path: string) => {
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('error', () => {});
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    const answer = new Promise<string>((resolve) => {
      const check = () => {
        if (/\r\n\r\n\{.*\}$/.test(got)) resolve(/X-Consul-Index: (\d+)/.exec(got)?.[1] ?? '');
      };
      s.on('data', check);
    });
    return { socket: s, answer };
  };

  it('shares one core request among identical waiters and drops those that disconnect', async () => {
    const { port, w } = await start();
    const a = block(port, '/v1/watch?index=5');
    const b = block(port, '/v1/watch?index=5');
    const c = block(port, '/v1/watch?index=5&wait=1s');
    await until(() => server?.sharedWaiters === 3);
    expect(w.calls).toBe(2);
    // One client gives up: it leaves its group, and the group's request is aborted once empty.
    c.socket.destroy();
    await until(() => server?.sharedWaiters === 2);
    await until(() => w.aborted === 1);
    w.bump();
    expect(await a.answer).toBe('6');
    expect(await b.answer).toBe('6');
    expect(server?.sharedWaiters).toBe(0);
    a.socket.destroy();
    b.socket.destroy();
    await until(() => server?.connections === 0);
  });

  it('keeps groups apart by token', async () => {
    const { port, w } = await start();
    const s1 = connect({ host: '127.0.0.1', port });
    const s2 = connect({ host: '127.0.0.1', port });
    s1.write('GET /v1/watch?index=5 HTTP/1.1\r\nHost: x\r\nX-Consul-Token: one\r\n\r\n');
    s2.write('GET /v1/watch?index=5 HTTP/1.1\r\nHost: x\r\nX-Consul-Token: two\r\n\r\n');
    await until(() => server?.sharedWaiters === 2);
    expect(w.calls).toBe(2);
    s1.destroy();
    s2.destroy();
  });

  it('releases 10,000 parked waiters with the new index, each once', async () => {
    const { port, w } = await start();
    const n = 10_000;
    // The clients live in another process: one process cannot hold both ends of 10,000 sockets here.
    const script = `
      const net = require('node:net');
      const [port, n] = process.argv.slice(1).map(Number);
      let fresh = 0, other = 0, done = 0, sent = 0;
      const finish = () => { if (++done === n) { process.stdout.write(JSON.stringify({ fresh, other }) + '\\n'); process.exit(0); } };
      (async () => {
        for (let i = 0; i < n; i++) {
          const s = net.connect(port, '127.0.0.1');
          let got = '';
          s.on('error', () => { other++; finish(); });
          s.on('data', (d) => {
            got += d;
            if (!/\\r\\n\\r\\n\\{.*\\}$/.test(got)) return;
            if (/X-Consul-Index: 6\\r\\n/.test(got) && got.split('HTTP/1.1').length === 2) fresh++; else other++;
            s.destroy();
            finish();
          });
          s.write('GET /v1/watch?index=5&wait=5m HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n', () => { if (++sent === n) process.stdout.write('parked\\n'); });
          if (i % 500 === 499) await new Promise((r) => setTimeout(r, 5));
        }
      })();
    `;
    const child = spawn(process.execPath, ['-e', script, String(port), String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await until(() => out.includes('parked'));
    for (let i = 0; i < 600 && server?.sharedWaiters !== n; i++) await new Promise((r) => setTimeout(r, 50));
    expect(server?.sharedWaiters).toBe(n);
    expect(w.calls).toBe(1);
    w.bump();
    const result = await new Promise<string>((resolve) => child.on('exit', () => resolve(out)));
    expect(JSON.parse(result.split('\n')[1] ?? '{}')).toEqual({ fresh: n, other: 0 });
    expect(server?.sharedWaiters).toBe(0);
  }, 60_000);
});
