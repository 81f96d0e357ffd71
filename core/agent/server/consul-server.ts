import { ANONYMOUS_ACCESSOR_ID, GLOBAL_MANAGEMENT_POLICY_ID } from '../../acl/builtin.ts';
import { type Command, encodeCommand } from '../../fsm/commands.ts';
import { ApplyError, ConsulFSM } from '../../fsm/fsm.ts';
import { blockingQuery } from '../../lib/blocking.ts';
import { parseGoDuration } from '../../lib/duration.ts';
import type { TimerHandle, TimeSource, WallClock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Random } from '../../ports/random.ts';
import type { LogStore, SnapshotStore, StableStore } from '../../ports/storage.ts';
import type { TraceSink } from '../../ports/trace.ts';
import type { StreamTransport } from '../../ports/transport.ts';
import { AUTOPILOT_DEFAULTS, Autopilot } from '../../raft/autopilot.ts';
import { bootstrapStores, RaftServer } from '../../raft/raft-server.ts';
import type { RaftTiming } from '../../raft/timing.ts';
import { StreamRaftTransport } from '../../raft/transport.ts';
import { RaftError } from '../../raft/types.ts';
import { aclRead } from '../../state/acl.ts';
import { storeResult } from '../../state/blocking.ts';
import type { QueryResult } from '../../state/types.ts';
import { RpcType } from '../rpc/codec.ts';
import { RpcClient } from '../rpc/rpc-client.ts';
import { type RpcRespond, RpcServer } from '../rpc/rpc-server.ts';
import { StreamMux, typedTransport } from '../rpc/stream-mux.ts';
import { initializeAcls } from './acl/acl-leader.ts';
import { AclReplicator } from './acl/acl-replication.ts';
import { CoordinateBatcher } from './coordinate-batcher.ts';
import type { EndpointContext, RaftView, ServerAclConfig } from './endpoint.ts';
import type { KeyringHooks } from './endpoints/keyring.ts';
import { LeaderDuties } from './leader-duties.ts';
import { ENDPOINTS } from './registry.ts';
import { ERR_ABANDONED, ERR_NO_DC_PATH, ERR_NO_LEADER, type QueryOptions, type QueryReply } from './rpc-types.ts';
import { formatUUID } from './uuid.ts';

/** How long a request waits for a leader to be known before failing (Consul's rpc_hold_timeout). */
export const RPC_HOLD_TIMEOUT_MS = 7000;

export interface ConsulServerOptions {
  nodeName: string;
  /** Raft's server ID (Consul uses the node ID). */
  nodeId: string;
  datacenter: string;
  /** Where other servers reach this one's RPC port (also its Raft address). */
  rpcAddress: string;
  /** The bound RPC port (Consul's 8300): Consul RPC and Raft share it by first byte. */
  streams: StreamTransport;
  time: TimeSource;
  wall: WallClock;
  random: Random;
  logStore: LogStore;
  stableStore: StableStore;
  snapshotStore: SnapshotStore;
  timing: RaftTiming;
  /** `raft_snapshot_threshold` and `raft_trailing_logs` (RaftServer's defaults when absent). */
  snapshotThreshold?: number;
  trailingLogs?: number;
  /**
   * Servers to bootstrap a new cluster with when this server's stores are empty: just itself for
   * `-bootstrap` and `-dev`; for `-bootstrap-expect` the agent calls `bootstrap()` once gossip has
   * found enough servers.
   */
  bootstrapPeers?: Array<{ id: string; address: string }>;
  logger: Logger;
  trace?: TraceSink;
  /** WAN federation: the other datacenters' servers, as the WAN gossip pool reports them. */
  wan?: WanView;
  /** The node name of a server, by its node ID (from LAN gossip tags), for operator output. */
  nodeNameOf?: (id: string) => string | undefined;
  /** ACLs (off when absent), with `acl.tokens.initial_management`. */
  acl?: ServerAclConfig & { initialManagement?: string };
  /** Gossip key operations (Internal.KeyringOperation) through the agent's serf pools. */
  keyring?: KeyringHooks;
}

/** What a server knows of other datacenters (from WAN gossip). */
export interface WanView {
  /** Every known datacenter, this one included, nearest first. */
  datacenters(): string[];
  /** RPC addresses of alive servers of `dc`, nearest first. */
  servers(dc: string): string[];
}

