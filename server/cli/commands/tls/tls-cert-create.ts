import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { createCert } from '../../../tls/certs.ts';
import type { Command } from '../../command.ts';
import { FlagError, FlagSet, parseGoBool, parseGoInt } from '../../go-flags.ts';
import { commandUsage } from '../../usage.ts';
import { fileExists, parseOrExit, writeAtomic } from './tls-files.ts';

const HELP = `
Usage: consul tls cert create [options]

  Create a new certificate

  $ consul tls cert create -server
  ==> WARNING: Server Certificates grants authority to become a
      server and access all state in the cluster including root keys
      and all ACL tokens. Do not distribute them to production hosts
      that are not server nodes. Store them as securely as CA keys.
  ==> Using consul-agent-ca.pem and consul-agent-ca-key.pem
  ==> Saved dc1-server-consul-0.pem
  ==> Saved dc1-server-consul-0-key.pem
  $ consul tls cert create -client
  ==> Using consul-agent-ca.pem and consul-agent-ca-key.pem
  ==> Saved dc1-client-consul-0.pem
  ==> Saved dc1-client-consul-0-key.pem
`;

interface Opts {
  ca: string;
  key: string;
  server: boolean;
  client: boolean;
  cli: boolean;
  node: string;
  days: number;
  dc: string;
  domain: string;
  dnsNames: string[];
  ips: string[];
}

function flags(o: Opts): FlagSet {
  return new FlagSet()
    .add({ name: 'ca', usage: 'Provide path to the ca. Defaults to #DOMAIN#-agent-ca.pem.', defValue: '#DOMAIN#-agent-ca.pem', set: (v) => void (o.ca = v) })
    .add({ name: 'key', usage: 'Provide path to the key. Defaults to #DOMAIN#-agent-ca-key.pem.', defValue: '#DOMAIN#-agent-ca-key.pem', set: (v) => void (o.key = v) })
    .add({ name: 'server', bool: true, usage: 'Generate server certificate.', set: (v) => void (o.server = parseGoBool(v)) })
    .add({ name: 'client', bool: true, usage: 'Generate client certificate.', set: (v) => void (o.client = parseGoBool(v)) })
    .add({ name: 'cli', bool: true, usage: 'Generate cli certificate.', set: (v) => void (o.cli = parseGoBool(v)) })
    .add({ name: 'node', usage: 'When generating a server cert and this is set an additional dns name is included of the form <node>.server.<datacenter>.<domain>.', set: (v) => void (o.node = v) })
    .add({ name: 'days', usage: 'Provide number of days the certificate is valid for from now on. Defaults to 1 year.', defValue: '365', set: (v) => void (o.days = parseGoInt(v)) })
    .add({ name: 'dc', usage: 'Provide the datacenter. Matters only for -server certificates. Defaults to dc1.', defValue: 'dc1', set: (v) => void (o.dc = v) })
    .add({ name: 'domain', usage: 'Provide the domain. Matters only for -server certificates.', defValue: 'consul', set: (v) => void (o.domain = v) })
    .add({ name: 'additional-dnsname', usage: 'Provide an additional dnsname for Subject Alternative Names. localhost is always included. This flag may be provided multiple times.', set: (v) => void o.dnsNames.push(v) })
    .add({ name: 'additional-ipaddress', usage: 'Provide an additional ipaddress for Subject Alternative Names. 127.0.0.1 is always included. This flag may be provided multiple times.', set: (v) => void o.ips.push(v) });
}

const defaults = (): Opts => ({ ca: '#DOMAIN#-agent-ca.pem', key: '#DOMAIN#-agent-ca-key.pem', server: false, client: false, cli: false, node: '', days: 365, dc: 'dc1', domain: 'consul', dnsNames: [], ips: [] });

const SERVER_WARNING = `==> WARNING: Server Certificates grants authority to become a
    server and access all state in the cluster including root keys
    and all ACL tokens. Do not distribute them to production hosts
    that are not server nodes. Store them as securely as CA keys.
`;

