import { Authorizer } from '../acl/authorizer.ts';
import { DnsAclView } from '../acl/dns-acl.ts';
import { AclIdentity } from '../acl/identity.ts';
import type { ResolvedTokenWire } from '../acl/resolved-token.ts';
import { emptyRules } from '../acl/rules.ts';
import { TokenResolver } from '../acl/token-resolver.ts';
import { estimateRttMs } from '../gossip/coordinate/coordinate.ts';
import { defaultLanConfig, defaultWanConfig } from '../gossip/memberlist/config.ts';
import { EdgePacketTransport, EdgeStreamTransport, edgeOverhead } from '../gossip/security/edge.ts';
import { Keyring, toBase64 } from '../gossip/security/keyring.ts';
import { defaultSerfConfig } from '../gossip/serf/config.ts';
import type { Member, SerfEvent } from '../gossip/serf/events.ts';
import { type KeyOperation, type KeyOperationResult, keyOperation, keyQueryResponder } from '../gossip/serf/key-manager.ts';
import { Serf } from '../gossip/serf/serf.ts';
import type { AgentApi, AgentEventsApi } from '../http/api.ts';
import { goTimeString, METRICS_INTERVAL_MS, Metrics, type MetricsSummary } from '../lib/metrics.ts';
import type { TimerHandle } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Random } from '../ports/random.ts';
import type { PacketTransport, StreamTransport } from '../ports/transport.ts';
import type { Coord } from '../state/types.ts';
import type { AgentConfig, AgentTokens } from './agent-config.ts';
import type { AgentRuntime } from './agent-runtime.ts';
import { raftStats, type StatsSection, serfStats } from './agent-stats.ts';
import { planDeadServerCleanup } from './autopilot-prune.ts';
import { type CheckDefinition, type CheckStatus, CheckValidationError, checkKind, parseCheckDefinition, validateCheck } from './checks/check-definition.ts';
import { isIntervalCheck } from './checks/check-runner.ts';
import { CoordinateSync } from './coordinate-sync.ts';
import { AgentChecks } from './local/agent-checks.ts';
import { AgentError } from './local/agent-error.ts';
import { AntiEntropy, type NodeInfo } from './local/anti-entropy.ts';
import { LocalState, NODE_MAINT_DEFAULT_REASON, NODE_MAINT_ID, SERVICE_MAINT_DEFAULT_REASON, SERVICE_MAINT_PREFIX } from './local/local-state.ts';
import { parseServiceRegistration } from './local/service-definition.ts';
import { defaultNodeMeta, defaultTaggedAddresses, orphanNodes, reconcileMember } from './reconcile.ts';
import { RpcClient } from './rpc/rpc-client.ts';
import { ConsulServer } from './server/consul-server.ts';
import { ENDPOINTS } from './server/registry.ts';
import { formatUUID } from './server/uuid.ts';
import {
  decodeUserEvent,
  encodeUserEvent,
  shouldProcessUserEvent,
  USER_EVENT_PREFIX,
  USER_EVENT_VERSION,
  UserEventBuffer,
  validateUserEvent,
} from './user-events.ts';

/** Consul's reconcile_interval: the leader re-checks every member this often. */
const DEFAULT_RECONCILE_MS = 60_000;
const AUTOPILOT_INTERVAL_MS = 10_000;

/** A server as gossip advertises it (Consul's metadata.Server from serf tags). */
export interface ServerInfo {
  name: string;
  id: string;
  datacenter: string;
  rpcAddress: string;
  bootstrap: boolean;
  expect: number;
  status: Member['status'];
}

/**
 * Whether a call that failed on its connection may go to another server: reads always; writes only
 * when the connection was refused, so nothing was sent. A write lost with a dropped connection may
 * have been applied, and applying it twice (a check-and-set, a lock) could tell the caller a lie.
 */
function retriable(method: string, message: string): boolean {
  return ENDPOINTS[method]?.kind === 'read' || message.startsWith('rpc error: connection refused');
}

/** Reads a member's server tags; undefined for client agents. */
export function serverInfo(m: Member): ServerInfo | undefined {
  if (m.tags.role !== 'consul') return undefined;
  return {
    name: m.name,
    id: m.tags.id ?? m.name,
    datacenter: m.tags.dc ?? '',
    rpcAddress: `${m.addr}:${m.tags.port ?? '8300'}`,
    bootstrap: m.tags.bootstrap === '1',
    expect: Number(m.tags.expect ?? 0),
    status: m.status,
  };
}

/**
 * A Consul agent: the LAN gossip member every agent is, plus a server when configured. It routes
 * RPCs (to its own server, or to a server it learned of through gossip), and, on the leader,
 * mirrors gossip membership into the catalog and the servers into Raft.
 */