/**
 * A Consul server: the FSM over Raft, the RPC endpoints, forwarding to the leader, and the leader's
 * duties. RPCs arrive over the network (RpcServer) or from the local agent (`call`); both take the
 * same path.
 */
export class ConsulServer {
  readonly fsm = new ConsulFSM();
  raft: RaftServer;
  /** Observers of Raft state changes, carried over to the Raft instance a bootstrap creates. */
  private readonly softStateObservers: Array<(state: string, lead: string) => void> = [];
  private readonly raftStreams: StreamTransport;
  private started = false;
  private readonly rpcServer: RpcServer;
  private readonly forwarder: RpcClient;
  private readonly duties: LeaderDuties;
  /** Pending Coordinate.Update calls, committed in batches while this server leads. */
  readonly coordinates: CoordinateBatcher;
  private readonly queryRandom: Random;
  private healthView: Autopilot | undefined;
  private readonly log: Logger;
  private readonly ctx: EndpointContext;
  /** Blocking queries still waiting, so that stopping the server releases their timers. */
  private readonly waiting = new Set<() => void>();

  /** How many blocking queries are waiting for a change right now. */
  get waitingQueries(): number {
    return this.waiting.size;
  }

  constructor(private readonly o: ConsulServerOptions) {
    this.log = o.logger.named('server');
    const mux = new StreamMux(o.streams);
    this.raftStreams = typedTransport(o.streams, mux, RpcType.Raft);
    if (o.bootstrapPeers) this.bootstrapStores(o.bootstrapPeers);
    this.raft = this.newRaft();
    this.rpcServer = new RpcServer((method, args, respond) => this.call(method, args, respond), this.log);
    mux.handle(RpcType.Consul, (s) => this.rpcServer.serve(s));
    this.forwarder = new RpcClient(o.streams, o.time);
    this.duties = new LeaderDuties(this.fsm.state, o.time, (command, done) => this.propose(command, (err) => done(err)), this.log.named('leader'));
    this.queryRandom = o.random.split('prepared-query');
    this.coordinates = new CoordinateBatcher(o.time, (command, done) => this.propose(command, (err) => done(err)), this.log.named('coordinate'));
    this.ctx = this.endpointContext();
    const acl = o.acl;
    if (acl?.enabled && acl.primaryDatacenter && acl.primaryDatacenter !== o.datacenter) {
      this.replicator = new AclReplicator({
        state: this.fsm.state,
        primary: acl.primaryDatacenter,
        replicateTokens: acl.replicateTokens === true,
        time: o.time,
        wallMs: () => o.wall.unixMs(),
        remote: (dc, method, args) =>
          new Promise((resolve, reject) =>
            this.forwardToDatacenter(dc, method, { ...args, Datacenter: dc, Token: acl.replicationToken ?? '' }, (err, reply) => (err ? reject(new Error(err)) : resolve(reply))),
          ),
        propose: (command) => new Promise((resolve, reject) => this.propose(command, (err) => (err ? reject(new Error(err)) : resolve()))),
        logger: this.log.named('acl'),
      });
    }
  }

  private newRaft(): RaftServer {
    const o = this.o;
    const raft = new RaftServer({
      id: o.nodeId,
      address: o.rpcAddress,
      time: o.time,
      random: o.random.split('raft'),
      logStore: o.logStore,
      stableStore: o.stableStore,
      snapshotStore: o.snapshotStore,
      transport: new StreamRaftTransport(o.nodeId, this.raftStreams, undefined, { now: () => o.time.now(), silentAfterMs: o.timing.electionTimeoutMs }),
      fsm: this.fsm,
      timing: o.timing,
      snapshotThreshold: o.snapshotThreshold,
      trailingLogs: o.trailingLogs,
      logger: o.logger.named('server'),
      trace: o.trace,
    });
    for (const observer of this.softStateObservers) raft.onSoftState(observer);
    raft.onSoftState((state) => {
      if (state === 'leader') {
        this.duties.start();
        this.coordinates.start();
        this.startAclInit();
        this.replicator?.start();
      } else {
        this.duties.stop();
        this.coordinates.stop();
        this.aclInitTimer?.cancel();
        this.replicator?.stop();
      }
    });
    return raft;
  }

  private aclInitTimer: TimerHandle | undefined;
  private replicator: AclReplicator | undefined;

