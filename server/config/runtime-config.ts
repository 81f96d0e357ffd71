import type { LogLevel } from '../../core/ports/logger.ts';

/**
 * The agent's resolved configuration (Consul's agent/config RuntimeConfig): every default applied,
 * every source merged, every value validated. Durations are milliseconds; a port of -1 means the
 * listener is disabled. This object is what the agent consumes; nothing here has been bound yet.
 */
export interface RuntimeConfig {
  devMode: boolean;
  nodeName: string;
  /** Empty when not configured: the agent reads or creates `<data-dir>/node-id` (server/log/node-id.ts). */
  nodeId: string;
  nodeMeta: Record<string, string>;
  datacenter: string;
  primaryDatacenter: string;
  /** Empty only in -dev (in-memory). */
  dataDir: string;

  serverMode: boolean;
  bootstrap: boolean;
  bootstrapExpect: number;
  /** Whether this server bootstraps a one-server cluster on its own: `bootstrap || devMode`, as Consul's setupRaft does. */
  selfBootstrap: boolean;
  readReplica: boolean;

  bindAddr: string;
  advertiseAddrLAN: string;
  advertiseAddrWAN: string;
  serfBindAddrLAN: HostPort;
  /** Undefined when the WAN pool is disabled (serf_wan port -1). */
  serfBindAddrWAN: HostPort | undefined;
  serfAdvertiseAddrLAN: HostPort;
  serfAdvertiseAddrWAN: HostPort | undefined;
  rpcBindAddr: HostPort;
  rpcAdvertiseAddr: HostPort;
  clientAddrs: string[];
  httpAddrs: HostPort[];
  httpsAddrs: HostPort[];
  dnsAddrs: HostPort[];
  grpcAddrs: HostPort[];
  grpcTlsAddrs: HostPort[];
  ports: {
    dns: number;
    http: number;
    https: number;
    grpc: number;
    grpcTls: number;
    serfLan: number;
    serfWan: number;
    server: number;
  };
  taggedAddresses: Record<string, string>;
  translateWanAddrs: boolean;

  retryJoinLAN: string[];
  retryJoinWAN: string[];
  retryJoinIntervalLAN: number;
  retryJoinIntervalWAN: number;
  retryJoinMaxAttemptsLAN: number;
  retryJoinMaxAttemptsWAN: number;
  rejoinAfterLeave: boolean;
  leaveOnTerm: boolean;
  skipLeaveOnInt: boolean;
  reconnectTimeoutLAN: number;
  reconnectTimeoutWAN: number;

  encryptKey: string;
  encryptVerifyIncoming: boolean;
  encryptVerifyOutgoing: boolean;
  disableKeyringFile: boolean;

  logging: { logLevel: LogLevel; logJSON: boolean; logFile: string; enableSyslog: boolean };
  pidFile: string;
  uiConfig: { enabled: boolean; dir: string; contentPath: string };

  enableScriptChecks: boolean;
  enableLocalScriptChecks: boolean;
  disableRemoteExec: boolean;
  enableDebug: boolean;
  disableUpdateCheck: boolean;
  connectEnabled: boolean;

  aclsEnabled: boolean;
  acl: {
    defaultPolicy: 'allow' | 'deny';
    downPolicy: string;
    tokenTTL: number;
    policyTTL: number;
    roleTTL: number;
    enableKeyListPolicy: boolean;
    enableTokenPersistence: boolean;
    enableTokenReplication: boolean;
    tokens: {
      initialManagement: string;
      agentRecovery: string;
      default: string;
      agent: string;
      replication: string;
      configFileServiceRegistration: string;
      dns: string;
    };
  };

  raftProtocol: number;
  raftMultiplier: number;
  /** Consul's base raft timings times raft_multiplier. */
  raftElectionTimeout: number;
  raftHeartbeatTimeout: number;
  raftLeaderLeaseTimeout: number;
  raftSnapshotThreshold: number;
  raftSnapshotInterval: number;
  raftTrailingLogs: number;
  /**
   * `raft_logstore.backend`: "boltdb" (our LMDB store, raft.db) or "wal" (raft.wal); "" picks by
   * what the data dir holds, WAL for a new one (see server/storage/backends.ts).
   */
  raftLogStoreBackend: '' | 'boltdb' | 'wal';
  leaveDrainTime: number;
  rpcHoldTimeout: number;
  serverHealthInterval: number;
  coordinateUpdatePeriod: number;
  autopilot: {
    cleanupDeadServers: boolean;
    lastContactThreshold: number;
    maxTrailingLogs: number;
    minQuorum: number;
    serverStabilizationTime: number;
  };
  gossipLAN: GossipConfig;
  gossipWAN: GossipConfig;

