import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRpc } from '../../core/agent/rpc/codec.ts';
import { RpcClient } from '../../core/agent/rpc/rpc-client.ts';
import { encodeFrame } from '../../core/lib/framing.ts';
import { nullLogger } from '../../core/ports/logger.ts';
import { CONSUL_JS, spawnCli } from '../cli/cli-test-helpers.ts';
import { rpcTlsHooks } from '../net/rpc-tls.ts';
import { TcpTransport } from '../net/tcp-transport.ts';
import { NodeTimeSource } from '../runtime/node-time.ts';
import { type AgentProcess, freeAgentPorts, freePort, startAgentProcess } from '../testing/agent-process.ts';
import { until } from '../testing/until.ts';
import { loadTlsMaterial } from '../tls/tls-material.ts';

// TLS on a datacenter of real agents (3 servers, 1 client on 127.0.0.21-24): certificates made with
// `consul tls`, HTTPS with verify_incoming, and server RPC and Raft inside RPCTLS with
// verify_incoming, verify_outgoing and verify_server_hostname.
const dir = mkdtempSync(join(tmpdir(), 'consul-tls-'));
const certs = join(dir, 'certs');
const other = join(dir, 'other');
const agents = new Map<string, AgentProcess>();
const ip = (n: number) => `127.0.0.${20 + n}`;
const FAST = ['-hcl', 'performance { raft_multiplier = 1 }', '-retry-interval', '1s'];
let ports: AgentProcess['ports'];
let httpsPort: number;
const pem = (dirName: string, f: string) => readFileSync(join(dirName, f), 'utf8');

function consul(cwd: string, ...args: string[]): string {
  return execFileSync(process.execPath, [CONSUL_JS, ...args], { cwd, encoding: 'utf8' });
}

afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});


/** One HTTPS GET; resolves with the status or rejects with the TLS/socket error. */
function httpsGet(host: string, port: number, path: string, tls: Record<string, unknown>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host, port, path, agent: false, ...tls }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(certs);
  mkdirSync(other);
  expect(consul(certs, 'tls', 'ca', 'create')).toBe('==> Saved consul-agent-ca.pem\n==> Saved consul-agent-ca-key.pem\n');
  for (const n of [1, 2, 3]) expect(consul(certs, 'tls', 'cert', 'create', '-server', '-additional-ipaddress', ip(n))).toContain(`==> Saved dc1-server-consul-${n - 1}.pem\n`);
  expect(consul(certs, 'tls', 'cert', 'create', '-client', '-additional-ipaddress', ip(4))).toContain('==> Saved dc1-client-consul-0-key.pem\n');
  consul(other, 'tls', 'ca', 'create');
  consul(other, 'tls', 'cert', 'create', '-server');
  consul(other, 'tls', 'cert', 'create', '-client');
  ports = await freeAgentPorts();
  httpsPort = await freePort();
}, 60_000);

const tlsHcl = (cert: string) =>
  `tls { defaults { ca_file = "${join(certs, 'consul-agent-ca.pem')}" cert_file = "${join(certs, `${cert}.pem`)}" key_file = "${join(certs, `${cert}-key.pem`)}" verify_incoming = true verify_outgoing = true } internal_rpc { verify_server_hostname = true } }`;