export class Agent implements AgentApi {
  readonly serf!: Serf;
  /** The WAN pool (servers only, when a WAN port is configured). */
  readonly serfWan: Serf | undefined;
  readonly server: ConsulServer | undefined;
  /** Services and checks registered on this agent. */
  readonly local = new LocalState();
  readonly checks: AgentChecks;
  private readonly antiEntropy: AntiEntropy;
  private readonly client: RpcClient | undefined;
  private reapTimer: TimerHandle | undefined;
  private readonly log: Logger;
  private reconcileTimer: TimerHandle | undefined;
  private autopilotTimer: TimerHandle | undefined;
  private nextServer = 0;
  private stopped = false;
  private readonly eventBuffer: UserEventBuffer;
  private readonly coordinateSync: CoordinateSync;
  private readonly apiRandom: Random;
  /** User events for `/v1/event/*`. */
  readonly events: AgentEventsApi;
  /** The in-memory metrics sink behind `/v1/agent/metrics`. */
  readonly metrics = new Metrics();
  /** `/v1/agent/monitor`: set by the runtime when its logger can be tapped. */
  monitor: AgentApi['monitor'];
  /** Gauges the runtime adds (memory), refreshed at each metrics read. */
  runtimeGauges: (() => Record<string, number>) | undefined;
  /** Resolves ACL tokens (cached for token_ttl; down_policy when servers are unreachable). */
  readonly acl: TokenResolver;
  /** `acl.tokens.*`, as configured and as set through `/v1/agent/token/<kind>`. */
  readonly tokens: AgentTokens;
  /** Called after a token was set through the API (`enable_token_persistence` saves them). */
  onTokensChanged: ((tokens: AgentTokens) => void) | undefined;
  /** The gossip keyrings (empty when encryption is off). */
  readonly lanKeyring: Keyring;
  readonly wanKeyring: Keyring;

  constructor(
    readonly config: AgentConfig,
    private readonly rt: AgentRuntime,
  ) {
    this.log = rt.logger.named('agent');
    this.lanKeyring = new Keyring(config.gossipEncryption?.lanKeys ?? []);
    this.wanKeyring = new Keyring(config.gossipEncryption?.wanKeys ?? []);
    if (config.server) {
      const self = { id: config.nodeId, address: `${config.advertiseHost}:${config.ports.server}` };
      this.server = new ConsulServer({
        nodeName: config.nodeName,
        nodeId: config.nodeId,
        datacenter: config.datacenter,
        rpcAddress: self.address,
        streams: rt.stream(config.ports.server),
        time: rt.time,
        wall: rt.wall,
        random: rt.random.split('server'),
        logStore: rt.logStore('raft'),
        stableStore: rt.stableStore('raft'),
        snapshotStore: rt.snapshotStore('raft'),
        timing: config.raftTiming,
        snapshotThreshold: config.raftSnapshotThreshold,
        trailingLogs: config.raftTrailingLogs,
        bootstrapPeers: config.bootstrap || config.devMode ? [self] : undefined,
        logger: rt.logger,
        trace: rt.trace,
        wan: config.ports.serfWan ? { datacenters: () => this.datacentersByDistance(), servers: (dc) => this.wanServers(dc) } : undefined,
        nodeNameOf: (id) => this.members().find((m) => m.tags.id === id)?.name,
        acl: config.acl?.enabled
          ? {
              enabled: true,
              primaryDatacenter: config.acl.primaryDatacenter || config.datacenter,
              initialManagement: config.acl.initialManagement,
              replicateTokens: config.acl.enableTokenReplication ?? false,
              defaultPolicy: config.acl.defaultPolicy,
              replicationToken: config.acl.tokens.replication,
              bootstrapReset: rt.aclBootstrapReset,
            }
          : undefined,
        keyring: {
          hasWan: () => this.serfWan !== undefined,
          operation: (wan, op, key, relay, done) => this.keyringOperation(wan, op, key, relay, done),
        },
      });
      this.server.onSoftState((state) => {
        if (state === 'leader') this.reconcileAll();
      });
    } else {
      this.client = new RpcClient(rt.stream(0), rt.time);
    }
    this.tokens = { default: '', agent: '', agentRecovery: '', replication: '', configFileServiceRegistration: '', dns: '', ...config.acl?.tokens };
    this.acl = new TokenResolver(
      {
        enabled: config.acl?.enabled ?? false,
        defaultPolicy: config.acl?.defaultPolicy ?? 'allow',
        downPolicy: config.acl?.downPolicy ?? 'extend-cache',
        // Servers of the primary read their own state: nothing to cache, changes apply at once.
        tokenTtlMs: config.server && this.inPrimary() ? 0 : (config.acl?.tokenTtlMs ?? 30_000),
        datacenter: config.datacenter,
      },
      rt.time,
      (secret) => this.fetchToken(secret),
    );
    this.dnsAcl = new DnsAclView(
      () => this.acl.enabled,
      () => this.tokens.dns || this.tokens.default,
      (secret) => this.acl.resolve(secret),
      rt.time,
    );
    this.eventBuffer = new UserEventBuffer(rt.time);
    this.events = this.userEventsApi();
    this.apiRandom = rt.random.split('http');
    this.serf = this.startSerf();
    this.serfWan = config.server && config.ports.serfWan ? this.startSerfWan(config.ports.serfWan) : undefined;
    this.checks = new AgentChecks(this.local, rt.time, rt.random.split('checks'), rt.probe, (method, args) => this.rpc(method, args));
    this.antiEntropy = new AntiEntropy(this.local, () => this.nodeInfo(), (m, a) => this.rpc(m, a), rt.time, rt.random.split('ae'), this.log.named('anti_entropy'), {
      intervalMs: config.antiEntropyIntervalMs ?? 60_000,
      keepServices: config.server ? ['consul'] : [],
      clusterSize: () => this.serf.numNodes(),
    });
    this.coordinateSync = new CoordinateSync({
      timers: rt.time,
      random: rt.random.split('coordinate-sync'),
      memberCount: () => this.serf.numNodes(),
      coordinate: () => this.lanCoordinate(),
      send: (coord) => this.sendCoordinate(coord),
      minIntervalMs: config.gossip?.coordinateSyncMinMs,
    });
  }