  /** The ACL settings endpoints see (disabled unless configured). */
  get aclConfig(): ServerAclConfig & { initialManagement?: string } {
    const acl = this.o.acl ?? { enabled: false, primaryDatacenter: this.o.datacenter };
    return { ...acl, resolvesLocally: () => acl.primaryDatacenter === this.o.datacenter || this.hasReplicatedAcls() };
  }

  /**
   * While leading the primary datacenter with ACLs on, makes sure the built-in policy, the
   * anonymous token and the initial management token exist; retried each second until they do
   * (the first attempt may race entries of the previous term still being applied).
   */
  private startAclInit(): void {
    const acl = this.aclConfig;
    if (!acl.enabled || acl.primaryDatacenter !== this.o.datacenter) return;
    const attempt = () => {
      if (!this.isLeader()) return;
      const s = this.fsm.state;
      const complete =
        aclRead.policy(s, GLOBAL_MANAGEMENT_POLICY_ID).value &&
        aclRead.tokenByAccessor(s, ANONYMOUS_ACCESSOR_ID).value &&
        (!acl.initialManagement || aclRead.tokenBySecret(s, acl.initialManagement).value);
      if (complete) return;
      initializeAcls(
        s,
        { initialManagement: acl.initialManagement ?? '', wallMs: this.o.wall.unixMs(), newUUID: () => formatUUID(this.o.random.bytes(new Uint8Array(16))) },
        (command, done) => this.propose(command, (err) => done(err)),
        this.log.named('acl'),
      );
      this.aclInitTimer = this.o.time.setTimer(1000, attempt);
    };
    this.aclInitTimer?.cancel();
    this.aclInitTimer = this.o.time.setTimer(0, attempt);
  }

  /**
   * A secondary datacenter's servers resolve tokens from their own state once token replication
   * has copied them (the anonymous token is there); otherwise they ask the primary.
   */
  hasReplicatedAcls(): boolean {
    const acl = this.aclConfig;
    return acl.enabled && acl.replicateTokens === true && aclRead.tokenByAccessor(this.fsm.state, ANONYMOUS_ACCESSOR_ID).value !== null;
  }

  /** The ACL replicator of a secondary datacenter's servers (runs while leading). */
  get aclReplication(): AclReplicator | undefined {
    return this.replicator;
  }

  /** True when this server has no Raft state at all (never bootstrapped, never joined). */
  isPristine(): boolean {
    return this.o.logStore.lastIndex() === 0 && !this.o.snapshotStore.latest() && this.raft.status().term === 0;
  }

  private bootstrapStores(peers: Array<{ id: string; address: string }>): boolean {
    const o = this.o;
    if (o.logStore.lastIndex() > 0 || o.snapshotStore.latest()) return false;
    bootstrapStores(o.logStore, o.stableStore, o.snapshotStore, {
      servers: peers.map((p) => ({ id: p.id, address: p.address, suffrage: 'voter' as const })),
    });
    this.log.log('info', 'bootstrapping a new cluster', { servers: peers.map((p) => p.id).join(',') });
    return true;
  }

  /**
   * Bootstraps a new cluster with `peers` (bootstrap-expect reached). Does nothing if this server
   * already has Raft state: it is then part of a cluster, and bootstrapping again would split it.
   */
  bootstrap(peers: Array<{ id: string; address: string }>): boolean {
    if (!this.isPristine()) return false;
    this.raft.stop();
    this.bootstrapStores(peers);
    this.raft = this.newRaft();
    if (this.started) this.raft.start();
    return true;
  }

  start(): void {
    this.started = true;
    this.raft.start();
  }

  /**
   * Observes Raft state changes (follower, candidate, leader...) across Raft instances: a
   * bootstrap-expect bootstrap replaces `raft`, and an observer registered on the old instance
   * would never hear of this server's leadership.
   */
  onSoftState(observer: (state: string, lead: string) => void): void {
    this.softStateObservers.push(observer);
    this.raft.onSoftState(observer);
  }

  stop(): void {
    for (const cancel of this.waiting) cancel();
    this.waiting.clear();
    this.aclInitTimer?.cancel();
    this.replicator?.stop();
    this.duties.stop();
    this.coordinates.stop();
    this.raft.stop();
    this.forwarder.close();
  }

  /** Datacenters reachable from here, nearest first; WAN federation extends this list. */
  datacenters(): string[] {
    return this.o.wan?.datacenters() ?? [this.o.datacenter];
  }