describe('TLS between real agents', () => {
  it('elects a leader over Raft-in-TLS and serves a client RPC over TLS', async () => {
    const serverArgs = (n: number) => [
      '-server', '-bootstrap-expect', '3', '-node', `s${n}`, '-bind', ip(n), '-client', ip(n), '-data-dir', join(dir, `s${n}`),
      '-retry-join', `${ip(1)}:${ports.serfLan}`, '-hcl', tlsHcl(`dc1-server-consul-${n - 1}`), '-hcl', `ports { https = ${httpsPort} }`, ...FAST,
    ];
    const started = await Promise.all([1, 2, 3].map((n) => startAgentProcess(serverArgs(n), ip(n), false, ports)));
    for (const [i, a] of started.entries()) agents.set(`s${i + 1}`, a);
    const client = await startAgentProcess(
      ['-node', 'c4', '-bind', ip(4), '-client', ip(4), '-data-dir', join(dir, 'c4'), '-retry-join', `${ip(1)}:${ports.serfLan}`, '-hcl', tlsHcl('dc1-client-consul-0'), ...FAST],
      ip(4),
      false,
      ports,
    );
    agents.set('c4', client);
    await until('a leader seen through the client', async () => ((await (await fetch(`${client.http}/v1/status/leader`)).json()) || undefined));
    expect(await (await fetch(`${client.http}/v1/kv/over-tls`, { method: 'PUT', body: 'yes' })).json()).toBe(true);
    const peers: string[] = await (await fetch(`${client.http}/v1/status/peers`)).json();
    expect(peers).toHaveLength(3);
  }, 120_000);

  it('serves HTTPS to a client with a certificate from the right CA', async () => {
    const r = await httpsGet(ip(1), httpsPort, '/v1/status/leader', { ca: pem(certs, 'consul-agent-ca.pem'), cert: pem(certs, 'dc1-client-consul-0.pem'), key: pem(certs, 'dc1-client-consul-0-key.pem') });
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^"127\.0\.0\.2[123]:\d+"$/);
  });

  it('refuses an HTTPS client without a certificate under verify_incoming', async () => {
    await expect(httpsGet(ip(1), httpsPort, '/v1/status/leader', { ca: pem(certs, 'consul-agent-ca.pem') })).rejects.toThrow();
  });

  it('refuses an HTTPS client whose certificate is from another CA', async () => {
    await expect(httpsGet(ip(1), httpsPort, '/v1/status/leader', { ca: pem(certs, 'consul-agent-ca.pem'), cert: pem(other, 'dc1-client-consul-0.pem'), key: pem(other, 'dc1-client-consul-0-key.pem') })).rejects.toThrow();
  });

  it('is refused by a client that trusts another CA', async () => {
    await expect(httpsGet(ip(1), httpsPort, '/v1/status/leader', { ca: pem(other, 'consul-agent-ca.pem'), cert: pem(certs, 'dc1-client-consul-0.pem'), key: pem(certs, 'dc1-client-consul-0-key.pem') })).rejects.toThrow(/certificate/);
  });

  it('never answers plaintext HTTP on the HTTPS port', async () => {
    await expect(fetch(`http://${ip(1)}:${httpsPort}/v1/status/leader`)).rejects.toThrow();
  });

  it('lets the CLI talk HTTPS with -ca-file, -client-cert, -client-key and with CONSUL_HTTP_SSL + CONSUL_CACERT', async () => {
    const flags = await spawnCli(['members', '-http-addr', `https://${ip(1)}:${httpsPort}`, '-ca-file', join(certs, 'consul-agent-ca.pem'), '-client-cert', join(certs, 'dc1-client-consul-0.pem'), '-client-key', join(certs, 'dc1-client-consul-0-key.pem')]).done;
    expect(flags.err).toBe('');
    expect(flags.out).toContain('s1 ');
    const env = await spawnCli(['members'], {
      env: {
        CONSUL_HTTP_ADDR: `${ip(2)}:${httpsPort}`,
        CONSUL_HTTP_SSL: 'true',
        CONSUL_CACERT: join(certs, 'consul-agent-ca.pem'),
        CONSUL_CLIENT_CERT: join(certs, 'dc1-client-consul-0.pem'),
        CONSUL_CLIENT_KEY: join(certs, 'dc1-client-consul-0-key.pem'),
      },
    }).done;
    expect(env.code).toBe(0);
    expect(env.out).toContain('c4 ');
    const sni = await spawnCli(['members', '-http-addr', `https://localhost:${httpsPort}`, '-ca-file', join(certs, 'consul-agent-ca.pem'), '-tls-server-name', 'server.dc1.consul']).done;
    // Nothing listens on localhost (127.0.0.1) in this test: the point is that the flag parses.
    expect(sni.err).not.toContain('flag provided but not defined');
  });
});