  get aclsEnabled(): boolean {
    return this.acl.enabled;
  }

  private inPrimary(): boolean {
    const primary = this.config.acl?.primaryDatacenter;
    return !primary || primary === this.config.datacenter;
  }

  /** ACL.TokenResolve at a server: this datacenter's, or the primary's when this is a secondary. */
  private async fetchToken(secret: string): Promise<ResolvedTokenWire> {
    const args: Record<string, unknown> = { SecretID: secret, ForDatacenter: this.config.datacenter };
    if (!this.inPrimary() && !this.server?.hasReplicatedAcls()) args.Datacenter = this.config.acl?.primaryDatacenter;
    return (await this.rpc('ACL.TokenResolve', args)) as ResolvedTokenWire;
  }

  /**
   * The identity a request acts as (used by the HTTP API, DNS and tRPC): `secret`, else the
   * agent's default token, else the anonymous token. With ACLs disabled, an identity that allows
   * everything. Rejects with `ACL not found` for an unknown secret. The agent recovery token
   * works without servers and grants agent:write on this agent.
   */
  resolveToken(secret?: string): Promise<AclIdentity> {
    const s = secret || this.tokens.default;
    if (this.acl.enabled && s && s === this.tokens.agentRecovery) return Promise.resolve(this.recoveryIdentity());
    return this.acl.resolve(s);
  }

  private recoveryIdentity(): AclIdentity {
    const rules = emptyRules();
    rules.segmented.agent.exact.set(this.config.nodeName, 'write');
    rules.segmented.node.prefix.set('', 'read');
    return AclIdentity.of('agent-recovery-token', new Authorizer(rules, 'deny'), false);
  }

  /** `PUT /v1/agent/token/<kind>`: replaces one of the agent's tokens. */
  setToken(kind: keyof AgentTokens, token: string): void {
    this.tokens[kind] = token;
    this.onTokensChanged?.(this.tokens);
    if (kind === 'dns' || kind === 'default') void this.dnsAcl.refresh(true);
  }

  /** What DNS answers may show: the DNS token, else the default token, else anonymous. */
  readonly dnsAcl: DnsAclView;

  /** A float in [0,1) for blocking jitter and shuffles of HTTP requests. */
  random(): number {
    return this.apiRandom.float();
  }

  /** This agent's Vivaldi coordinate in Consul's JSON casing. */
  lanCoordinate(): Coord | undefined {
    const c = this.serf?.getCoordinate();
    if (!c) return undefined;
    return { Vec: c.vec.slice(), Error: c.error, Adjustment: c.adjustment, Height: c.height };
  }

  /** One Coordinate.Update to the servers (sendCoordinate). */
  private sendCoordinate(coord: Coord): void {
    this.rpc('Coordinate.Update', { Datacenter: this.config.datacenter, Node: this.config.nodeName, Segment: '', Coord: coord }).catch((err: Error) => {
      this.log.log('debug', 'Coordinate update error', { error: err.message });
    });
  }

  private userEventsApi(): AgentEventsApi {
    return {
      fire: (params) => {
        const event = { ...params, ID: formatUUID(this.rt.random.bytes(new Uint8Array(16))), Version: USER_EVENT_VERSION, LTime: 0 };
        const invalid = validateUserEvent(event);
        if (invalid) throw new Error(invalid);
        const err = this.serf.userEvent(USER_EVENT_PREFIX + event.Name, encodeUserEvent(event), false);
        if (err) throw new Error(err);
        return event;
      },
      list: () => this.eventBuffer.list(),
      wait: (waitMs, changed, done) => this.eventBuffer.wait(waitMs, changed, done),
    };
  }

  /** A serf user event: Consul's own events go into the ring if they pass this agent's filters. */
  private onUserEvent(name: string, payload: Uint8Array, ltime: number): void {
    if (!name.startsWith(USER_EVENT_PREFIX)) return;
    const event = decodeUserEvent(payload, ltime);
    if (!event) {
      this.log.log('error', 'Failed to decode event', { event: name });
      return;
    }
    if (!shouldProcessUserEvent(event, this.config.nodeName, [...this.local.services.values()])) return;
    this.eventBuffer.ingest(event);
  }

  /** How this agent registers its node in the catalog. */
  nodeInfo(): NodeInfo {
    const c = this.config;
    return {
      ID: c.nodeId,
      Node: c.nodeName,
      Address: c.advertiseHost,
      Datacenter: c.datacenter,
      TaggedAddresses: defaultTaggedAddresses(c.advertiseHost),
      Meta: { ...c.nodeMeta, ...defaultNodeMeta('', c.version) },
    };
  }

  get nodeName(): string {
    return this.config.nodeName;
  }

  get datacenter(): string {
    return this.config.datacenter;
  }

