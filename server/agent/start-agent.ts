/**
 * Starts an agent from a RuntimeConfig on real sockets: gossip, server RPC and Raft, the HTTP API.
 * Used by `consul agent` and by tests that want an agent in-process.
 */

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Agent } from '../../core/agent/agent.ts';
import type { AgentConfig, AgentTokens, GossipEncryption } from '../../core/agent/agent-config.ts';
import { RpcDnsCatalog } from '../../core/agent/rpc-dns-catalog.ts';
import type { DnsCatalog } from '../../core/dns/catalog.ts';
import { StateDnsCatalog } from '../../core/dns/state-catalog.ts';
import { DEFAULT_HTTP_API_OPTIONS } from '../../core/http/api.ts';
import { ApiResponse } from '../../core/http/api-response.ts';
import type { ApiRequest } from '../../core/http/context.ts';
import { createHttpApi } from '../../core/http/http-api.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { devTiming, timingFrom } from '../../core/raft/timing.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import { type RunningDns, startDns } from '../dns/start-dns.ts';
import { asWebRequest } from '../http/light-request.ts';
import { DEFAULT_NODE_HTTP, type HttpsOptions, type NodeHttpServer, type RawMount, startNodeHttp } from '../http/node-http.ts';
import { AgentBridge } from '../lab/agent-bridge.ts';
import { createSignalServer, type SignalServer } from '../lab/signal-server.ts';
import type { HclogLogger } from '../log/hclog-logger.ts';
import { limitConnsPerClient } from '../net/conn-limit.ts';
import { rpcTlsHooks } from '../net/rpc-tls.ts';
import type { TcpHooks } from '../net/tcp-transport.ts';
import { loadTlsMaterial } from '../tls/tls-material.ts';
import { humanVersion } from '../version.ts';
import { AclTokenFile } from './acl-token-file.ts';
import { checkRegistration, serviceRegistration } from './config-services.ts';
import { setupKeyrings } from './keyring-files.ts';
import { bindNodeAgentRuntime, type NodeAgentRuntime } from './node-agent-runtime.ts';

export interface RunningAgent {
  readonly agent: Agent;
  readonly runtime: NodeAgentRuntime;
  readonly http: NodeHttpServer[];
  /**
   * Applies a reloaded configuration (SIGHUP, `consul reload`): config-file services and checks are
   * diffed (removed ones deregistered, new and changed ones registered; API-registered ones kept),
   * and the DNS settings replaced. Other settings need a restart, as in Consul.
   */
  reload(next: RuntimeConfig): void;
  /** Leaves the pool gracefully (when asked) and releases every socket and file. */
  shutdown(leave: boolean): Promise<void>;
}

/** The core's view of the configuration. */
export function agentConfigFrom(rt: RuntimeConfig, nodeId: string, ports: { serfLan: number; server: number; serfWan?: number }, gossipEncryption?: GossipEncryption): AgentConfig {
  return {
    nodeName: rt.nodeName,
    nodeId,
    datacenter: rt.datacenter,
    server: rt.serverMode,
    bootstrap: rt.bootstrap,
    bootstrapExpect: rt.bootstrapExpect,
    advertiseHost: rt.serfAdvertiseAddrLAN.host,
    ports,
    raftTiming: rt.devMode ? devTiming() : timingFrom(rt.raftHeartbeatTimeout, rt.raftElectionTimeout, rt.raftLeaderLeaseTimeout),
    devMode: rt.devMode,
    nodeMeta: rt.nodeMeta,
    version: humanVersion().replace(/^v/, ''),
    enableScriptChecks: rt.enableScriptChecks,
    enableLocalScriptChecks: rt.enableLocalScriptChecks,
    antiEntropyIntervalMs: rt.aeInterval,
    gossipEncryption,
    gossip: { coordinateSyncMinMs: rt.syncCoordinateIntervalMin },
    acl: {
      enabled: rt.aclsEnabled,
      defaultPolicy: rt.acl.defaultPolicy,
      downPolicy: rt.acl.downPolicy as 'allow' | 'deny' | 'extend-cache' | 'async-cache',
      tokenTtlMs: rt.acl.tokenTTL,
      primaryDatacenter: rt.primaryDatacenter,
      initialManagement: rt.acl.tokens.initialManagement,
      enableTokenReplication: rt.acl.enableTokenReplication,
      tokens: {
        default: rt.acl.tokens.default,
        agent: rt.acl.tokens.agent,
        agentRecovery: rt.acl.tokens.agentRecovery,
        replication: rt.acl.tokens.replication,
        configFileServiceRegistration: rt.acl.tokens.configFileServiceRegistration,
        dns: rt.acl.tokens.dns,
      },
    },
  };
}

