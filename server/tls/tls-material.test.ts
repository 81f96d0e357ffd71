import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../config/load.ts';
import { createCa, createCert } from './certs.ts';
import { loadTlsMaterial } from './tls-material.ts';

const root = mkdtempSync(join(tmpdir(), 'tls-material-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const f = (n: string) => join(root, n);

beforeAll(async () => {
  const ca = await createCa({ days: 30, domain: 'consul', nameConstraint: false, additionalNameConstraints: [] });
  const server = await createCert({ caCert: ca.cert, caKey: ca.key, name: 'server.dc1.consul', days: 30, dnsNames: ['server.dc1.consul', 'localhost'], ipAddresses: ['127.0.0.1'], extKeyUsage: ['serverAuth', 'clientAuth'] });
  writeFileSync(f('ca.pem'), ca.cert);
  writeFileSync(f('server.pem'), server.cert);
  writeFileSync(f('server-key.pem'), server.key);
  mkdirSync(f('data'));
});

describe('TLS settings from the configuration', () => {
  it('reads the legacy top-level ca_file/cert_file/key_file/verify_* into both HTTPS and internal RPC', () => {
    const hcl = `ca_file = "${f('ca.pem')}"\ncert_file = "${f('server.pem')}"\nkey_file = "${f('server-key.pem')}"\nverify_incoming = true\nverify_outgoing = true\nverify_server_hostname = true`;
    const r = parseAgentConfig(['-data-dir', f('data'), '-hcl', hcl], { findPrivateIPv4: () => ['10.0.0.5'], hostname: () => 'h' });
    if (!r.ok) throw new Error(r.stderr);
    const rpc = loadTlsMaterial(r.config.tls.internalRPC);
    expect(rpc).toMatchObject({ verifyIncoming: true, verifyOutgoing: true, verifyServerHostname: true, minVersion: 'TLSv1.2' });
    expect(new X509Certificate(rpc.cert ?? '').subject).toBe('CN=server.dc1.consul');
    expect(rpc.ca).toHaveLength(1);
    const https = loadTlsMaterial(r.config.tls.https);
    expect(https).toMatchObject({ verifyIncoming: true, verifyServerHostname: false });
    expect(https.key).toContain('BEGIN EC PRIVATE KEY');
  });

  it('CVE-2018-19653: verify_server_hostname without verify_outgoing still means verified TLS for outgoing RPC', () => {
    const r = parseAgentConfig(['-data-dir', f('data'), '-hcl', `tls { defaults { ca_file = "${f('ca.pem')}" } internal_rpc { verify_server_hostname = true } }`], { findPrivateIPv4: () => ['10.0.0.5'], hostname: () => 'h' });
    if (!r.ok) throw new Error(r.stderr);
    expect(r.config.tls.internalRPC.verifyOutgoing).toBe(false);
    expect(loadTlsMaterial(r.config.tls.internalRPC).verifyOutgoing).toBe(true);
  });

  it('signs certificates that chain to the CA, with the SANs asked for', async () => {
    const ca = await createCa({ days: 1, domain: 'consul', nameConstraint: true, additionalNameConstraints: ['example.com'] });
    const c = await createCert({ caCert: ca.cert, caKey: ca.key, name: 'client.dc2.consul', days: 1, dnsNames: ['client.dc2.consul', 'localhost'], ipAddresses: ['127.0.0.1', '::1'], extKeyUsage: ['clientAuth'] });
    const x = new X509Certificate(c.cert);
    expect(x.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(x.subjectAltName).toBe('DNS:client.dc2.consul, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(new X509Certificate(ca.cert).ca).toBe(true);
    await expect(createCert({ caCert: ca.cert, caKey: ca.key, name: 'x', days: 1, dnsNames: [], ipAddresses: ['not-an-ip'], extKeyUsage: [] })).rejects.toThrow('invalid IP address: "not-an-ip"');
  });
});
