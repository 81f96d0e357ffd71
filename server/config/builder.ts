import { hostname } from 'node:os';
import type { LogLevel } from '../../core/ports/logger.ts';
import { CONSUL_BUILD_DATE, CONSUL_REVISION, CONSUL_VERSION, CONSUL_VERSION_PRERELEASE } from '../version.ts';
import { expandAddrs, isAnyAddr, type PrivateIPv4Finder } from './addresses.ts';
import type { ConfigObject, ConfigValue } from './decode.ts';
import { buildCheck, buildService } from './definitions.ts';
import { ConfigReader } from './read.ts';
import type { GossipConfig, HostPort, RuntimeConfig, TLSProtocolConfig } from './runtime-config.ts';
import { ConfigError, multiError } from './sources.ts';

/** Consul's consul.MaxRaftMultiplier. */
const MAX_RAFT_MULTIPLIER = 10;

/** Inputs of {@link buildRuntimeConfig} beyond the merged config. */
export interface BuildOptions {
  devMode: boolean;
  configFiles: string[];
  findPrivateIPv4: PrivateIPv4Finder;
  hostname?: () => string;
}

/**
 * Turns the merged config into a RuntimeConfig (Consul's builder.build): resolves addresses and
 * ports, applies the deprecated spellings, scales raft timings, builds services and checks.
 * Throws ConfigError with Consul's text on the first unrecoverable problem; `warnings` collects
 * Consul's warnings.
 */