/** `/api/trpc` and below (admin/handler.ts ADMIN_ENDPOINT). */
function isAdminPath(pathname: string): boolean {
  return pathname === '/api/trpc' || pathname.startsWith('/api/trpc/');
}

let adminModules: Promise<{ createAdminHandler: typeof import('../../admin/handler.ts').createAdminHandler; v1AdminCluster: typeof import('../../core/admin/v1-cluster.ts').v1AdminCluster }> | undefined;

/**
 * The tRPC admin API, loaded on its first request: tRPC and zod cost several megabytes of resident
 * memory that an agent nobody administers this way should not carry.
 */
function adminApi() {
  adminModules ??= Promise.all([import('../../admin/handler.ts'), import('../../core/admin/v1-cluster.ts')]).then(([h, c]) => ({
    createAdminHandler: h.createAdminHandler,
    v1AdminCluster: c.v1AdminCluster,
  }));
  return adminModules;
}

/** Lets `/v1/agent/monitor` tap the agent's logger and adds Node's memory to its metrics. */
function observeAgent(agent: Agent, logger: Logger): void {
  const tappable = logger as Logger & Partial<Pick<HclogLogger, 'monitor'>>;
  if (tappable.monitor) agent.monitor = tappable.monitor.bind(logger);
  agent.runtimeStats = () => ({ arch: process.arch === 'x64' ? 'amd64' : process.arch, os: process.platform, cpu_count: String(availableParallelism()), version: process.version });
  agent.runtimeGauges = () => {
    const m = process.memoryUsage();
    return { 'consul.runtime.alloc_bytes': m.heapUsed, 'consul.runtime.sys_bytes': m.rss, 'consul.runtime.heap_total_bytes': m.heapTotal };
  };
}

