import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientConfig } from './http-command.ts';
import { runCli } from './cli-test-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-http-'));

describe('HTTP flags and CONSUL_HTTP_* environment', () => {
  const base = { datacenter: '', stale: false };

  it('defaults to 127.0.0.1:8500 over http, flags win over the environment', () => {
    expect(clientConfig(base, {})).toEqual({
      scheme: 'http',
      address: '127.0.0.1:8500',
      token: '',
      datacenter: '',
      stale: false,
      tls: { caFile: '', caPath: '', certFile: '', keyFile: '', serverName: '', insecureSkipVerify: false },
    });
    expect(clientConfig({ ...base, httpAddr: 'https://a:1', token: 'flag' }, { CONSUL_HTTP_ADDR: 'b:2', CONSUL_HTTP_TOKEN: 'env' })).toMatchObject({ scheme: 'https', address: 'a:1', token: 'flag' });
    expect(clientConfig(base, { CONSUL_HTTP_ADDR: 'b:2', CONSUL_HTTP_TOKEN: 'env', CONSUL_HTTP_SSL: 'true' })).toMatchObject({ scheme: 'https', address: 'b:2', token: 'env' });
  });

  it('takes TLS settings from -ca-file/-client-cert/-client-key/-tls-server-name over CONSUL_CACERT and friends', () => {
    const env = { CONSUL_CACERT: 'env-ca', CONSUL_CAPATH: 'env-dir', CONSUL_CLIENT_CERT: 'env-cert', CONSUL_CLIENT_KEY: 'env-key', CONSUL_TLS_SERVER_NAME: 'env-sni', CONSUL_HTTP_SSL_VERIFY: 'false' };
    expect(clientConfig(base, env).tls).toEqual({ caFile: 'env-ca', caPath: 'env-dir', certFile: 'env-cert', keyFile: 'env-key', serverName: 'env-sni', insecureSkipVerify: true });
    expect(clientConfig({ ...base, caFile: 'ca', clientCert: 'c', clientKey: 'k', tlsServerName: 'server.dc1.consul' }, env).tls).toMatchObject({ caFile: 'ca', certFile: 'c', keyFile: 'k', serverName: 'server.dc1.consul' });
  });

  it('reads the token from -token-file / CONSUL_HTTP_TOKEN_FILE (trimmed), which wins over -token', () => {
    const f = join(dir, 'token');
    writeFileSync(f, '  secret-from-file\n');
    expect(clientConfig({ ...base, token: 'flag', tokenFile: f }, {}).token).toBe('secret-from-file');
    expect(clientConfig(base, { CONSUL_HTTP_TOKEN_FILE: f }).token).toBe('secret-from-file');
    expect(() => clientConfig({ ...base, tokenFile: join(dir, 'missing') }, {})).toThrow(/^Error loading token file: /);
  });

  it('sends the token as X-Consul-Token and -datacenter/-stale as ?dc=&stale', async () => {
    const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      res.setHeader('X-Consul-Index', '7');
      res.end(JSON.stringify([{ Key: 'k', Flags: 0, Value: Buffer.from('v').toString('base64'), CreateIndex: 7, ModifyIndex: 7, LockIndex: 0 }]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await runCli('kv', 'get', '-http-addr', `127.0.0.1:${port}`, '-token', 'tok', '-datacenter', 'dc2', '-stale', 'k');
      expect(r).toEqual({ code: 0, out: 'v\n', err: '' });
      expect(seen[0]!.url).toBe('/v1/kv/k?dc=dc2&stale');
      expect(seen[0]!.headers['x-consul-token']).toBe('tok');
    } finally {
      server.close();
    }
  });
});
