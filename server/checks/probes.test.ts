import { createSocket } from 'node:dgram';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createH2Server } from 'node:http2';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCheckDefinition } from '../../core/agent/checks/check-definition.ts';
import type { ProbeResult } from '../../core/agent/checks/check-runner.ts';
import { decodeHealthStatus, encodeHealthRequest } from './grpc-probe.ts';
import { nodeProbe } from './node-probe.ts';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

const probe = (raw: Record<string, unknown>) =>
  new Promise<ProbeResult>((resolve) => nodeProbe(parseCheckDefinition({ interval: '10s', timeout: '2s', ...raw }), resolve));

async function httpTarget(handler: Parameters<typeof createHttpServer>[1]): Promise<number> {
  const server: Server = createHttpServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

describe('HTTP probe', () => {
  it('maps 2xx, 429 and 5xx to passing, warning and critical, with the body as output', async () => {
    let code = 200;
    const port = await httpTarget((req, res) => {
      res.writeHead(code);
      res.end(`${req.method} ${req.headers['x-probe']} body`);
    });
    const url = `http://127.0.0.1:${port}/health`;
    const ok = await probe({ http: url, header: { 'X-Probe': ['yes'] } });
    expect(ok.status).toBe('passing');
    expect(ok.output).toContain('GET yes body');
    code = 429;
    expect((await probe({ http: url })).status).toBe('warning');
    code = 503;
    expect((await probe({ http: url })).status).toBe('critical');
  });

  it('is critical when nothing listens', async () => {
    const port = await httpTarget((_q, s) => s.end());
    closers.pop()?.();
    await new Promise((r) => setTimeout(r, 20));
    expect((await probe({ http: `http://127.0.0.1:${port}/` })).status).toBe('critical');
  });

  it('follows redirects on the same host but not to another host', async () => {
    const port = await httpTarget((req, res) => {
      if (req.url === '/same') res.writeHead(302, { Location: '/ok' }).end();
      else if (req.url === '/away') res.writeHead(302, { Location: 'http://127.0.0.2:1/ok' }).end();
      else res.writeHead(200).end('landed');
    });
    expect((await probe({ http: `http://127.0.0.1:${port}/same` })).status).toBe('passing');
    const away = await probe({ http: `http://127.0.0.1:${port}/away` });
    expect(away.status).toBe('critical');
    expect(away.output).toContain('302');
  });
});

describe('TCP and UDP probes', () => {
  it('TCP passes when something accepts and fails when nothing does', async () => {
    const server = createTcpServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    expect((await probe({ tcp: `127.0.0.1:${port}` })).status).toBe('passing');
    await new Promise((r) => server.close(r));
    expect((await probe({ tcp: `127.0.0.1:${port}` })).status).toBe('critical');
  });

  it('UDP passes on a reply and on silence, fails on port unreachable', async () => {
    const echo = createSocket('udp4');
    echo.on('message', (m, from) => echo.send(m, from.port, from.address));
    await new Promise<void>((r) => echo.bind(0, '127.0.0.1', r));
    const port = echo.address().port;
    expect((await probe({ udp: `127.0.0.1:${port}` })).output).toContain('Success');
    echo.close();
    const refused = await probe({ udp: `127.0.0.1:${port}`, timeout: '500ms' });
    expect(refused.status).toBe('critical');
  });
});

describe('script probe', () => {
  it('maps exit codes and captures output', async () => {
    expect(await probe({ args: ['/bin/sh', '-c', 'echo fine'] })).toEqual({ status: 'passing', output: 'fine\n' });
    expect((await probe({ args: ['/bin/sh', '-c', 'echo meh >&2; exit 1'] })).status).toBe('warning');
    expect((await probe({ args: ['/bin/sh', '-c', 'exit 2'] })).status).toBe('critical');
    const slow = await probe({ args: ['/bin/sh', '-c', 'sleep 5'], timeout: '200ms' });
    expect(slow).toEqual({ status: 'critical', output: 'Timed out (0.2s) running check' });
  });
});

describe('gRPC and H2PING probes', () => {
  it('speaks the gRPC health protocol', async () => {
    let serving = 1;
    const server = createH2Server();
    server.on('stream', (stream, headers) => {
      expect(headers[':path']).toBe('/grpc.health.v1.Health/Check');
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      const body = Buffer.from([0x08, serving]);
      const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, body.length]), body]);
      stream.end(frame);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    expect((await probe({ grpc: `127.0.0.1:${port}/my.Service` })).status).toBe('passing');
    serving = 2;
    expect((await probe({ grpc: `127.0.0.1:${port}` })).status).toBe('critical');
    expect((await probe({ h2ping: `127.0.0.1:${port}`, h2ping_use_tls: false })).status).toBe('passing');
  });

  it('encodes and decodes the health messages', () => {
    expect([...encodeHealthRequest('a')]).toEqual([0, 0, 0, 0, 3, 0x0a, 1, 0x61]);
    expect(decodeHealthStatus(Buffer.from([0, 0, 0, 0, 2, 0x08, 1]))).toBe(1);
  });
});