/** Binds everything, starts the agent and its HTTP listeners, and joins `retry_join` addresses. */
export async function startAgent(rt: RuntimeConfig, nodeId: string, logger: Logger): Promise<RunningAgent> {
  // The RPC TLS dialer asks the agent (created after its sockets) which datacenter a server is in.
  const late: { agent?: Agent } = {};
  const keyrings = setupKeyrings(
    {
      encryptKey: rt.encryptKey,
      verifyIncoming: rt.encryptVerifyIncoming,
      verifyOutgoing: rt.encryptVerifyOutgoing,
      dataDir: rt.devMode ? '' : rt.dataDir,
      disableKeyringFile: rt.disableKeyringFile,
      wan: rt.serverMode && rt.ports.serfWan > 0,
    },
    logger.named('agent'),
  );
  const runtime = await bindNodeAgentRuntime({
    saveKeyring: keyrings.save,
    rpcHooks: limitConnsPerClient(rt.limits?.rpcMaxConnsPerClient ?? 100, logger.named('server.rpc'), rpcTls(rt, logger, (addr) => late.agent?.serverDatacenter(addr))),
    serfLan: rt.serfBindAddrLAN,
    rpc: rt.serverMode ? rt.rpcBindAddr : undefined,
    serfWan: rt.serverMode ? rt.serfBindAddrWAN : undefined,
    dataDir: rt.devMode ? '' : rt.dataDir,
    logStoreBackend: rt.raftLogStoreBackend,
    logger,
  });
  const ports = {
    serfLan: rt.serfAdvertiseAddrLAN.port || runtime.bound.serfLan,
    server: rt.rpcAdvertiseAddr.port || (runtime.bound.rpc ?? 0),
    serfWan: runtime.bound.serfWan === undefined ? 0 : rt.serfAdvertiseAddrWAN?.port || runtime.bound.serfWan,
  };
  const config = agentConfigFrom(rt, nodeId, ports, keyrings.encryption);
  // The tokens as configured (before persisted ones are laid over them), for reloads to diff.
  let configuredTokens = config.acl ? { ...config.acl.tokens } : undefined;
  const persisted = rt.devMode ? undefined : new AclTokenFile(rt.dataDir);
  if (rt.aclsEnabled && rt.acl.enableTokenPersistence && persisted && config.acl) config.acl.tokens = { ...config.acl.tokens, ...persisted.load() };
  // The browser lab's signaling and relay WebSocket (`/lab/signal`), shared by every HTTP listener;
  // tabs in its "agent" room join this agent's gossip pool through the relay.
  const signal: SignalServer = createSignalServer((m) => logger.named('lab').log('debug', m));
  const bridge = new AgentBridge({
    signal,
    name: rt.nodeName,
    host: rt.serfAdvertiseAddrLAN.host,
    serfLanPort: ports.serfLan,
    dc: rt.datacenter,
    server: rt.serverMode,
    timers: runtime.time,
    log: (m) => logger.named('lab').log('debug', m),
  });
  const agent = new Agent(config, bridge.wrap(rt.serverMode && persisted ? { ...runtime, aclBootstrapReset: persisted.bootstrapReset() } : runtime));
  if (rt.aclsEnabled && rt.acl.enableTokenPersistence && persisted) agent.onTokensChanged = (tokens) => persisted.save(tokens);
  late.agent = agent;
  let fromConfig: { services: Set<string>; checks: Set<string> } = { services: new Set(), checks: new Set() };
  try {
    fromConfig = registerFromConfig(agent, rt, fromConfig);
  } catch (e) {
    agent.shutdown();
    bridge.close();
    await signal.close();
    await runtime.close();
    throw new Error(`Failed to register services and checks from the configuration: ${(e as Error).message}`);
  }
  agent.start();
  observeAgent(agent, logger);
  const api = createHttpApi(agent, {
    ...DEFAULT_HTTP_API_OPTIONS,
    devMode: rt.devMode,
    uiEnabled: rt.uiConfig.enabled,
    defaultAclPolicy: rt.acl.defaultPolicy,
    prometheusRetentionMs: rt.telemetry.prometheusRetentionTime,
  }, runtime.time);
  // The tRPC admin API (/api/trpc) rides on the same port and goes through the /v1 handler above,
  // with the caller's token and address, so it gets exactly the HTTP API's semantics and authorization.
  // The admin layer speaks WHATWG Request/Response (tRPC's fetch adapter): converted at its edges.
  const handler = (request: ApiRequest, remoteAddress: string): Promise<ApiResponse> => {
    if (!isAdminPath(new URL(request.url).pathname)) return api.fetch(request, remoteAddress);
    return adminApi().then(({ createAdminHandler, v1AdminCluster }) => {
      const cluster = v1AdminCluster({ fetch: (r) => api.fetch(r, remoteAddress).then((a) => a.toResponse()), timers: runtime.time });
      return createAdminHandler({ cluster })(asWebRequest(request)).then(ApiResponse.fromResponse);
    });
  };
  const http: NodeHttpServer[] = [];
  try {
    const mount = rt.uiConfig.enabled ? await uiMount(logger) : undefined;
    for (const addr of rt.httpAddrs) {
      http.push(await startNodeHttp(handler, { ...DEFAULT_NODE_HTTP, host: addr.host, port: addr.port, maxConnsPerClient: rt.limits?.httpMaxConnsPerClient ?? DEFAULT_NODE_HTTP.maxConnsPerClient, mount, upgrade: signal.handleUpgrade }));
      logger.named('http').log('info', 'Started HTTP server', { address: `${addr.host}:${http[http.length - 1]?.address.port}`, network: 'tcp' });
    }
    const https = rt.httpsAddrs.length > 0 ? httpsOptions(rt) : undefined;
    for (const addr of https ? rt.httpsAddrs : []) {
      http.push(await startNodeHttp(handler, { ...DEFAULT_NODE_HTTP, host: addr.host, port: addr.port, maxConnsPerClient: rt.limits?.httpMaxConnsPerClient ?? DEFAULT_NODE_HTTP.maxConnsPerClient, mount, tls: https, upgrade: signal.handleUpgrade }));
      logger.named('http').log('info', 'Started HTTPS server', { address: `${addr.host}:${http[http.length - 1]?.address.port}`, network: 'tcp' });
    }
  } catch (e) {
    agent.shutdown();
    await runtime.close();
    await signal.close();
    for (const h of http) await h.close();
    throw e;
  }
  let dns: RunningDns;
  try {
    dns = await startDns(rt, dnsCatalog(agent, runtime), logger, agent.dnsAcl.canRead);
    const running = dns;
    if (rt.aclsEnabled) agent.dnsAcl.onRefresh = () => running.invalidate();
  } catch (e) {
    agent.shutdown();
    await signal.close();
    for (const h of http) await h.close();
    await runtime.close();
    throw e;
  }
  retryJoin(logger, 'LAN', rt.retryJoinLAN, rt.ports.serfLan, rt.retryJoinIntervalLAN, rt.retryJoinMaxAttemptsLAN, (a, done) => agent.join(a, done));
  if (rt.serverMode) retryJoin(logger, 'WAN', rt.retryJoinWAN, rt.ports.serfWan, rt.retryJoinIntervalWAN, rt.retryJoinMaxAttemptsWAN, (a, done) => agent.joinWan(a, done));
  return {
    agent,
    runtime,
    http,
    reload(next) {
      fromConfig = registerFromConfig(agent, next, fromConfig);
      dns.reload(next.dns);
      configuredTokens = reloadTokens(agent, configuredTokens, agentConfigFrom(next, nodeId, ports).acl?.tokens);
    },
    async shutdown(leave) {
      if (leave) await new Promise<void>((resolve) => agent.leave(resolve));
      else agent.shutdown();
      bridge.close();
      await signal.close();
      for (const h of http) await h.close();
      await dns.close();
      await runtime.close();
    },
  };
}

