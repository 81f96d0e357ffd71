import { ApiResponse } from '../../core/http/api-response.ts';
import { execFileSync } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckDefinition } from '../../core/agent/checks/check-definition.ts';
import type { ProbeResult } from '../../core/agent/checks/check-runner.ts';
import { type Logger, nullLogger } from '../../core/ports/logger.ts';
import { nodeProbe } from '../checks/node-probe.ts';
import { CONSUL_JS } from '../cli/cli-test-helpers.ts';
import { limitConnsPerClient } from '../net/conn-limit.ts';
import { rpcTlsHooks } from '../net/rpc-tls.ts';
import { TcpTransport } from '../net/tcp-transport.ts';
import { loadTlsMaterial } from '../tls/tls-material.ts';
import { MAX_HEADER_BYTES, MAX_URL_BYTES, type NodeHttpServer, startNodeHttp } from './node-http.ts';

// Socket-level hardening of the agent's listeners, one test per applicable CVE of anchors.md B7.2.
const dir = mkdtempSync(join(tmpdir(), 'consul-hardening-'));
const closers: Array<() => unknown> = [];
let plain: NodeHttpServer;

beforeAll(async () => {
  plain = await startNodeHttp(async (req) => new ApiResponse(200, `seen ${new URL(req.url).pathname}`, { 'Content-Type': 'text/plain; charset=utf-8' }), {
    host: '127.0.0.1',
    port: 0,
    maxConnsPerClient: 3,
    gzipMinSize: 1400,
  });
  execFileSync(process.execPath, [CONSUL_JS, 'tls', 'ca', 'create'], { cwd: dir });
  execFileSync(process.execPath, [CONSUL_JS, 'tls', 'cert', 'create', '-server'], { cwd: dir });
});
afterAll(async () => {
  await plain.close();
  for (const c of closers) await c();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP/1.1 exchange: returns the status line's code (0 when the server just hangs up). */
function raw(port: number, head: string): Promise<number> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let got = '';
    s.on('data', (d) => (got += d));
    s.on('error', () => {});
    s.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(got)?.[1] ?? 0)));
    s.end(head);
  });
}

describe('HTTP listener limits', () => {
  it('answers 431 to a header block over the limit and 414 to an over-long URL', async () => {
    expect(await raw(plain.address.port, `GET /v1/status/leader HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(MAX_HEADER_BYTES)}\r\nConnection: close\r\n\r\n`)).toBe(431);
    expect(await raw(plain.address.port, `GET /v1/kv/${'a'.repeat(MAX_URL_BYTES)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).toBe(414);
    expect(await raw(plain.address.port, 'GET /v1/status/leader HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toBe(200);
  });

  it('CVE-2025-11392: refuses KV paths with dot segments from the raw request line, encoded or not', async () => {
    for (const path of ['/v1/kv/a/%2e%2e/b', '/v1/kv/a/../b', '/v1/kv/%2E%2E/x']) {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: plain.address.port, path, method: 'PUT', agent: false }, (r) => {
          let body = '';
          r.on('data', (d) => (body += d));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end('v');
      });
      expect(res, path).toEqual({ status: 400, body: 'URL path contains invalid traversal sequence' });
    }
  });

  it('CVE-2020-7219: caps concurrent connections per client (429 above limits.http_max_conns_per_client)', async () => {
    const held = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const s = connect({ host: '127.0.0.1', port: plain.address.port }, () => resolve(s));
          }),
      ),
    );
    expect(await raw(plain.address.port, 'GET /v1/status/leader HTTP/1.1\r\nHost: x\r\n\r\n')).toBe(429);
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(await raw(plain.address.port, 'GET /v1/status/leader HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toBe(200);
  });

  it('CVE-2020-7219: an HTTPS client that never finishes its handshake is cut off (https_handshake_timeout)', async () => {
    const https = await startNodeHttp(async () => new ApiResponse(200, 'ok'), {
      host: '127.0.0.1',
      port: 0,
      maxConnsPerClient: 0,
      gzipMinSize: 1400,
      tls: { cert: readFileSync(join(dir, 'dc1-server-consul-0.pem'), 'utf8'), key: readFileSync(join(dir, 'dc1-server-consul-0-key.pem'), 'utf8'), minVersion: 'TLSv1.2', verifyIncoming: false, handshakeTimeoutMs: 300 },
    });
    closers.push(() => https.close());
    // Sends nothing: without the handshake timeout this would hang until the test times out.
    await new Promise<void>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: https.address.port });
      s.on('error', () => {});
      s.on('close', () => resolve());
    });
  }, 15_000);
});

describe('RPC listener limits', () => {
  const material = () =>
    loadTlsMaterial({
      caFile: join(dir, 'consul-agent-ca.pem'),
      caPath: '',
      certFile: join(dir, 'dc1-server-consul-0.pem'),
      keyFile: join(dir, 'dc1-server-consul-0-key.pem'),
      tlsMinVersion: 'TLSv1_2',
      cipherSuites: '',
      verifyIncoming: true,
      verifyOutgoing: true,
      verifyServerHostname: false,
      useAutoCert: false,
    });

  it('CVE-2020-7219: a silent RPC connection is closed after rpc_handshake_timeout, and connections per client are capped', async () => {
    const lines: string[] = [];
    const capture: Logger = { log: (_l, m) => void lines.push(m), named: () => capture };
    const hooks = limitConnsPerClient(2, capture, rpcTlsHooks({ material: material(), datacenter: 'dc1', domain: 'consul', handshakeTimeoutMs: 1000, logger: capture }));
    const t = await TcpTransport.listen('127.0.0.1', 0, nullLogger, hooks);
    closers.push(() => t.close());
    t.onAccept((s) => s.onData(() => {}));
    const port = Number(t.localAddress.split(':').pop());
    const closed = (s: ReturnType<typeof connect>) => new Promise<void>((resolve) => s.on('close', () => resolve()));
    const a = connect({ host: '127.0.0.1', port });
    a.on('error', () => {});
    await closed(a); // silent: the handshake timer hangs up
    const held = [connect({ host: '127.0.0.1', port }), connect({ host: '127.0.0.1', port })];
    for (const h of held) h.on('error', () => {});
    await new Promise((r) => setTimeout(r, 50));
    const third = connect({ host: '127.0.0.1', port });
    third.on('error', () => {});
    await closed(third);
    expect(lines.filter((l) => l === 'RPC handshake timed out')).toHaveLength(1);
    expect(lines).toContain('rejecting RPC conn from because rpc_max_conns_per_client exceeded');
    for (const h of held) h.destroy();
  }, 15_000);
});

describe('HTTP checks', () => {
  let target: Server;
  beforeAll(async () => {
    target = createServer((req, res) => {
      if (req.url === '/elsewhere') res.writeHead(302, { Location: 'http://127.0.0.2:9/internal-metadata' }).end();
      else if (req.url === '/here') res.writeHead(301, { Location: '/ok' }).end();
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => target.close(r)));
  });
  const probe = (http: string) =>
    new Promise<ProbeResult>((resolve) => nodeProbe(parseCheckDefinition({ http, interval: '10s', timeout: '2s' }), resolve));

  it('CVE-2022-29153: an HTTP check never follows a redirect to another host (no SSRF)', async () => {
    const port = (target.address() as AddressInfo).port;
    const away = await probe(`http://127.0.0.1:${port}/elsewhere`);
    expect(away.status).toBe('critical');
    expect(away.output).toContain('302');
    expect(away.output).not.toContain('internal-metadata:');
    expect((await probe(`http://127.0.0.1:${port}/here`)).status).toBe('passing');
  });
});