export function buildRuntimeConfig(c: ConfigObject, opts: BuildOptions, warnings: string[]): RuntimeConfig {
  const r = new ConfigReader(c);
  const fail = (msg: string): never => {
    throw new ConfigError(msg);
  };

  const serverMode = r.bool('server');
  const ports = {
    dns: r.port('ports.dns'),
    http: r.port('ports.http'),
    https: r.port('ports.https'),
    grpc: r.port('ports.grpc'),
    grpcTls: r.has('ports.grpc_tls') ? r.port('ports.grpc_tls') : serverMode ? 8503 : -1,
    serfLan: r.port('ports.serf_lan'),
    serfWan: r.port('ports.serf_wan'),
    server: r.port('ports.server'),
  };
  if (ports.server <= 0) fail('server-port must be greater than zero');
  if (ports.serfLan <= 0) fail('serf-lan-port must be greater than zero');

  const expand = (name: string, value: string): string[] => {
    try {
      return expandAddrs(value, opts.findPrivateIPv4);
    } catch (e) {
      r.errors.push(`${name}: error parsing ${JSON.stringify(value)}: ${(e as Error).message}`);
      return [];
    }
  };
  const bindAddrs = expand('bind_addr', r.str('bind_addr'));
  if (bindAddrs.length === 0) fail(r.errors.length > 0 ? multiError(r.errors) : 'bind_addr cannot be empty');
  if (bindAddrs.length > 1) fail("bind_addr cannot contain multiple addresses. Use 'addresses.{dns,http,https}' instead.");
  const bindAddr = bindAddrs[0]!;
  if (isAnyAddr(r.str('advertise_addr'))) fail('Advertise address cannot be 0.0.0.0, :: or [::]');
  if (isAnyAddr(r.str('advertise_addr_wan'))) fail('Advertise WAN address cannot be 0.0.0.0, :: or [::]');

  const firstIP = (name: string, path: string): string | undefined => {
    const v = r.str(path);
    return v === '' ? undefined : expand(name, v)[0];
  };
  let advertise = firstIP('advertise_addr', 'advertise_addr') ?? bindAddr;
  if (isAnyAddr(advertise)) {
    const kind = advertise.includes(':') ? 'public IPv6' : 'private IPv4';
    const found = kind === 'private IPv4' ? opts.findPrivateIPv4() : [];
    if (found.length === 0) fail(`No ${kind} address found`);
    if (found.length > 1) fail(`Multiple ${kind} addresses found. Please configure one with 'bind' and/or 'advertise'.`);
    advertise = found[0]!;
  }
  const advertiseWAN = firstIP('advertise_addr_wan', 'advertise_addr_wan') ?? advertise;
  const serfBindLAN = firstIP('serf_lan', 'serf_lan') ?? bindAddr;
  const serfBindWAN = firstIP('serf_wan', 'serf_wan') ?? bindAddr;

  const clientAddrs = expand('client_addr', r.str('client_addr'));
  if (clientAddrs.length === 0) {
    warnings.push('client_addr is empty, client services (DNS, HTTP, HTTPS, GRPC) will not be listening for connections');
  }
  const listeners = (path: string, port: number): HostPort[] => {
    if (port <= 0) return [];
    const own = r.str(path);
    const hosts = own === '' ? clientAddrs : expand(path, own);
    return hosts.map((host) => ({ host, port }));
  };

  const datacenter = r.str('datacenter').toLowerCase();
  const raftMultiplier = r.int('performance.raft_multiplier');
  if (raftMultiplier < 1 || raftMultiplier > MAX_RAFT_MULTIPLIER) {
    fail(`performance.raft_multiplier cannot be ${raftMultiplier}. Must be between 1 and ${MAX_RAFT_MULTIPLIER}`);
  }

  applyDeprecated(c, r, warnings);
  const uiEnabled = r.bool('ui_config.enabled');
  const nodeName = r.str('node_name') || (opts.hostname ?? hostname)();
  const recursors = [...new Set(r.list('recursors'))];
  const raftLogStoreBackend = r.str('raft_logstore.backend') as RuntimeConfig['raftLogStoreBackend'];
  // Consul checks it on servers only (agent/config/builder.go): clients keep no Raft log.
  if (r.bool('server') && raftLogStoreBackend !== '' && raftLogStoreBackend !== 'boltdb' && raftLogStoreBackend !== 'wal') {
    fail("raft_logstore.backend must be one of 'boltdb' or 'wal'");
  }
  for (const rec of recursors) if (rec.startsWith('unix://')) fail(`DNS Recursors cannot be unix sockets: ${rec}`);
  const aclEnabled = r.bool('acl.enabled');
  const primaryDatacenter = (r.str('primary_datacenter') || r.str('acl_datacenter')).toLowerCase() || datacenter;
  const enableScriptChecks = r.bool('enable_script_checks');
  const checkOutputMax = r.int('check_output_max_size');

  const rt: RuntimeConfig = {
    devMode: opts.devMode,
    nodeName,
    nodeId: r.str('node_id').toLowerCase(),
    nodeMeta: stringMap(r.obj('node_meta')),
    datacenter,
    primaryDatacenter,
    dataDir: r.str('data_dir'),
    serverMode,
    bootstrap: r.bool('bootstrap'),
    bootstrapExpect: r.int('bootstrap_expect'),
    selfBootstrap: false,
    readReplica: r.bool('read_replica'),
    bindAddr,
    advertiseAddrLAN: advertise,
    advertiseAddrWAN: advertiseWAN,
    serfBindAddrLAN: { host: serfBindLAN, port: ports.serfLan },
    serfBindAddrWAN: ports.serfWan > 0 ? { host: serfBindWAN, port: ports.serfWan } : undefined,
    serfAdvertiseAddrLAN: { host: advertise, port: ports.serfLan },
    serfAdvertiseAddrWAN: ports.serfWan > 0 ? { host: advertiseWAN, port: ports.serfWan } : undefined,
    rpcBindAddr: { host: bindAddr, port: ports.server },
    rpcAdvertiseAddr: { host: advertise, port: ports.server },
    clientAddrs,
    httpAddrs: listeners('addresses.http', ports.http),
    httpsAddrs: listeners('addresses.https', ports.https),
    dnsAddrs: listeners('addresses.dns', ports.dns),
    grpcAddrs: listeners('addresses.grpc', ports.grpc),
    grpcTlsAddrs: listeners('addresses.grpc_tls', ports.grpcTls),
    ports,
    taggedAddresses: { ...stringMap(r.obj('tagged_addresses')), lan: advertise, wan: advertiseWAN, ...ipv4Tags(advertise, advertiseWAN) },
    translateWanAddrs: r.bool('translate_wan_addrs'),
    retryJoinLAN: [...r.list('retry_join'), ...r.list('start_join')],
    retryJoinWAN: [...r.list('retry_join_wan'), ...r.list('start_join_wan')],
    retryJoinIntervalLAN: r.dur('retry_interval'),
    retryJoinIntervalWAN: r.dur('retry_interval_wan'),
    retryJoinMaxAttemptsLAN: r.int('retry_max'),
    retryJoinMaxAttemptsWAN: r.int('retry_max_wan'),
    rejoinAfterLeave: r.bool('rejoin_after_leave'),
    leaveOnTerm: r.bool('leave_on_terminate', undefined, !serverMode),
    skipLeaveOnInt: r.bool('skip_leave_on_interrupt', undefined, serverMode),
    reconnectTimeoutLAN: durationWithMin(r, 'reconnect_timeout', 72 * 3_600_000, 8 * 3_600_000),
    reconnectTimeoutWAN: durationWithMin(r, 'reconnect_timeout_wan', 72 * 3_600_000, 8 * 3_600_000),
    encryptKey: r.str('encrypt'),
    encryptVerifyIncoming: r.bool('encrypt_verify_incoming'),
    encryptVerifyOutgoing: r.bool('encrypt_verify_outgoing'),
    disableKeyringFile: r.bool('disable_keyring_file'),
    logging: {
      logLevel: logLevel(r.str('log_level')),
      logJSON: r.bool('log_json'),
      logFile: r.str('log_file'),
      enableSyslog: r.bool('enable_syslog'),
    },
    pidFile: r.str('pid_file'),
    uiConfig: { enabled: uiEnabled, dir: r.str('ui_config.dir'), contentPath: uiPath(r.str('ui_config.content_path') || '/ui/') },
    enableScriptChecks,
    enableLocalScriptChecks: r.bool('enable_local_script_checks', undefined, enableScriptChecks),
    disableRemoteExec: r.bool('disable_remote_exec'),
    enableDebug: r.bool('enable_debug'),
    disableUpdateCheck: r.bool('disable_update_check'),
    connectEnabled: r.bool('connect.enabled'),
    aclsEnabled: aclEnabled,
    acl: {
      defaultPolicy: r.str('acl.default_policy') as 'allow' | 'deny',
      downPolicy: r.str('acl.down_policy'),
      tokenTTL: r.dur('acl.token_ttl'),
      policyTTL: r.dur('acl.policy_ttl'),
      roleTTL: r.dur('acl.role_ttl'),
      enableKeyListPolicy: r.bool('acl.enable_key_list_policy'),
      enableTokenPersistence: r.bool('acl.enable_token_persistence'),
      enableTokenReplication: r.bool('acl.enable_token_replication'),
      tokens: {
        initialManagement: r.str('acl.tokens.initial_management'),
        agentRecovery: r.str('acl.tokens.agent_recovery'),
        default: r.str('acl.tokens.default'),
        agent: r.str('acl.tokens.agent'),
        replication: r.str('acl.tokens.replication'),
        configFileServiceRegistration: r.str('acl.tokens.config_file_service_registration'),
        dns: r.str('acl.tokens.dns'),
      },
    },
    raftProtocol: r.int('raft_protocol'),
    raftMultiplier,
    raftElectionTimeout: r.dur('consul.raft.election_timeout') * raftMultiplier,
    raftHeartbeatTimeout: r.dur('consul.raft.heartbeat_timeout') * raftMultiplier,
    raftLeaderLeaseTimeout: r.dur('consul.raft.leader_lease_timeout') * raftMultiplier,
    raftSnapshotThreshold: r.int('raft_snapshot_threshold'),
    raftSnapshotInterval: r.dur('raft_snapshot_interval'),
    raftTrailingLogs: r.int('raft_trailing_logs'),
    raftLogStoreBackend,
    leaveDrainTime: r.dur('performance.leave_drain_time'),
    rpcHoldTimeout: r.dur('performance.rpc_hold_timeout'),
    serverHealthInterval: r.dur('consul.server.health_interval'),
    coordinateUpdatePeriod: r.dur('consul.coordinate.update_period'),
    autopilot: {
      cleanupDeadServers: r.bool('autopilot.cleanup_dead_servers'),
      lastContactThreshold: r.dur('autopilot.last_contact_threshold'),
      maxTrailingLogs: r.int('autopilot.max_trailing_logs'),
      minQuorum: r.int('autopilot.min_quorum'),
      serverStabilizationTime: r.dur('autopilot.server_stabilization_time'),
    },
    gossipLAN: gossip(r, 'gossip_lan'),
    gossipWAN: gossip(r, 'gossip_wan'),
    dns: {
      domain: r.str('domain'),
      altDomain: r.str('alt_domain'),
      recursors,
      allowStale: r.bool('dns_config.allow_stale'),
      maxStale: r.dur('dns_config.max_stale'),
      nodeTTL: r.dur('dns_config.node_ttl'),
      serviceTTL: Object.fromEntries(
        Object.keys(r.obj('dns_config.service_ttl')).map((k) => [k, r.dur(k, r.obj('dns_config.service_ttl'), `dns_config.service_ttl[${JSON.stringify(k)}]`)]),
      ),
      udpAnswerLimit: r.int('dns_config.udp_answer_limit'),
      udpWorkers: r.int('dns_config.udp_workers'),
      aRecordLimit: r.int('dns_config.a_record_limit'),
      enableTruncate: r.bool('dns_config.enable_truncate'),
      onlyPassing: r.bool('dns_config.only_passing'),
      recursorTimeout: r.dur('dns_config.recursor_timeout'),
      recursorStrategy: recursorStrategy(r),
      disableCompression: r.bool('dns_config.disable_compression'),
      nodeMetaTXT: r.bool('dns_config.node_meta_txt', undefined, true),
      soa: {
        refresh: r.int('dns_config.soa.refresh', undefined, 3600),
        retry: r.int('dns_config.soa.retry', undefined, 600),
        expire: r.int('dns_config.soa.expire', undefined, 86400),
        minttl: r.int('dns_config.soa.min_ttl', undefined, 0),
      },
      useCache: r.bool('dns_config.use_cache'),
      cacheMaxAge: r.dur('dns_config.cache_max_age'),
    },
    limits: {
      httpMaxConnsPerClient: r.int('limits.http_max_conns_per_client'),
      httpsHandshakeTimeout: r.dur('limits.https_handshake_timeout'),
      rpcHandshakeTimeout: r.dur('limits.rpc_handshake_timeout'),
      rpcMaxConnsPerClient: r.int('limits.rpc_max_conns_per_client'),
      rpcRate: r.int('limits.rpc_rate') < 0 ? Number.POSITIVE_INFINITY : r.int('limits.rpc_rate'),
      rpcMaxBurst: r.int('limits.rpc_max_burst'),
      kvMaxValueSize: r.int('limits.kv_max_value_size'),
      txnMaxReqLen: r.int('limits.txn_max_req_len'),
    },
    telemetry: {
      prometheusRetentionTime: r.has('telemetry.prometheus_retention_time') ? r.dur('telemetry.prometheus_retention_time') : 0,
    },
    defaultQueryTime: r.dur('default_query_time'),
    maxQueryTime: r.dur('max_query_time'),
    sessionTTLMin: r.has('session_ttl_min') ? r.dur('session_ttl_min') : 10_000,
    aeInterval: r.dur('ae_interval'),
    checkReapInterval: r.dur('check_reap_interval'),
    checkDeregisterIntervalMin: r.dur('check_deregister_interval_min'),
    checkUpdateInterval: r.dur('check_update_interval'),
    checkOutputMaxSize: checkOutputMax,
    discardCheckOutput: r.bool('discard_check_output'),
    syncCoordinateRateTarget: r.int('sync_coordinate_rate_target'),
    syncCoordinateIntervalMin: r.dur('sync_coordinate_interval_min'),
    services: [...listOf(c.services), ...listOf(c.service)].map((s) => buildService(r, s as ConfigObject, checkOutputMax)),
    checks: [...listOf(c.checks), ...listOf(c.check)].map((k) => buildCheck(r, k as ConfigObject, checkOutputMax)),
    watches: Array.isArray(c.watches) ? c.watches : [],
    tls: {
      internalRPC: tlsProtocol(r, 'internal_rpc'),
      https: tlsProtocol(r, 'https'),
      grpc: tlsProtocol(r, 'grpc'),
      autoEncryptTLS: r.bool('auto_encrypt.tls'),
      autoEncryptAllowTLS: r.bool('auto_encrypt.allow_tls'),
    },
    version: CONSUL_VERSION,
    versionPrerelease: CONSUL_VERSION_PRERELEASE,
    revision: CONSUL_REVISION,
    buildDate: CONSUL_BUILD_DATE,
    configFiles: opts.configFiles,
  };
  if (rt.bootstrapExpect === 1) {
    rt.bootstrap = true;
    rt.bootstrapExpect = 0;
    warnings.push('BootstrapExpect is set to 1; this is the same as Bootstrap mode.');
  }
  rt.selfBootstrap = rt.serverMode && (rt.bootstrap || rt.devMode);
  if (r.errors.length > 0) fail(multiError(r.errors));
  return rt;
}