/** TLS for server RPC from tls.internal_rpc, when any of it is configured; else plaintext RPC. */
function rpcTls(rt: RuntimeConfig, logger: Logger, datacenterOf: (address: string) => string | undefined): TcpHooks | undefined {
  const m = loadTlsMaterial(rt.tls.internalRPC);
  if (m.cert === undefined && !m.verifyIncoming && !m.verifyOutgoing) return undefined;
  return rpcTlsHooks({
    material: m,
    datacenter: rt.datacenter,
    domain: rt.dns.domain.replace(/\.$/, '') || 'consul',
    handshakeTimeoutMs: rt.limits?.rpcHandshakeTimeout || 5000,
    logger: logger.named('server.rpc'),
    datacenterOf,
  });
}

/** The HTTPS listener's settings from tls.https (over tls.defaults); a certificate is required. */
function httpsOptions(rt: RuntimeConfig): HttpsOptions {
  const m = loadTlsMaterial(rt.tls.https);
  if (m.cert === undefined || m.key === undefined) throw new Error('HTTPS port is set but tls.https has no cert_file and key_file: cannot serve HTTPS');
  return { cert: m.cert, key: m.key, ca: m.ca, minVersion: m.minVersion, verifyIncoming: m.verifyIncoming, handshakeTimeoutMs: rt.limits?.httpsHandshakeTimeout || 5000 };
}

/**
 * ACL tokens are reloadable (Consul's ReloadConfig): a token whose configured value changed takes
 * the new value; tokens set through the API since are kept when the configuration did not change.
 */