  dns: {
    domain: string;
    altDomain: string;
    recursors: string[];
    allowStale: boolean;
    maxStale: number;
    nodeTTL: number;
    serviceTTL: Record<string, number>;
    udpAnswerLimit: number;
    /** `dns_config.udp_workers` (our extension): extra processes answering UDP DNS on the agent's sockets. */
    udpWorkers: number;
    aRecordLimit: number;
    enableTruncate: boolean;
    onlyPassing: boolean;
    recursorTimeout: number;
    recursorStrategy: 'sequential' | 'random';
    disableCompression: boolean;
    nodeMetaTXT: boolean;
    soa: { refresh: number; retry: number; expire: number; minttl: number };
    useCache: boolean;
    cacheMaxAge: number;
  };

  /** `telemetry`: what the agent acts on today (Prometheus output of /v1/agent/metrics). */
  telemetry: { prometheusRetentionTime: number };

  limits: {
    httpMaxConnsPerClient: number;
    httpsHandshakeTimeout: number;
    rpcHandshakeTimeout: number;
    rpcMaxConnsPerClient: number;
    rpcRate: number;
    rpcMaxBurst: number;
    kvMaxValueSize: number;
    txnMaxReqLen: number;
  };
  defaultQueryTime: number;
  maxQueryTime: number;
  sessionTTLMin: number;
  aeInterval: number;
  checkReapInterval: number;
  checkDeregisterIntervalMin: number;
  checkUpdateInterval: number;
  checkOutputMaxSize: number;
  discardCheckOutput: boolean;
  syncCoordinateRateTarget: number;
  syncCoordinateIntervalMin: number;

  services: ServiceDefinition[];
  checks: CheckDefinition[];
  /** Watches as written in the config (`watches = [...]`), for the agent's watch runner. */
  watches: unknown[];

  tls: {
    internalRPC: TLSProtocolConfig;
    https: TLSProtocolConfig;
    grpc: TLSProtocolConfig;
    autoEncryptTLS: boolean;
    autoEncryptAllowTLS: boolean;
  };

  version: string;
  versionPrerelease: string;
  revision: string;
  buildDate: string;
  /** Every config file actually read, in merge order (for SIGHUP reload and auto-reload). */
  configFiles: string[];
}

/** A bind or advertise address. */
export interface HostPort {
  host: string;
  port: number;
}

export interface GossipConfig {
  gossipNodes: number;
  gossipInterval: number;
  probeInterval: number;
  probeTimeout: number;
  suspicionMult: number;
  retransmitMult: number;
}

export interface TLSProtocolConfig {
  caFile: string;
  caPath: string;
  certFile: string;
  keyFile: string;
  /** Consul's spelling, e.g. `TLSv1_2`. */
  tlsMinVersion: string;
  cipherSuites: string;
  verifyIncoming: boolean;
  verifyOutgoing: boolean;
  verifyServerHostname: boolean;
  useAutoCert: boolean;
}

/** A check from a config file (structs.CheckDefinition); durations in ms, 0 when unset. */
export interface CheckDefinition {
  id: string;
  name: string;
  notes: string;
  serviceId: string;
  token: string;
  status: string;
  scriptArgs: string[];
  http: string;
  header: Record<string, string[]>;
  method: string;
  body: string;
  disableRedirects: boolean;
  tcp: string;
  tcpUseTLS: boolean;
  udp: string;
  interval: number;
  dockerContainerId: string;
  shell: string;
  grpc: string;
  grpcUseTLS: boolean;
  tlsServerName: string;
  tlsSkipVerify: boolean;
  aliasNode: string;
  aliasService: string;
  timeout: number;
  ttl: number;
  h2ping: string;
  h2pingUseTLS: boolean;
  osService: string;
  successBeforePassing: number;
  failuresBeforeWarning: number;
  failuresBeforeCritical: number;
  deregisterCriticalServiceAfter: number;
  outputMaxSize: number;
}

/** A service from a config file (structs.ServiceDefinition). */
export interface ServiceDefinition {
  kind: string;
  id: string;
  name: string;
  tags: string[];
  address: string;
  taggedAddresses: Record<string, { address: string; port: number }>;
  meta: Record<string, string>;
  port: number;
  socketPath: string;
  token: string;
  enableTagOverride: boolean;
  weights: { passing: number; warning: number };
  checks: CheckDefinition[];
  proxy: unknown;
  connect: unknown;
}