/** Consul's deprecated.go: old top-level spellings fill the new keys when those are unset. */
function applyDeprecated(c: ConfigObject, r: ConfigReader, warnings: string[]): void {
  const moves: Array<[from: string, to: string]> = [
    ['acl_default_policy', 'acl.default_policy'],
    ['acl_down_policy', 'acl.down_policy'],
    ['acl_ttl', 'acl.token_ttl'],
    ['acl_enable_key_list_policy', 'acl.enable_key_list_policy'],
    ['acl_token', 'acl.tokens.default'],
    ['acl_agent_token', 'acl.tokens.agent'],
    ['acl_agent_master_token', 'acl.tokens.agent_recovery'],
    ['acl_master_token', 'acl.tokens.initial_management'],
    ['acl_replication_token', 'acl.tokens.replication'],
    ['acl.tokens.master', 'acl.tokens.initial_management'],
    ['acl.tokens.agent_master', 'acl.tokens.agent_recovery'],
    ['ui', 'ui_config.enabled'],
    ['ui_dir', 'ui_config.dir'],
    ['ui_content_path', 'ui_config.content_path'],
    ['verify_incoming', 'tls.defaults.verify_incoming'],
    ['verify_outgoing', 'tls.defaults.verify_outgoing'],
    ['verify_server_hostname', 'tls.internal_rpc.verify_server_hostname'],
    ['verify_incoming_rpc', 'tls.internal_rpc.verify_incoming'],
    ['verify_incoming_https', 'tls.https.verify_incoming'],
    ['ca_file', 'tls.defaults.ca_file'],
    ['ca_path', 'tls.defaults.ca_path'],
    ['cert_file', 'tls.defaults.cert_file'],
    ['key_file', 'tls.defaults.key_file'],
    ['tls_cipher_suites', 'tls.defaults.tls_cipher_suites'],
  ];
  const userSet = (k: string) => r.has(k);
  for (const [from, to] of moves) {
    const v = r.raw(from);
    if (v === undefined) continue;
    if (!userSet(to)) setDeep(c, to, v);
    if (from !== 'acl_default_policy' && from !== 'acl_down_policy' && from !== 'acl_ttl') {
      warnings.push(`The '${from}' field is deprecated. Use the '${to}' field instead.`);
    }
  }
  if (r.has('tls_min_version') && !r.has('tls.defaults.tls_min_version')) setDeep(c, 'tls.defaults.tls_min_version', r.raw('tls_min_version')!);
  if (r.str('acl_datacenter') !== '' && !r.has('acl.enabled')) setDeep(c, 'acl.enabled', true);
  if (r.list('start_join').length > 0) warnings.push("The 'start_join' field is deprecated. Use the 'retry_join' field instead.");
  if (r.list('start_join_wan').length > 0) warnings.push("The 'start_join_wan' field is deprecated. Use the 'retry_join_wan' field instead.");
}

