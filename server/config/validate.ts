import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isAnyAddr } from './addresses.ts';
import { checkTypeErrors } from './definitions.ts';
import type { HostPort, RuntimeConfig } from './runtime-config.ts';
import { ConfigError, multiError } from './sources.ts';

/**
 * Consul's builder.validate: semantic checks on the built RuntimeConfig, in Consul's order, with
 * Consul's texts. Throws ConfigError on the first failure; pushes warnings. Touches the disk only to
 * stat the data dir, and binds nothing.
 */
export function validateRuntimeConfig(rt: RuntimeConfig, warnings: string[]): void {
  const fail = (msg: string): never => {
    throw new ConfigError(msg);
  };
  if (rt.raftProtocol !== 3) fail(`raft_protocol version ${rt.raftProtocol} is not supported by this version of Consul`);
  basicName('datacenter', rt.datacenter, false);
  if (rt.dataDir === '' && !rt.devMode) fail('data_dir cannot be empty');
  if (!/^[A-Za-z0-9/_-]+$/.test(rt.uiConfig.contentPath)) {
    fail(`ui-content-path can only contain alphanumeric, -, _, or /. received: ${JSON.stringify(rt.uiConfig.contentPath)}`);
  }
  if (/^\/v\d+\/$/.test(rt.uiConfig.contentPath)) fail(`ui-content-path cannot have 'v[0-9]'. received: ${JSON.stringify(rt.uiConfig.contentPath)}`);
  if (!rt.devMode && rt.dataDir !== '') {
    const st = statSync(rt.dataDir, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) fail(`data_dir ${JSON.stringify(rt.dataDir)} is not a directory`);
  }
  if (rt.nodeName === '') fail('node_name cannot be empty');
  if (/[^A-Za-z0-9\\-]+/.test(rt.nodeName)) {
    warnings.push(`Node name ${JSON.stringify(rt.nodeName)} will not be discoverable via DNS due to invalid characters. Valid characters include all alpha-numerics and dashes.`);
  } else if (rt.nodeName.length > 63) {
    warnings.push(`Node name ${JSON.stringify(rt.nodeName)} will not be discoverable via DNS due to it being too long. Valid lengths are between 1 and 63 bytes.`);
  }
  if (rt.nodeId !== '' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(rt.nodeId)) {
    fail(`node_id: invalid node ID ${JSON.stringify(rt.nodeId)}: must be a UUID like 6e8c4b76-3c4b-7dc2-1d7e-3f8d7b1e2a90`);
  }
  if (isAnyAddr(rt.advertiseAddrLAN)) fail('Advertise address cannot be 0.0.0.0, :: or [::]');
  if (isAnyAddr(rt.advertiseAddrWAN)) fail('Advertise WAN address cannot be 0.0.0.0, :: or [::]');
  for (const a of rt.dns.recursors) if (isAnyAddr(a)) fail('DNS recursor address cannot be 0.0.0.0, :: or [::]');
  const alt = new RegExp(`^(service|connect|node|query|addr|${escapeRegExp(rt.datacenter)})\\.`);
  if (rt.dns.altDomain !== '' && alt.test(rt.dns.altDomain)) {
    fail(`alt_domain cannot start with {service,connect,node,query,addr,${rt.datacenter}}`);
  }
  if (rt.bootstrap && !rt.serverMode) fail("'bootstrap = true' requires 'server = true'");
  if (rt.bootstrapExpect < 0) fail(`bootstrap_expect cannot be ${rt.bootstrapExpect}. Must be greater than or equal to zero`);
  if (rt.bootstrapExpect > 0 && !rt.serverMode) fail("'bootstrap_expect > 0' requires 'server = true'");
  if (rt.bootstrapExpect > 0 && rt.devMode) fail("'bootstrap_expect > 0' not allowed in dev mode");
  if (rt.bootstrapExpect > 0 && rt.bootstrap) fail("'bootstrap_expect > 0' and 'bootstrap = true' are mutually exclusive");
  if (rt.checkOutputMaxSize < 1) fail('check_output_max_size must be positive, to discard check output use the discard_check_output flag');
  if (rt.aeInterval <= 0) fail(`ae_interval cannot be ${rt.aeInterval}ms. Must be positive`);
  if (rt.autopilot.maxTrailingLogs < 0) fail(`autopilot.max_trailing_logs cannot be ${rt.autopilot.maxTrailingLogs}. Must be greater than or equal to zero`);
  basicName('primary_datacenter', rt.primaryDatacenter, true);
  if (!rt.devMode && rt.uiConfig.enabled && rt.uiConfig.dir !== '') {
    fail(
      'Both the ui_config.enabled and ui_config.dir (or -ui and -ui-dir) were specified, please provide only one.\n' +
        'If trying to use your own web UI resources, use ui_config.dir or the -ui-dir flag.\n' +
        'The web UI is included in the binary so use ui_config.enabled or the -ui flag to enable it',
    );
  }
  if (rt.dns.udpAnswerLimit < 0) fail(`dns_config.udp_answer_limit cannot be ${rt.dns.udpAnswerLimit}. Must be greater than or equal to zero`);
  if (rt.dns.udpWorkers < 0 || rt.dns.udpWorkers > 64) fail(`dns_config.udp_workers cannot be ${rt.dns.udpWorkers}. Must be between 0 and 64`);
  if (rt.dns.aRecordLimit < 0) fail(`dns_config.a_record_limit cannot be ${rt.dns.aRecordLimit}. Must be greater than or equal to zero`);
  const metaErr = nodeMetaError(rt.nodeMeta);
  if (metaErr) fail(`node_meta invalid: ${metaErr}`);
  if (rt.encryptKey !== '') {
    const keyErr = encryptKeyError(rt.encryptKey);
    if (keyErr) fail(`encrypt has invalid key: ${keyErr}`);
  }
  if (rt.acl.defaultPolicy !== 'allow' && rt.acl.defaultPolicy !== 'deny') {
    fail(`acl.default_policy must be "allow" or "deny", got ${JSON.stringify(rt.acl.defaultPolicy)}`);
  }
  if (!['allow', 'deny', 'extend-cache', 'async-cache'].includes(rt.acl.downPolicy)) {
    fail(`acl.down_policy must be one of "allow", "deny", "extend-cache" or "async-cache", got ${JSON.stringify(rt.acl.downPolicy)}`);
  }
  validateTLS(rt, fail);
  addressesUnique(rt, fail);
  for (const s of rt.services) {
    const errs: string[] = [];
    if (s.name === '') errs.push('Missing service name');
    if ((s.port !== 0 || s.address !== '') && s.socketPath !== '') {
      errs.push(`service ${s.name} cannot have both socket path ${s.socketPath} and address/port`);
    }
    if (s.weights.passing < 1) errs.push(`Passing must be greater than 0`);
    for (const c of s.checks) {
      const ce = checkTypeErrors(c);
      if (ce.length > 0) errs.push(`check ${JSON.stringify(c.name)}: ${multiError(ce)}`);
    }
    if (errs.length > 0) fail(`service ${JSON.stringify(s.name)}: ${multiError(errs)}`);
  }
  for (const c of rt.checks) {
    const ce = checkTypeErrors(c);
    if (ce.length > 0) fail(`check ${JSON.stringify(c.name)}: ${ce[0]}`);
  }
  if (rt.serverMode && rt.tls.autoEncryptTLS) fail('auto_encrypt.tls can only be used on a client.');
  if (!rt.serverMode && rt.tls.autoEncryptAllowTLS) fail('auto_encrypt.allow_tls can only be used on a server.');
  if (rt.limits.httpMaxConnsPerClient < 0) fail(`limits.http_max_conns_per_client cannot be ${rt.limits.httpMaxConnsPerClient}`);
  warn(rt, warnings);
}