  /** Starts Raft (servers) and the periodic reconcile; gossip runs from construction. */
  start(): void {
    this.server?.start();
    this.scheduleReconcile();
    this.scheduleAutopilot();
    this.coordinateSync.start();
    this.antiEntropy.start();
    this.scheduleReap();
    // Only with ACLs on: agents without ACLs keep exactly the timers they had.
    if (this.acl.enabled) this.dnsAcl.start();
  }

  /** Consul's check_reap_interval (30 s): deregisters services critical for too long. */
  private scheduleReap(): void {
    if (this.stopped) return;
    this.reapTimer = this.rt.time.setTimer(30_000, () => {
      for (const id of this.checks.criticalServicesToReap()) {
        this.log.log('info', 'Check critical for too long, deregistering service', { service: id });
        this.deregisterService(id);
      }
      this.scheduleReap();
    });
  }

  private startSerf(): Serf {
    const c = this.config;
    const ml = defaultLanConfig(c.nodeName);
    if (c.gossip?.probeIntervalMs) ml.probeInterval = c.gossip.probeIntervalMs;
    if (c.gossip?.gossipIntervalMs) ml.gossipInterval = c.gossip.gossipIntervalMs;
    if (c.gossip?.compression !== undefined) ml.enableCompression = c.gossip.compression;
    const conf = defaultSerfConfig(c.nodeName, ml);
    conf.tags = this.tags();
    conf.reconnectTimeout = 72 * 3600_000;
    if (c.gossip?.reapIntervalMs) conf.reapInterval = c.gossip.reapIntervalMs;
    return new Serf({
      config: conf,
      ...this.gossipTransports('lan', c.ports.serfLan, this.lanKeyring),
      time: this.rt.time,
      random: this.rt.random.split('serf-lan'),
      logger: this.rt.logger.named(c.server ? 'server' : 'client'),
      trace: this.rt.trace,
      advertiseAddress: `${c.advertiseHost}:${c.ports.serfLan}`,
      onEvent: (e) => this.onSerfEvent(e),
    });
  }

  /** The WAN pool: servers of every datacenter, named `<node>.<dc>` as in Consul. */
  private startSerfWan(port: number): Serf {
    const c = this.config;
    const name = `${c.nodeName}.${c.datacenter}`;
    const ml = defaultWanConfig(name);
    if (c.gossip?.probeIntervalMs) ml.probeInterval = c.gossip.probeIntervalMs;
    if (c.gossip?.gossipIntervalMs) ml.gossipInterval = c.gossip.gossipIntervalMs;
    if (c.gossip?.compression !== undefined) ml.enableCompression = c.gossip.compression;
    const conf = defaultSerfConfig(name, ml);
    conf.tags = this.tags();
    conf.reconnectTimeout = 72 * 3600_000;
    return new Serf({
      config: conf,
      ...this.gossipTransports('wan', port, this.wanKeyring),
      time: this.rt.time,
      random: this.rt.random.split('serf-wan'),
      logger: this.rt.logger.named('server.serf.wan'),
      trace: this.rt.trace,
      advertiseAddress: `${c.advertiseHost}:${port}`,
    });
  }

  /**
   * A pool's sockets, behind memberlist's encryption edge when the agent has gossip encryption, and
   * serf's answers to the key-management queries (which persist the keyring after a change).
   */
  private gossipTransports(pool: 'lan' | 'wan', port: number, keyring: Keyring) {
    const enc = this.config.gossipEncryption;
    const internalQuery = keyQueryResponder(keyring, (k) => this.rt.saveKeyring?.(pool, k.list().map(toBase64)));
    let packet: PacketTransport = this.rt.packet(port);
    let stream: StreamTransport = this.rt.stream(port);
    if (!enc || !keyring.enabled) return { packet, stream, internalQuery };
    const edge = {
      keyring,
      nonces: this.rt.nonces ?? this.rt.random.split(`nonces-${pool}`),
      logger: this.rt.logger,
      verifyIncoming: enc.verifyIncoming,
      verifyOutgoing: enc.verifyOutgoing,
    };
    packet = new EdgePacketTransport(packet, edge);
    stream = new EdgeStreamTransport(stream, edge);
    return { packet, stream, internalQuery, packetOverhead: edgeOverhead(edge) };
  }

  /**
   * One key operation over a gossip pool (serf's KeyManager through `_serf_*-key` queries), as
   * Consul's Internal.KeyringOperation runs it for the LAN pool and, on servers, the WAN pool.
   */
  keyringOperation(
    wan: boolean,
    op: KeyOperation,
    key: string,
    relayFactor: number,
    done: (r: KeyOperationResult, error: string | undefined) => void,
  ): void {
    const serf = wan ? this.serfWan : this.serf;
    if (!serf) {
      done({ numNodes: 0, numResp: 0, numErr: 0, messages: {}, keys: {}, primaryKeys: {} }, 'WAN gossip pool is not enabled on this agent');
      return;
    }
    keyOperation(serf, op, key, done, relayFactor);
  }

  /** Joins the WAN pool through any of `addresses` (servers only). */
  joinWan(addresses: string[], done?: (joined: number, errors: string[]) => void): void {
    if (!this.serfWan) {
      done?.(0, ['WAN join is only available on servers with a WAN port']);
      return;
    }
    this.serfWan.join(addresses, true, done);
  }