function setDeep(c: ConfigObject, path: string, value: ConfigValue): void {
  const parts = path.split('.');
  let cur = c;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[p] = {};
    cur = cur[p] as ConfigObject;
  }
  cur[parts.at(-1)!] = value;
}

function listOf(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function stringMap(o: ConfigObject): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
}

function ipv4Tags(lan: string, wan: string): Record<string, string> {
  const out: Record<string, string> = {};
  const v4 = (ip: string) => !ip.includes(':');
  if (v4(lan)) out.lan_ipv4 = lan;
  else out.lan_ipv6 = lan;
  if (v4(wan)) out.wan_ipv4 = wan;
  else out.wan_ipv6 = wan;
  return out;
}

function durationWithMin(r: ConfigReader, path: string, dflt: number, min: number): number {
  const d = r.has(path) ? r.dur(path) : dflt;
  if (d < min) r.errors.push(`${path}: duration '${fmtMs(d)}' cannot be less than: ${fmtMs(min)}`);
  return d;
}

function fmtMs(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
}

/** Consul's log levels are case-insensitive; ERR is an alias of ERROR. */
function logLevel(v: string): LogLevel {
  const l = v.toLowerCase();
  if (l === 'err') return 'error';
  if (l === 'trace' || l === 'debug' || l === 'info' || l === 'warn' || l === 'error') return l;
  throw new ConfigError(`Invalid log level: ${v}. Valid log levels are: [TRACE DEBUG INFO WARN ERR ERROR]`);
}