function warn(rt: RuntimeConfig, warnings: string[]): void {
  if (rt.serverMode && !rt.devMode && !rt.bootstrap && rt.bootstrapExpect === 2) {
    warnings.push('bootstrap_expect = 2: A cluster with 2 servers will provide no failure tolerance. See https://www.consul.io/docs/internals/consensus.html#deployment-table');
  }
  if (rt.serverMode && !rt.bootstrap && rt.bootstrapExpect > 2 && rt.bootstrapExpect % 2 === 0) {
    warnings.push('bootstrap_expect is even number: A cluster with an even number of servers does not achieve optimum fault tolerance. See https://www.consul.io/docs/internals/consensus.html#deployment-table');
  }
  if (rt.serverMode && rt.bootstrap && rt.bootstrapExpect === 0) warnings.push('bootstrap = true: do not enable unless necessary');
  if (rt.serverMode && !rt.devMode && !rt.bootstrap && rt.bootstrapExpect > 1) warnings.push(`bootstrap_expect > 0: expecting ${rt.bootstrapExpect} servers`);
  const scripted = [...rt.checks, ...rt.services.flatMap((s) => s.checks)].some((c) => c.scriptArgs.length > 0);
  if (scripted && !rt.enableScriptChecks && !rt.enableLocalScriptChecks) {
    warnings.push('Script checks are configured but neither enable_script_checks nor enable_local_script_checks is set: they will not run');
  }
}

