import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROXY_ERROR_HEADER as CLIENT_HEADER } from '../ui/lib/errors.ts';
import { agentBaseUrl, forwardHeaders, PROXY_ERROR_HEADER, proxyToAgent, targetUrl } from './proxy.ts';

describe('agent address', () => {
  it('reads CONSUL_HTTP_ADDR like the CLI', () => {
    expect(agentBaseUrl({})).toBe('http://127.0.0.1:8500');
    expect(agentBaseUrl({ CONSUL_HTTP_ADDR: '10.0.0.5:8500' })).toBe('http://10.0.0.5:8500');
    expect(agentBaseUrl({ CONSUL_HTTP_ADDR: '10.0.0.5:8501', CONSUL_HTTP_SSL: 'true' })).toBe('https://10.0.0.5:8501');
    expect(agentBaseUrl({ CONSUL_HTTP_ADDR: 'https://consul.local/' })).toBe('https://consul.local');
    expect(() => agentBaseUrl({ CONSUL_HTTP_ADDR: 'unix:///tmp/consul.sock' })).toThrow(/unix/);
    expect(targetUrl('http://a:1', 'http://ui:3000/v1/kv/a%20b?keys&separator=%2F')).toBe('http://a:1/v1/kv/a%20b?keys&separator=%2F');
    expect(CLIENT_HEADER).toBe(PROXY_ERROR_HEADER);
  });

  it('drops hop-by-hop headers only', () => {
    const out = forwardHeaders(new Headers({ Connection: 'close', 'X-Consul-Token': 't', Host: 'x', 'Content-Length': '3' }));
    expect([...out.keys()]).toEqual(['x-consul-token']);
  });
});

describe('proxyToAgent', () => {
  let server: Server;
  let base = '';
  const seen: { method: string; url: string; token: string | undefined; body: string }[] = [];

  beforeAll(async () => {
    // A recording HTTP peer: the proxy's contract is transport only (method, path, query, headers,
    // body, status), so the peer echoes what it got instead of pretending to be Consul.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', token: req.headers['x-consul-token'] as string | undefined, body });
        res.writeHead(req.method === 'PUT' ? 200 : 404, { 'X-Consul-Index': '42', 'Content-Type': 'text/plain' });
        res.end(req.method === 'PUT' ? 'true' : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('forwards method, path, query, token and body, and passes status and headers back', async () => {
    const put = await proxyToAgent(
      new Request('http://ui.local/v1/kv/app/config?cas=7&dc=dc1', { method: 'PUT', body: 'v=1', headers: { 'X-Consul-Token': 'secret' } }),
      base,
    );
    expect(put.status).toBe(200);
    expect(await put.text()).toBe('true');
    expect(put.headers.get('X-Consul-Index')).toBe('42');
    const miss = await proxyToAgent(new Request('http://ui.local/v1/kv/missing'), base);
    expect(miss.status).toBe(404);
    expect(seen).toEqual([
      { method: 'PUT', url: '/v1/kv/app/config?cas=7&dc=dc1', token: 'secret', body: 'v=1' },
      { method: 'GET', url: '/v1/kv/missing', token: undefined, body: '' },
    ]);
  });

  it('answers a marked 502 when the agent is down', async () => {
    const res = await proxyToAgent(new Request('http://ui.local/v1/catalog/datacenters'), 'http://127.0.0.1:1');
    expect(res.status).toBe(502);
    expect(res.headers.get(PROXY_ERROR_HEADER)).toBe('1');
    expect(await res.text()).toMatch(/unreachable/);
  });
});