describe('TLS on the server RPC port', () => {
  const material = (cert: string, caDir = certs, overrides: Partial<ReturnType<typeof loadTlsMaterial>> = {}) => ({
    ...loadTlsMaterial({
      caFile: join(caDir, 'consul-agent-ca.pem'),
      caPath: '',
      certFile: join(caDir, `${cert}.pem`),
      keyFile: join(caDir, `${cert}-key.pem`),
      tlsMinVersion: 'TLSv1_2',
      cipherSuites: '',
      verifyIncoming: true,
      verifyOutgoing: true,
      verifyServerHostname: true,
      useAutoCert: false,
    }),
    ...overrides,
  });
  const dialer = async (m: ReturnType<typeof loadTlsMaterial>) => {
    const t = await TcpTransport.listen('127.0.0.1', 0, nullLogger, rpcTlsHooks({ material: m, datacenter: 'dc1', domain: 'consul', handshakeTimeoutMs: 5000, logger: nullLogger }));
    return { t, client: new RpcClient(t, new NodeTimeSource(), 5000) };
  };

  it('answers Consul RPC inside TLS with a certificate from the right CA', async () => {
    const { t, client } = await dialer(material('dc1-client-consul-0'));
    try {
      expect(await client.callAsync(`${ip(1)}:${ports.server}`, 'Status.Ping', {})).toBe(true);
    } finally {
      client.close();
      t.close();
    }
  });

  it('refuses plaintext RPC under verify_incoming (no silent downgrade)', async () => {
    const sock = connect({ host: ip(1), port: ports.server });
    let got = 0;
    sock.on('data', (d) => (got += d.length));
    sock.on('error', () => {});
    sock.write(new Uint8Array([0x00]));
    sock.write(encodeFrame(encodeRpc({ id: 1, method: 'Status.Ping', args: {} })));
    await new Promise((r) => sock.once('close', r));
    expect(got).toBe(0);
    expect(agents.get('s1')!.output()).toContain('Non-TLS connection attempted with VerifyIncoming set');
  });

  it('fails the handshake for a certificate from another CA', async () => {
    const { t, client } = await dialer(material('dc1-client-consul-0', other));
    try {
      await expect(client.callAsync(`${ip(1)}:${ports.server}`, 'Status.Ping', {})).rejects.toThrow();
    } finally {
      client.close();
      t.close();
    }
  });

  it('CVE-2018-19653: verify_server_hostname alone turns on TLS for outgoing RPC', async () => {
    const m = material('dc1-client-consul-0', certs, {});
    const only = loadTlsMaterial({ caFile: join(certs, 'consul-agent-ca.pem'), caPath: '', certFile: '', keyFile: '', tlsMinVersion: 'TLSv1_2', cipherSuites: '', verifyIncoming: false, verifyOutgoing: false, verifyServerHostname: true, useAutoCert: false });
    expect(only.verifyOutgoing).toBe(true);
    // ...and such a dialer reaches the verify_incoming server (a plaintext one would be refused).
    const { t, client } = await dialer({ ...only, cert: m.cert, key: m.key });
    try {
      expect(await client.callAsync(`${ip(2)}:${ports.server}`, 'Status.Ping', {})).toBe(true);
    } finally {
      client.close();
      t.close();
    }
  });

  it('CVE-2021-37219: a client certificate cannot open a Raft connection to a server', async () => {
    const m = material('dc1-client-consul-0');
    const hooks = rpcTlsHooks({ material: m, datacenter: 'dc1', domain: 'consul', handshakeTimeoutMs: 5000, logger: nullLogger });
    const raw = connect({ host: ip(1), port: ports.server });
    const tls = hooks.dial!(raw, `${ip(1)}:${ports.server}`);
    let got = 0;
    tls.on('data', (d: Buffer) => (got += d.length));
    tls.on('error', () => {});
    await new Promise((r) => tls.once('secureConnect', r));
    tls.write(new Uint8Array([0x01, 0x82, 0xa1]));
    await new Promise((r) => tls.once('close', r));
    expect(got).toBe(0);
    expect(agents.get('s1')!.output()).toContain('Raft connection refused: the peer certificate is not a server certificate');
  });

  it('verify_server_hostname expects the certificate of the datacenter the server is in', async () => {
    const m = material('dc1-client-consul-0');
    const hooks = rpcTlsHooks({ material: m, datacenter: 'dc1', domain: 'consul', handshakeTimeoutMs: 5000, logger: nullLogger, datacenterOf: () => 'dc2' });
    const t = await TcpTransport.listen('127.0.0.1', 0, nullLogger, hooks);
    const client = new RpcClient(t, new NodeTimeSource(), 5000);
    try {
      // s1 presents server.dc1.consul: a dialer that believes it is calling dc2 must refuse it.
      await expect(client.callAsync(`${ip(1)}:${ports.server}`, 'Status.Ping', {})).rejects.toThrow(/not server\.dc2\.consul/);
    } finally {
      client.close();
      t.close();
    }
  });

  it('a dialer with verify_server_hostname refuses a server presenting a non-server certificate', async () => {
    // A rogue "server" on a free port presenting the client certificate (same CA).
    const rogue = await TcpTransport.listen('127.0.0.1', 0, nullLogger, rpcTlsHooks({ material: material('dc1-client-consul-0', certs, { verifyIncoming: false }), datacenter: 'dc1', domain: 'consul', handshakeTimeoutMs: 5000, logger: nullLogger }));
    rogue.onAccept((s) => s.onData(() => {}));
    const { t, client } = await dialer(material('dc1-client-consul-0'));
    try {
      await expect(client.callAsync(rogue.localAddress, 'Status.Ping', {})).rejects.toThrow();
    } finally {
      client.close();
      t.close();
      rogue.close();
    }
  });
});