function uiPath(p: string): string {
  let out = p.startsWith('/') ? p : `/${p}`;
  if (!out.endsWith('/')) out += '/';
  return out;
}

function gossip(r: ConfigReader, pool: string): GossipConfig {
  return {
    gossipNodes: r.int(`${pool}.gossip_nodes`),
    gossipInterval: r.dur(`${pool}.gossip_interval`),
    probeInterval: r.dur(`${pool}.probe_interval`),
    probeTimeout: r.dur(`${pool}.probe_timeout`),
    suspicionMult: r.int(`${pool}.suspicion_mult`),
    retransmitMult: r.int(`${pool}.retransmit_mult`),
  };
}

function recursorStrategy(r: ConfigReader): 'sequential' | 'random' {
  const v = r.str('dns_config.recursor_strategy');
  if (v === '' || v === 'sequential') return 'sequential';
  if (v === 'random') return 'random';
  r.errors.push(`dns_config.recursor_strategy: invalid strategy: ${JSON.stringify(v)}`);
  return 'sequential';
}

const TLS_VERSIONS: Record<string, string> = {
  tls10: 'TLSv1_0',
  tls11: 'TLSv1_1',
  tls12: 'TLSv1_2',
  tls13: 'TLSv1_3',
  TLSv1_0: 'TLSv1_0',
  TLSv1_1: 'TLSv1_1',
  TLSv1_2: 'TLSv1_2',
  TLSv1_3: 'TLSv1_3',
};