  /** WAN members (empty on clients). */
  wanMembers(): Member[] {
    return this.serfWan?.membersList() ?? [];
  }

  /** RPC addresses of alive servers of `dc` from WAN gossip, nearest first. */
  private wanServers(dc: string): string[] {
    return this.wanMembers()
      .filter((m) => m.status === 'alive' && m.tags.role === 'consul' && m.tags.dc === dc)
      .sort((a, b) => this.wanDistance(a.name) - this.wanDistance(b.name))
      .map((m) => serverInfo(m)?.rpcAddress ?? '')
      .filter((a) => a !== '');
  }

  /** Estimated RTT to a WAN member from network coordinates (Infinity when unknown). */
  private wanDistance(name: string): number {
    const mine = this.serfWan?.getCoordinate();
    const theirs = this.serfWan?.getCachedCoordinate(name);
    return mine && theirs ? estimateRttMs(mine, theirs) : Number.POSITIVE_INFINITY;
  }

  /** Every datacenter WAN gossip knows, sorted by the median RTT to its servers (Consul's order). */
  private datacentersByDistance(): string[] {
    const byDc = new Map<string, number[]>();
    for (const m of this.wanMembers()) {
      const dc = m.tags.dc;
      if (!dc || m.tags.role !== 'consul') continue;
      const list = byDc.get(dc) ?? [];
      list.push(dc === this.config.datacenter ? 0 : this.wanDistance(m.name));
      byDc.set(dc, list);
    }
    byDc.set(this.config.datacenter, [0]);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.POSITIVE_INFINITY;
    return [...byDc.entries()].sort((a, b) => median(a[1]) - median(b[1]) || (a[0] < b[0] ? -1 : 1)).map(([dc]) => dc);
  }

  /** Consul's LAN tags (agent/consul/server_serf.go and client_serf.go). */
  private tags(): Record<string, string> {
    const c = this.config;
    const tags: Record<string, string> = {
      role: c.server ? 'consul' : 'node',
      dc: c.datacenter,
      segment: '',
      id: c.nodeId,
      vsn: '2',
      vsn_min: '2',
      vsn_max: '3',
      build: `${c.version}:`,
    };
    if (c.server) {
      tags.port = String(c.ports.server);
      tags.raft_vsn = '3';
      if (c.bootstrap) tags.bootstrap = '1';
      if (c.bootstrapExpect > 0) tags.expect = String(c.bootstrapExpect);
    }
    return tags;
  }

  /** Joins the LAN pool through any of `addresses` (`host:port`). */
  join(addresses: string[], done?: (joined: number, errors: string[]) => void): void {
    this.serf.join(addresses, true, done);
  }

  /** LAN members as serf knows them. */
  members(): Member[] {
    return this.serf.membersList();
  }

  /** Marks a failed member left (force-leave); with `prune` it is forgotten at once. */
  forceLeave(node: string, prune: boolean): void {
    this.serf.removeFailedNode(node, prune);
  }

  /** The datacenter of the server whose RPC address is `address`, from LAN and WAN gossip tags. */
  serverDatacenter(address: string): string | undefined {
    for (const m of [...this.members(), ...this.wanMembers()]) {
      const info = serverInfo(m);
      if (info?.rpcAddress === address) return info.datacenter;
    }
    return undefined;
  }

  /** Servers of this datacenter that gossip reports alive. */
  servers(): ServerInfo[] {
    const out: ServerInfo[] = [];
    this.serf.forEachMember((m) => {
      const s = serverInfo(m);
      if (s !== undefined && s.datacenter === this.config.datacenter && s.status === 'alive') out.push(s);
    });
    return out;
  }

  private onSerfEvent(e: SerfEvent): void {
    if (e.type === 'user') return this.onUserEvent(e.name, e.payload, e.ltime);
    // Serf reports this node's own join while it is being constructed: nothing to do before then.
    if (e.type === 'query' || this.serf === undefined) return;
    if (e.type === 'member-failed' || e.type === 'member-leave') this.dropServerConnections(e.members);
    if (this.server && !this.server.isLeader()) this.maybeBootstrap();
    if (this.server?.isLeader()) for (const m of e.members) this.reconcile(m);
  }

  /**
   * A server gossip reports failed or gone: fail the calls in flight to it now (a blocking query
   * would otherwise hang until its RPC timeout, tens of seconds), so callers retry elsewhere.
   */
  private dropServerConnections(members: Member[]): void {
    for (const m of members) {
      const info = serverInfo(m);
      if (info) this.client?.drop(info.rpcAddress);
    }
  }

  /**
   * bootstrap-expect: once gossip shows the expected number of servers, every one of them
   * bootstraps Raft with the same set (only servers that have no Raft state do).
   */
  private maybeBootstrap(): void {
    const expect = this.config.bootstrapExpect;
    if (!this.server || expect <= 0 || !this.server.isPristine()) return;
    const peers = this.servers().filter((s) => s.expect > 0);
    if (peers.length < expect) return;
    const conflicting = peers.find((s) => s.expect !== expect);
    if (conflicting) {
      this.log.log('error', `Member ${conflicting.name} has a conflicting expect value. All nodes should expect the same number.`);
      return;
    }
    const set = peers.map((s) => ({ id: s.id, address: s.rpcAddress })).sort((a, b) => (a.id < b.id ? -1 : 1));
    if (this.server.bootstrap(set)) this.log.log('info', 'found expected number of peers, attempting bootstrap', { peers: set.map((p) => p.address).join(',') });
  }