  /**
   * Autopilot's health evaluation for the operator endpoints. It keeps its own Autopilot instance
   * (for StableSince across calls) and only reports: membership changes are Raft's autopilot's job.
   */
  private serverHealth(): ReturnType<RaftView['serverHealth']> {
    if (!this.isLeader()) return undefined;
    const stored = this.fsm.state.t.autopilot.get('config');
    const threshold = stored ? parseGoDuration(stored.LastContactThreshold) / 1e6 : AUTOPILOT_DEFAULTS.lastContactThresholdMs;
    const config = {
      ...AUTOPILOT_DEFAULTS,
      lastContactThresholdMs: threshold,
      maxTrailingLogs: stored?.MaxTrailingLogs ?? AUTOPILOT_DEFAULTS.maxTrailingLogs,
    };
    if (!this.healthView || JSON.stringify(this.healthView.config) !== JSON.stringify(config)) this.healthView = new Autopilot(config);
    const now = this.o.time.now();
    const report = this.healthView.evaluate(now, this.raft.status(), this.o.timing.tickMs);
    const wallNow = this.o.wall.unixMs();
    return {
      healthy: report.healthy,
      failureTolerance: report.failureTolerance,
      servers: report.servers.map((s) => ({ ...s, stableSinceUnixMs: s.stableSince < 0 ? -1 : wallNow - (now - s.stableSince) })),
    };
  }

  /** Whether this server leads its datacenter's Raft group. */
  isLeader(): boolean {
    return this.raft.status().state === 'leader';
  }

  /** The leader's RPC address, or "" when unknown. */
  leaderAddress(): string {
    const lead = this.raft.leader;
    if (!lead) return '';
    return this.raft.configuration().servers.find((s) => s.id === lead)?.address ?? '';
  }