/** What kind of certificate, with its name, SANs, key usages and file prefix (as tls_cert_create.go). */
function profile(o: Opts) {
  const dnsNames = o.dnsNames.map((d) => d.trim()).filter((d) => d !== '');
  const ips = o.ips.map((i) => i.trim()).filter((i) => i !== '');
  if (o.server) {
    const name = `server.${o.dc}.${o.domain}`;
    if (o.node) dnsNames.push(`${o.node}.${name}`);
    dnsNames.push(name, 'localhost');
    ips.push('127.0.0.1');
    return { name, dnsNames, ips, usages: ['serverAuth', 'clientAuth'] as const, prefix: `${o.dc}-server-${o.domain}` };
  }
  if (o.client) {
    const name = `client.${o.dc}.${o.domain}`;
    dnsNames.push(name, 'localhost');
    ips.push('127.0.0.1');
    return { name, dnsNames, ips, usages: ['clientAuth', 'serverAuth'] as const, prefix: `${o.dc}-client-${o.domain}` };
  }
  const name = `cli.${o.dc}.${o.domain}`;
  return { name, dnsNames: [name, 'localhost'], ips, usages: [] as const, prefix: `${o.dc}-cli-${o.domain}` };
}

/** `consul tls cert create -server|-client|-cli`: `<dc>-<kind>-<domain>-<n>.pem` and `-key.pem`. */
export const tlsCertCreateCommand: Command = {
  help: () => commandUsage(HELP, flags(defaults())),
  async run(args, io) {
    const o = defaults();
    const exit = parseOrExit(flags(o), args, io, () => commandUsage(HELP, flags(defaults())));
    if (exit !== undefined) return exit;
    if (o.ca === '') return fail(io, 'Please provide the ca');
    if (o.key === '') return fail(io, 'Please provide the key');
    if ([o.server, o.client, o.cli].filter(Boolean).length !== 1) return fail(io, 'Please provide either -server, -client, or -cli');
    if (o.node !== '' && !o.server) return fail(io, '-node requires -server');
    const p = profile(o);
    let n = 0;
    while (n <= 10000 && (fileExists(`${p.prefix}-${n}.pem`) || fileExists(`${p.prefix}-${n}-key.pem`))) n++;
    if (n > 10000) return fail(io, "Could not find a filename that doesn't already exist");
    const certFile = `${p.prefix}-${n}.pem`;
    const keyFile = `${p.prefix}-${n}-key.pem`;
    const caFile = o.ca.replace('#DOMAIN#', o.domain);
    const caKeyFile = o.key.replace('#DOMAIN#', o.domain);
    let caCert: string;
    let caKey: string;
    try {
      caCert = readFileSync(caFile, 'utf8');
    } catch (e) {
      return fail(io, `Error reading CA: ${(e as Error).message}`);
    }
    try {
      caKey = readFileSync(caKeyFile, 'utf8');
    } catch (e) {
      return fail(io, `Error reading CA key: ${(e as Error).message}`);
    }
    if (o.server) io.stdout(SERVER_WARNING);
    io.stdout(`==> Using ${caFile} and ${caKeyFile}\n`);
    let pair: { cert: string; key: string };
    try {
      pair = await createCert({ caCert, caKey, name: p.name, days: o.days, dnsNames: p.dnsNames, ipAddresses: p.ips, extKeyUsage: [...p.usages] });
      // tlsutil.Verify: the new certificate must chain to the CA.
      if (!new X509Certificate(pair.cert).verify(new X509Certificate(caCert).publicKey)) throw new Error('x509: certificate signed by unknown authority');
    } catch (e) {
      return fail(io, (e as Error).message);
    }
    writeAtomic(certFile, pair.cert, 0o666);
    io.stdout(`==> Saved ${certFile}\n`);
    writeAtomic(keyFile, pair.key, 0o600);
    io.stdout(`==> Saved ${keyFile}\n`);
    return 0;
  },
};

function fail(io: { stderr(t: string): void }, message: string): number {
  io.stderr(`${message}\n`);
  return 1;
}