  private scheduleReconcile(): void {
    if (this.stopped) return;
    const every = this.config.gossip?.reconcileIntervalMs ?? DEFAULT_RECONCILE_MS;
    this.reconcileTimer = this.rt.time.setTimer(every, () => {
      if (this.server?.isLeader()) this.reconcileAll();
      this.scheduleReconcile();
    });
  }

  /** Autopilot's reconcile interval (10 s): the leader's dead-server cleanup. */
  private scheduleAutopilot(): void {
    if (this.stopped || !this.server) return;
    this.autopilotTimer = this.rt.time.setTimer(this.config.gossip?.autopilotIntervalMs ?? AUTOPILOT_INTERVAL_MS, () => {
      if (this.server?.isLeader()) this.pruneDeadServers();
      this.scheduleAutopilot();
    });
  }

  /** CleanupDeadServers: failed servers are force-left (their leave removes them from Raft). */
  private pruneDeadServers(): void {
    const server = this.server;
    const stored = server?.fsm.state.t.autopilot.get('config');
    if (!server || stored?.CleanupDeadServers === false) return;
    const byId = new Map<string, ServerInfo>();
    for (const m of this.members()) {
      const info = serverInfo(m);
      if (info && info.datacenter === this.config.datacenter) byId.set(info.id, info);
    }
    const view = server.raft.configuration().servers.map((s) => ({ id: s.id, name: byId.get(s.id)?.name, voter: s.suffrage === 'voter', status: byId.get(s.id)?.status }));
    const plan = planDeadServerCleanup(view, stored?.MinQuorum ?? 0);
    if (plan.kept) this.log.log('warn', plan.kept);
    for (const s of plan.forceLeave) {
      this.log.log('info', 'Attempting removal of failed server node', { id: s.id, name: s.name ?? '' });
      if (s.name) this.serf.removeFailedNode(s.name, false);
    }
    for (const s of plan.removeStale) {
      this.log.log('info', 'Attempting removal of stale server', { id: s.id });
      server.raft.changeConfiguration({ type: 'remove', id: s.id }, () => {});
    }
  }

  /** The leader's full pass: every member into the catalog and Raft, orphans out. */
  private reconcileAll(): void {
    const server = this.server;
    if (!server?.isLeader()) return;
    const members = this.members();
    for (const m of members) this.reconcile(m);
    for (const node of orphanNodes(server.fsm.state, members)) {
      server.call('Catalog.Deregister', { Deregister: { Node: node } }, () => {});
    }
  }

  private reconcile(m: Member): void {
    const server = this.server;
    if (!server) return;
    const action = reconcileMember(server.fsm.state, m, this.config.datacenter);
    if (action && 'register' in action) server.call('Catalog.Register', { Register: action.register }, (err) => err && this.log.log('warn', 'failed to reconcile member', { member: m.name, error: err }));
    if (action && 'deregister' in action) server.call('Catalog.Deregister', { Deregister: action.deregister }, () => {});
    this.reconcileRaft(m);
  }

  /** Adds alive servers of this datacenter to Raft as voters, removes ones that left. */
  private reconcileRaft(m: Member): void {
    const info = serverInfo(m);
    const server = this.server;
    if (!info || !server || info.datacenter !== this.config.datacenter) return;
    const inRaft = server.raft.configuration().servers.some((s) => s.id === info.id);
    if (info.status === 'alive' && !inRaft) {
      server.raft.changeConfiguration({ type: 'addVoter', id: info.id, address: info.rpcAddress }, (err) => {
        if (err) this.log.log('debug', 'raft add deferred', { server: info.name, error: err.message });
        else this.log.log('info', 'added server to raft', { server: info.name, address: info.rpcAddress });
      });
    } else if (info.status === 'left' && inRaft && info.id !== this.config.nodeId) {
      server.raft.changeConfiguration({ type: 'remove', id: info.id }, () => {});
    }
  }

  /** AgentApi.rpc: the local server if there is one, else a server found through gossip. */
  rpc(method: string, args: Record<string, unknown>): Promise<unknown> {
    this.metrics.incrCounter(this.rt.time.now(), 'consul.client.rpc');
    return new Promise((resolve, reject) => {
      const done = (err: string | undefined, reply?: unknown) => (err ? reject(new Error(err)) : resolve(reply));
      if (this.server) return this.server.call(method, args, done);
      this.clientCall(method, args, done, 0);
    });
  }

  private clientCall(method: string, args: Record<string, unknown>, done: (err: string | undefined, reply?: unknown) => void, attempt: number): void {
    const servers = this.servers();
    if (servers.length === 0 || !this.client) return done('No known Consul servers');
    const target = servers[this.nextServer++ % servers.length] as ServerInfo;
    this.client.call(target.rpcAddress, method, args, (err, reply) => {
      if (err?.kind === 'connection' && attempt + 1 < servers.length && retriable(method, err.message)) return this.clientCall(method, args, done, attempt + 1);
      done(err?.message, reply);
    });
  }