  /**
   * Runs one RPC: routes it (to the leader for writes and non-stale reads) and answers through
   * `respond`. Args must be an object; anything else is refused.
   */
  call(method: string, rawArgs: unknown, respond: RpcRespond, holdDeadline?: number): void {
    const endpoint = ENDPOINTS[method];
    if (!endpoint) return respond(`rpc: can't find method ${method}`);
    const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as Record<string, unknown>;
    const query = args.Query as QueryOptions | undefined;
    const toPrimary = typeof endpoint.primary === 'function' ? endpoint.primary(this.aclConfig) : endpoint.primary === true;
    const dc = toPrimary && this.aclConfig.enabled ? this.aclConfig.primaryDatacenter : (typeof args.Datacenter === 'string' && args.Datacenter) || query?.Datacenter;
    if (dc && dc !== this.o.datacenter) return this.forwardToDatacenter(dc, method, { ...args, Datacenter: dc }, respond);
    const needsLeader = endpoint.kind === 'write' || (endpoint.kind === 'read' && (query?.Mode ?? 'default') !== 'stale');
    if (needsLeader && !this.isLeader()) return this.forwardToLeader(method, args, respond, holdDeadline);
    try {
      endpoint.handle(this.ctx, args, respond);
    } catch (e) {
      respond(e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * Sends an RPC to the leader. While no leader is known (an election is under way) the request is
   * held and retried, up to Consul's rpc_hold_timeout, before failing with "No cluster leader".
   */
  private forwardToLeader(method: string, args: Record<string, unknown>, respond: RpcRespond, deadline = this.o.time.now() + RPC_HOLD_TIMEOUT_MS): void {
    const leader = this.leaderAddress();
    if (!leader || leader === this.o.rpcAddress) {
      if (this.o.time.now() >= deadline) return respond(ERR_NO_LEADER);
      const wait = RPC_HOLD_TIMEOUT_MS / 16 / 8 + this.o.random.float() * (RPC_HOLD_TIMEOUT_MS / 16 / 8);
      this.o.time.setTimer(wait, () => this.call(method, args, respond, deadline));
      return;
    }
    this.forwarder.call(leader, method, args, (err, reply) => (err ? respond(err.message) : respond(undefined, reply)));
  }

  /**
   * Sends an RPC to a server of another datacenter (Consul's forwardDC), trying its servers in
   * order of distance; "No path to datacenter" when WAN gossip knows none.
   */
  private forwardToDatacenter(dc: string, method: string, args: Record<string, unknown>, respond: RpcRespond, tried = 0): void {
    const servers = this.o.wan?.servers(dc) ?? [];
    const target = servers[tried];
    if (!target) return respond(ERR_NO_DC_PATH);
    this.forwarder.call(target, method, args, (err, reply) => {
      if (err?.kind === 'connection' && tried + 1 < servers.length) return this.forwardToDatacenter(dc, method, args, respond, tried + 1);
      if (err) return respond(err.message);
      respond(undefined, reply);
    });
  }

  /** Commits a command through Raft, stamped with the leader's wall clock. */
  private propose(command: Command, respond: RpcRespond): void {
    this.raft.apply(encodeCommand(command, this.o.wall.unixMs()), (err, result) => {
      if (err) return respond(err instanceof RaftError && err.code === 'not-leader' ? ERR_NO_LEADER : err.message);
      if (result instanceof ApplyError) return respond(result.message);
      respond(undefined, result);
    });
  }

  private read<T>(query: QueryOptions | undefined, run: () => QueryResult<T>, respond: RpcRespond): void {
    const mode = query?.Mode ?? 'default';
    this.raft.read(mode, (err, info) => {
      if (err || !info) return respond(err instanceof RaftError && err.code === 'not-leader' ? ERR_NO_LEADER : (err?.message ?? ERR_NO_LEADER));
      const options = {
        minIndex: query?.MinQueryIndex ?? 0,
        waitMs: query?.MaxQueryTimeMs ?? 0,
        timers: this.o.time,
        random: this.o.random,
      };
      let answered = false;
      let cancel: () => void = () => {};
      const abandon = query?.Abandon;
      const onAbandon = () => {
        cancel();
        this.waiting.delete(cancel);
        respond(ERR_ABANDONED);
      };
      cancel = blockingQuery(options, () => storeResult(this.fsm.state, run()), (result) => {
        answered = true;
        this.waiting.delete(cancel);
        abandon?.removeEventListener('abort', onAbandon);
        const reply: QueryReply<T> = {
          Index: result.index,
          KnownLeader: info.knownLeader,
          LastContact: info.lastContactMs,
          Mode: mode,
          Value: result.value,
        };
        respond(undefined, reply);
      });
      // Answered at once: nothing to remember (remembering it would keep a closure per request).
      if (answered) return;
      // Still waiting: remember how to abandon it when the server stops or the caller goes away.
      this.waiting.add(cancel);
      if (abandon?.aborted) onAbandon();
      else abandon?.addEventListener('abort', onAbandon, { once: true });
    });
  }

  private endpointContext(): EndpointContext {
    const raftView: RaftView = {
      leaderAddress: () => this.leaderAddress(),
      servers: () =>
        this.raft.configuration().servers.map((s) => ({
          id: s.id,
          name: this.o.nodeNameOf?.(s.id) ?? (s.id === this.o.nodeId ? this.o.nodeName : s.id),
          address: s.address,
          voter: s.suffrage === 'voter',
          leader: s.id === this.raft.leader,
        })),
      lastIndex: () => this.raft.status().lastIndex,
      isLeader: () => this.isLeader(),
      serverHealth: () => this.serverHealth(),
      removeServer: (id, respond) => this.raft.changeConfiguration({ type: 'remove', id }, (err) => respond(err?.message, true)),
      transferLeadership: (id, respond) => {
        try {
          this.raft.transferLeadership(id);
          respond(undefined, true);
        } catch (e) {
          respond((e as Error).message);
        }
      },
    };
    return {
      state: this.fsm.state,
      datacenter: this.o.datacenter,
      raft: raftView,
      write: (command, respond) => this.propose(command, respond),
      read: (query, run, respond) => this.read(query, run, respond),
      newUUID: () => formatUUID(this.o.random.bytes(new Uint8Array(16))),
      touchSession: (id, ttl) => this.duties.touchSession(id, ttl),
      knownDatacenters: () => this.datacenters(),
      queueCoordinate: (update) => this.coordinates.add(update),
      callDatacenter: (dc, method, args, respond) => this.call(method, { ...args, Datacenter: dc }, respond),
      keyring: this.o.keyring,
      random: () => this.queryRandom.float(),
      wallMs: () => this.o.wall.unixMs(),
      acl: this.aclConfig,
      aclReplicationStatus: () => (this.replicator?.status.Running ? this.replicator.status : undefined),
    };
  }
}