/** Consul's addrUnique over DNS, HTTP, HTTPS, RPC and Serf addresses: the "ports conflicts" check. */
function addressesUnique(rt: RuntimeConfig, fail: (m: string) => never): void {
  const inuse = new Map<string, string>();
  const add = (name: string, network: string, a: HostPort) => {
    const text = a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
    const key = `${network}:${text}`;
    const other = inuse.get(key);
    if (other) fail(`${name} address ${text} already configured for ${other}`);
    inuse.set(key, name);
  };
  for (const a of rt.dnsAddrs) add('DNS', 'tcp', a);
  for (const a of rt.dnsAddrs) add('DNS', 'udp', a);
  for (const a of rt.httpAddrs) add('HTTP', 'tcp', a);
  for (const a of rt.httpsAddrs) add('HTTPS', 'tcp', a);
  add('RPC Advertise', 'tcp', rt.rpcAdvertiseAddr);
  add('Serf Advertise LAN', 'tcp', rt.serfAdvertiseAddrLAN);
  if (rt.serfAdvertiseAddrWAN) add('Serf Advertise WAN', 'tcp', rt.serfAdvertiseAddrWAN);
}

function validateTLS(rt: RuntimeConfig, fail: (m: string) => never): void {
  const protos = [
    ['tls.internal_rpc', rt.tls.internalRPC],
    ['tls.https', rt.tls.https],
    ['tls.grpc', rt.tls.grpc],
  ] as const;
  for (const [name, p] of protos) {
    for (const [key, file] of [
      ['ca_file', p.caFile],
      ['cert_file', p.certFile],
      ['key_file', p.keyFile],
    ] as const) {
      if (file !== '' && !statSync(file, { throwIfNoEntry: false })?.isFile()) fail(`${name}.${key}: failed to read ${file}: no such file`);
    }
    if ((p.certFile === '') !== (p.keyFile === '')) fail(`${name}: cert_file and key_file must be given together`);
    const hasCA = p.caFile !== '' || p.caPath !== '';
    if (p.verifyIncoming && !hasCA && !p.useAutoCert) fail(`${name}: verify_incoming set, and no CA certificate provided!`);
    if (p.verifyIncoming && p.certFile === '' && !p.useAutoCert && !rt.tls.autoEncryptTLS) {
      fail(`${name}: verify_incoming set, and no cert/key pair provided!`);
    }
    if (p.verifyOutgoing && !hasCA && !rt.tls.autoEncryptTLS) fail(`${name}: verify_outgoing set, and no CA certificate provided!`);
  }
}

function basicName(field: string, value: string, allowEmpty: boolean): void {
  if (value === '') {
    if (allowEmpty) return;
    throw new ConfigError(`${field} cannot be empty`);
  }
  if (!/^[a-z0-9_-]+$/.test(value)) {
    throw new ConfigError(`${field} can only contain lowercase alphanumeric, - or _ characters. received: ${JSON.stringify(value)}`);
  }
}

/** structs.ValidateNodeMetadata's rules: ≤64 pairs, keys [A-Za-z0-9_-] ≤128 chars without `consul-`, values ≤512. */
function nodeMetaError(meta: Record<string, string>): string | undefined {
  const keys = Object.keys(meta);
  if (keys.length > 64) return `Node metadata cannot contain more than 64 key/value pairs`;
  for (const k of keys) {
    if (k === '') return 'Key cannot be blank';
    if (!/^[a-zA-Z0-9_-]+$/.test(k)) return `Key contains invalid characters`;
    if (k.length > 128) return `Key is too long (limit: 128 characters)`;
    if (k.startsWith('consul-')) return `Key prefix 'consul-' is reserved for internal use`;
    if ((meta[k] ?? '').length > 512) return `Value is too long (limit: 512 characters)`;
  }
  return undefined;
}

/** Go's base64.StdEncoding decode errors (simplified to the offending byte), then memberlist's key sizes. */
export function encryptKeyError(key: string): string | undefined {
  const bad = /[^A-Za-z0-9+/=]/.exec(key);
  if (bad) return `illegal base64 data at input byte ${bad.index}`;
  const eq = key.indexOf('=');
  const body = eq < 0 ? key.length : eq;
  const padding = key.length - body;
  if (eq >= 0 && /[^=]/.test(key.slice(eq))) return `illegal base64 data at input byte ${eq}`;
  if (key.length % 4 !== 0 || padding > 2) return `illegal base64 data at input byte ${key.length - (key.length % 4 || 4)}`;
  const len = (key.length / 4) * 3 - padding;
  if (len !== 16 && len !== 24 && len !== 32) return `key size must be 16, 24 or 32 bytes, got ${len}`;
  return undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Consul's data dir marker of a pre-0.5 server, refused on start. */
export function legacyDataDirError(rt: RuntimeConfig): string | undefined {
  if (!rt.serverMode || rt.dataDir === '') return undefined;
  const mdb = join(rt.dataDir, 'mdb');
  if (!statSync(mdb, { throwIfNoEntry: false })) return undefined;
  return `CRITICAL: Deprecated data folder found at ${JSON.stringify(mdb)}!\nConsul will refuse to boot with this directory present.\nSee https://www.consul.io/docs/upgrade-specific.html for more information.`;
}