  /** `consul.api.http` with Consul's labels: `path` is the pattern, `/` turned into `_` (`v1_kv_`). */
  recordHttp(method: string, pattern: string, ms: number): void {
    const path = pattern.replace(/^\//, '').replaceAll('/', '_');
    this.metrics.addSample(this.rt.time.now(), 'consul.api.http', ms, { method, path });
  }

  /** `GET /v1/agent/metrics`: go-metrics' summary with the agent's gauges refreshed now. */
  metricsSummary(): MetricsSummary {
    const m = this.metrics;
    const members = this.members().filter((x) => x.status === 'alive');
    const servers = members.filter((x) => x.tags.role === 'consul').length;
    m.setGauge('consul.members.servers', servers);
    m.setGauge('consul.members.clients', members.length - servers);
    m.setGauge('consul.serf.lan.members', this.serf.numNodes());
    const server = this.server;
    if (server) {
      const t = server.fsm.state.t;
      m.setGauge('consul.server.isLeader', server.isLeader() ? 1 : 0);
      m.setGauge('consul.raft.applied_index', server.raft.status().applied);
      m.setGauge('consul.raft.last_index', server.raft.status().lastIndex);
      m.setGauge('consul.state.nodes', t.nodes.size);
      m.setGauge('consul.state.service_instances', t.services.size);
      m.setGauge('consul.state.kv_entries', t.kvs.size);
      m.setGauge('consul.state.sessions', t.sessions.size);
    }
    for (const [name, value] of Object.entries(this.runtimeGauges?.() ?? {})) m.setGauge(name, value);
    const wall = this.rt.wall.unixMs();
    return m.summary(this.rt.time.now(), goTimeString(wall - (wall % METRICS_INTERVAL_MS)));
  }

  /** `GET /v1/agent/self`: Config and Member like Consul's. */
  self(): Record<string, unknown> {
    const c = this.config;
    const me = this.serf.localMember();
    return {
      Config: {
        Datacenter: c.datacenter,
        PrimaryDatacenter: c.acl?.primaryDatacenter || c.datacenter,
        NodeName: c.nodeName,
        NodeID: c.nodeId,
        Server: c.server,
        Revision: '',
        Version: c.version,
      },
      Member: { Name: me.name, Addr: me.addr, Port: me.port, Tags: me.tags, Status: 1 },
      Stats: this.stats(),
      Meta: c.nodeMeta,
    };
  }

  /** Runtime facts for the `runtime` Stats section (set by the runtime: arch, os, cpu_count, version). */
  runtimeStats: (() => StatsSection) | undefined;

  /** `consul info`: the Stats sections of `/v1/agent/self` (agent/agent.go Stats). */
  stats(): Record<string, StatsSection> {
    const checks = [...this.local.checks.values()];
    const out: Record<string, StatsSection> = {
      agent: {
        check_monitors: String(checks.filter((x) => isIntervalCheck(x.definition)).length),
        check_ttls: String(checks.filter((x) => checkKind(x.definition) === 'ttl').length),
        checks: String(checks.length),
        services: String(this.local.services.size),
      },
      build: { prerelease: '', revision: '', version: this.config.version },
      consul: this.consulStats(),
      serf_lan: serfStats(this.serf, this.poolEncrypted(this.lanKeyring)),
    };
    if (this.server) out.raft = raftStats(this.server);
    if (this.serfWan) out.serf_wan = serfStats(this.serfWan, this.poolEncrypted(this.wanKeyring));
    const runtime = this.runtimeStats?.();
    if (runtime) out.runtime = runtime;
    return out;
  }

  private poolEncrypted(keyring: Keyring): boolean {
    return keyring.enabled && this.config.gossipEncryption !== undefined;
  }

  private consulStats(): StatsSection {
    const server = this.server;
    if (!server) return { acl: 'disabled', known_servers: String(this.servers().length), server: 'false' };
    const leaderId = server.raft.leader;
    const leaderAddr = server.raft.configuration().servers.find((s) => s.id === leaderId)?.address ?? '';
    return {
      acl: 'disabled',
      bootstrap: String(this.config.bootstrap || this.config.devMode),
      known_datacenters: String(this.serfWan ? new Set(this.wanMembers().map((m) => m.tags.dc)).size : 1),
      leader: String(server.isLeader()),
      leader_addr: leaderAddr,
      server: 'true',
    };
  }

  // ------------------------------------------------------------ local services and checks

  /** PUT /v1/agent/service/register. Throws AgentError with Consul's status and text. */
  registerService(raw: Record<string, unknown>, replaceExistingChecks = false, fromConfig = false): void {
    let parsed: ReturnType<typeof parseServiceRegistration>;
    try {
      parsed = parseServiceRegistration(raw);
    } catch (e) {
      throw new AgentError(400, (e as Error).message);
    }
    for (const c of parsed.checks) this.refuseScripts(c, fromConfig);
    const { service, checks } = parsed;
    if (replaceExistingChecks) {
      const keep = new Set(checks.map((c) => c.CheckID));
      for (const c of this.local.checksOf(service.ID)) if (!keep.has(c.definition.CheckID)) this.deregisterCheck(c.definition.CheckID);
    }
    this.local.addService(service);
    for (const c of checks) {
      this.local.addCheck(c);
      this.checks.start(c);
    }
  }

  /** PUT /v1/agent/service/deregister/:id. */
  deregisterService(id: string): void {
    if (!this.local.services.has(id)) throw new AgentError(404, `Unknown service ID "${id}". Ensure that the service ID is passed, not the service name.`);
    for (const c of this.local.checksOf(id)) this.checks.stop(c.definition.CheckID);
    this.local.removeService(id);
  }

  /** PUT /v1/agent/check/register. */
  registerCheck(raw: Record<string, unknown>, fromConfig = false): void {
    let d: CheckDefinition;
    try {
      d = parseCheckDefinition(raw);
    } catch (e) {
      throw new AgentError(400, e instanceof CheckValidationError && e.message.startsWith('Status') ? 'Bad check status' : (e as Error).message);
    }
    if (!d.Name) throw new AgentError(400, 'Missing check name');
    d = { ...d, CheckID: d.CheckID || d.Name };
    if (d.ServiceID && !this.local.services.has(d.ServiceID)) throw new AgentError(404, `ServiceID "${d.ServiceID}" does not exist`);
    try {
      validateCheck(d);
    } catch (e) {
      throw new AgentError(400, `Invalid check: ${(e as Error).message}`);
    }
    this.refuseScripts(d, fromConfig);
    this.local.addCheck(d);
    this.checks.start(d);
  }

  /** PUT /v1/agent/check/deregister/:id. */
  deregisterCheck(id: string): void {
    if (!this.local.checks.has(id)) throw new AgentError(404, `Unknown check ID "${id}". Ensure that the check ID is passed, not the check name.`);
    this.checks.stop(id);
    this.local.removeCheck(id);
  }

  /** PUT /v1/agent/check/pass|warn|fail|update/:id for TTL checks. */
  updateCheck(id: string, status: CheckStatus, output: string): void {
    if (!this.local.checks.has(id)) throw new AgentError(404, `Unknown check ID "${id}". Ensure that the check ID is passed, not the check name.`);
    if (!this.checks.updateTtl(id, status, output)) throw new AgentError(500, `CheckID "${id}" does not have associated TTL`);
  }

  /** PUT /v1/agent/maintenance: a critical `_node_maintenance` check while enabled. */
  setNodeMaintenance(enable: boolean, reason: string): void {
    if (!enable) {
      if (this.local.checks.has(NODE_MAINT_ID)) this.local.removeCheck(NODE_MAINT_ID);
      return;
    }
    const d = parseCheckDefinition({ CheckID: NODE_MAINT_ID, Name: 'Node Maintenance Mode', Notes: reason || NODE_MAINT_DEFAULT_REASON, Status: 'critical' });
    this.local.addCheck(d, 'critical');
  }

  /** PUT /v1/agent/service/maintenance/:id. */
  setServiceMaintenance(id: string, enable: boolean, reason: string): void {
    if (!this.local.services.has(id)) throw new AgentError(404, `Unknown service ID "${id}". Ensure that the service ID is passed, not the service name.`);
    const checkID = `${SERVICE_MAINT_PREFIX}${id}`;
    if (!enable) {
      if (this.local.checks.has(checkID)) this.local.removeCheck(checkID);
      return;
    }
    const d = parseCheckDefinition({ CheckID: checkID, Name: 'Service Maintenance Mode', Notes: reason || SERVICE_MAINT_DEFAULT_REASON, ServiceID: id, Status: 'critical' });
    this.local.addCheck(d, 'critical');
  }

  /**
   * Script checks run only when the agent enables them (the RCE Consul warns about): checks from
   * config files need enable_local_script_checks (or enable_script_checks), checks registered over
   * the API need enable_script_checks. Consul's texts; an API refusal is a plain error (500).
   */
  private refuseScripts(d: CheckDefinition, fromConfig: boolean): void {
    if (checkKind(d) !== 'script') return;
    if (fromConfig && !(this.config.enableLocalScriptChecks || this.config.enableScriptChecks)) {
      throw new AgentError(400, "Scripts are disabled on this agent; to enable, configure 'enable_script_checks' or 'enable_local_script_checks' to true");
    }
    if (!fromConfig && !this.config.enableScriptChecks) {
      throw new AgentError(500, "Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true");
    }
  }

  /** Set by the runtime that owns the configuration (the Node agent); `reload()` calls it. */
  reloadHandler: (() => Promise<void>) | undefined;

  /** PUT /v1/agent/reload: re-reads the configuration, or says this agent has none to re-read. */
  async reload(): Promise<void> {
    if (!this.reloadHandler) throw new AgentError(500, 'Reload is not supported: this agent was not started from configuration files');
    await this.reloadHandler();
  }

  /** Forces an anti-entropy pass now (tests, reload). */
  syncNow(): Promise<void> {
    return this.antiEntropy.sync();
  }

  /** Graceful leave: tells the pool, then stops. */
  leave(done: () => void): void {
    this.serfWan?.leave();
    this.serf.leave(() => {
      this.shutdown();
      done();
    });
  }

  shutdown(): void {
    this.stopped = true;
    this.dnsAcl.stop();
    this.reconcileTimer?.cancel();
    this.autopilotTimer?.cancel();
    this.coordinateSync.stop();
    this.reapTimer?.cancel();
    this.antiEntropy.stop();
    this.checks.stopAll();
    this.server?.stop();
    this.client?.close();
    this.serf.shutdown();
    this.serfWan?.shutdown();
  }
}