/** One protocol's TLS settings: its own keys over tls.defaults (Consul's buildTLSConfig). */
function tlsProtocol(r: ConfigReader, proto: string): TLSProtocolConfig {
  const pick = (k: string) => (r.has(`tls.${proto}.${k}`) ? `tls.${proto}.${k}` : `tls.defaults.${k}`);
  const rawVersion = r.str(pick('tls_min_version')) || 'tls12';
  const version = TLS_VERSIONS[rawVersion];
  if (!version) {
    r.errors.push(`tls.${proto}.tls_min_version: unsupported TLS version ${JSON.stringify(rawVersion)}; use one of tls10, tls11, tls12, tls13`);
  }
  return {
    caFile: r.str(pick('ca_file')),
    caPath: r.str(pick('ca_path')),
    certFile: r.str(pick('cert_file')),
    keyFile: r.str(pick('key_file')),
    tlsMinVersion: version ?? 'TLSv1_2',
    cipherSuites: r.str(pick('tls_cipher_suites')),
    verifyIncoming: r.bool(pick('verify_incoming')),
    verifyOutgoing: proto === 'grpc' ? false : r.bool(pick('verify_outgoing')),
    verifyServerHostname: proto === 'internal_rpc' ? r.bool(pick('verify_server_hostname')) : false,
    useAutoCert: r.bool(pick('use_auto_cert')),
  };
}