function reloadTokens(agent: Agent, before: AgentTokens | undefined, after: AgentTokens | undefined): AgentTokens | undefined {
  if (!before || !after) return after ?? before;
  for (const kind of Object.keys(after) as Array<keyof AgentTokens>) {
    if (after[kind] !== before[kind]) agent.setToken(kind, after[kind]);
  }
  return { ...after };
}

/**
 * Registers the config file's services and checks, deregistering those a previous load had that
 * this one does not. Returns the IDs now owned by the configuration. Throws (leaving earlier
 * registrations in place) when a definition is invalid.
 */
function registerFromConfig(agent: Agent, rt: RuntimeConfig, previous: { services: Set<string>; checks: Set<string> }) {
  const services = new Set<string>();
  const checks = new Set<string>();
  for (const svc of rt.services) {
    agent.registerService(serviceRegistration(svc), true, true);
    services.add(svc.id || svc.name);
  }
  for (const check of rt.checks) {
    agent.registerCheck(checkRegistration(check), true);
    checks.add(check.id || check.name);
  }
  for (const id of previous.checks) if (!checks.has(id) && agent.local.checks.has(id)) agent.deregisterCheck(id);
  for (const id of previous.services) if (!services.has(id) && agent.local.services.has(id)) agent.deregisterService(id);
  return { services, checks };
}

/**
 * The /ui dashboard on the HTTP port when `ui_config.enabled` and a production build exists (`npm
 * run build`; `npm start` builds it first). Next.js is loaded only then, so agents without the UI
 * start fast. Without a build the agent logs how to make one and serves the API alone.
 */
async function uiMount(logger: Logger): Promise<RawMount | undefined> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const ui = await import('../ui/next-ui.ts');
  if (!ui.hasUiBuild(root)) {
    logger.named('http').log('warn', 'UI enabled but not built: run `npm run build` to serve /ui');
    return undefined;
  }
  const handle = await ui.createUiRequestHandler(root);
  return { matches: ui.isUiPath, handle };
}

/**
 * The DNS catalog: a server answers from its own state store (Consul's DNS reads are stale by
 * default), a client asks the servers; other datacenters always go over RPC.
 */
function dnsCatalog(agent: Agent, runtime: NodeAgentRuntime): DnsCatalog {
  const rpc = (m: string, a: Record<string, unknown>) => agent.rpc(m, a);
  const server = agent.server;
  if (!server) return new RpcDnsCatalog(agent.datacenter, rpc);
  return new StateDnsCatalog({
    datacenter: agent.datacenter,
    state: server.fsm.state,
    random: runtime.random.split('dns'),
    remote: (dc) => (server.datacenters().includes(dc) ? new RpcDnsCatalog(dc, rpc) : undefined),
  });
}

/** `-retry-join` / `-retry-join-wan`: keeps trying until one join succeeds or the attempts run out. */
function retryJoin(
  logger: Logger,
  cluster: 'LAN' | 'WAN',
  addrs: string[],
  port: number,
  intervalMs: number,
  maxAttempts: number,
  join: (addresses: string[], done: (joined: number, errors: string[]) => void) => void,
): void {
  if (addrs.length === 0) return;
  const log = logger.named('agent');
  let attempt = 0;
  const tryOnce = () => {
    attempt++;
    log.log('info', 'Joining cluster...', { cluster });
    join(addrs.map(withPort(port)), (joined, errors) => {
      if (joined > 0) return log.log('info', 'Join cluster completed. Synced with initial agents', { cluster, num_agents: joined });
      log.log('warn', 'Join cluster failed, will retry', { cluster, retry_interval: `${intervalMs}ms`, error: errors.join('; ') });
      if (maxAttempts > 0 && attempt >= maxAttempts) return;
      setTimeout(tryOnce, intervalMs).unref();
    });
  };
  tryOnce();
}

/** Adds the default serf LAN port to addresses given without one. */
export function withPort(port: number): (addr: string) => string {
  return (addr) => (/:\d+$/.test(addr) && !addr.endsWith(']') ? addr : `${addr}:${port}`);
}
