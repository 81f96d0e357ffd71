import type { ConfigObject } from './decode.ts';
import type { ConfigReader } from './read.ts';
import type { CheckDefinition, ServiceDefinition } from './runtime-config.ts';

const SERVICE_KINDS = new Set(['', 'connect-proxy', 'mesh-gateway', 'terminating-gateway', 'ingress-gateway', 'api-gateway']);

/** A service definition from config (Consul's builder.serviceVal); unknown kinds become typical. */
export function buildService(r: ConfigReader, s: ConfigObject, outputMax: number): ServiceDefinition {
  const checks = [...listOf(s.checks), ...listOf(s.check)].map((c) => buildCheck(r, c as ConfigObject, outputMax));
  const kind = r.str('kind', s);
  const tagged = r.obj('tagged_addresses', s);
  return {
    kind: SERVICE_KINDS.has(kind) ? kind : '',
    id: r.str('id', s),
    name: r.str('name', s),
    tags: r.list('tags', s),
    address: r.str('address', s),
    taggedAddresses: Object.fromEntries(
      Object.entries(tagged).map(([k, v]) => [k, { address: r.str('address', v as ConfigObject), port: r.int('port', v as ConfigObject) }]),
    ),
    meta: Object.fromEntries(Object.entries(r.obj('meta', s)).map(([k, v]) => [k, String(v)])),
    port: r.int('port', s),
    socketPath: r.str('socket_path', s),
    token: r.str('token', s),
    enableTagOverride: r.bool('enable_tag_override', s),
    weights: { passing: r.int('weights.passing', s, 1), warning: r.int('weights.warning', s, 1) },
    checks,
    proxy: s.proxy,
    connect: s.connect,
  };
}

/** A check definition from config (Consul's builder.checkVal). */
export function buildCheck(r: ConfigReader, c: ConfigObject, outputMax: number): CheckDefinition {
  const id = r.str('id', c);
  const d = (k: string) => r.dur(k, c, `check[${id}].${k}`);
  const h2ping = r.str('h2ping', c);
  const failuresBeforeCritical = r.int('failures_before_critical', c);
  const header = r.obj('header', c);
  return {
    id,
    name: r.str('name', c),
    notes: r.str('notes', c),
    serviceId: r.str('service_id', c),
    token: r.str('token', c),
    status: r.str('status', c),
    scriptArgs: r.list('args', c),
    http: r.str('http', c),
    header: Object.fromEntries(Object.entries(header).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : [String(v)]])),
    method: r.str('method', c),
    body: r.str('body', c),
    disableRedirects: r.bool('disable_redirects', c),
    tcp: r.str('tcp', c),
    tcpUseTLS: r.bool('tcp_use_tls', c),
    udp: r.str('udp', c),
    interval: d('interval'),
    dockerContainerId: r.str('docker_container_id', c),
    shell: r.str('shell', c),
    grpc: r.str('grpc', c),
    grpcUseTLS: r.bool('grpc_use_tls', c),
    tlsServerName: r.str('tls_server_name', c),
    tlsSkipVerify: r.bool('tls_skip_verify', c),
    aliasNode: r.str('alias_node', c),
    aliasService: r.str('alias_service', c),
    timeout: d('timeout'),
    ttl: d('ttl'),
    h2ping,
    h2pingUseTLS: r.bool('h2ping_use_tls', c, h2ping !== ''),
    osService: r.str('os_service', c),
    successBeforePassing: r.int('success_before_passing', c),
    failuresBeforeWarning: r.int('failures_before_warning', c, failuresBeforeCritical),
    failuresBeforeCritical,
    deregisterCriticalServiceAfter: d('deregister_critical_service_after'),
    outputMaxSize: r.int('output_max_size', c, outputMax),
  };
}

/**
 * Consul's CheckType.Validate (agent/structs/check_type.go): returns the errors, empty when valid.
 */
export function checkTypeErrors(c: CheckDefinition): string[] {
  const errs: string[] = [];
  const isScript = c.scriptArgs.length > 0 || c.dockerContainerId !== '';
  const intervalCheck = isScript || c.http !== '' || c.tcp !== '' || c.udp !== '' || c.grpc !== '' || c.h2ping !== '' || c.osService !== '';
  const isAlias = c.aliasNode !== '' || c.aliasService !== '';
  if (c.interval > 0 && c.ttl > 0) errs.push('Interval and TTL cannot both be specified');
  if (intervalCheck && c.interval <= 0) errs.push('Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks');
  if (isAlias) {
    if (c.ttl > 0) errs.push('TTL must be not be set for Alias checks');
    if (c.interval > 0) errs.push('Interval cannot be set for Alias checks');
  }
  if (!intervalCheck && !isAlias && c.ttl <= 0) errs.push('TTL must be > 0 for TTL checks');
  if (c.outputMaxSize < 0) errs.push('MaxOutputMaxSize must be positive');
  if (c.failuresBeforeWarning > c.failuresBeforeCritical) errs.push("FailuresBeforeWarning can't be higher than FailuresBeforeCritical");
  return errs;
}

function listOf(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
