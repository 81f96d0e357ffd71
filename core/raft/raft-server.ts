/**
 * RaftServer: the driver that binds the sans-IO RawNode to the ports. It owns the node, ticks it
 * from a timer, steps messages from the transport, persists each Ready to the LogStore and
 * StableStore (one sync covers the whole batch: group commit), sends messages only after what they
 * depend on is durable, applies committed entries to the user's FSM, takes snapshots and compacts
 * the log, and resolves proposals and reads.
 *
 * Durability order per Ready: leader replication messages go out at once (thesis §10.2.1); the
 * snapshot (if any) is saved before the log is reset to it; entries and hard state are written and
 * synced; only then are the other messages sent (votes, acknowledgments), the leader counts its own
 * copy, and committed entries are applied.
 */
import { decode, encode } from '@msgpack/msgpack';
import type { TimerHandle, TimeSource } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import { nullLogger } from '../ports/logger.ts';
import type { Random } from '../ports/random.ts';
import type { LogStore, SnapshotStore, StableStore } from '../ports/storage.ts';
import { nullTraceSink, type TraceSink } from '../ports/trace.ts';
import { AUTOPILOT_DEFAULTS, Autopilot, type AutopilotConfig, type AutopilotReport } from './autopilot.ts';
import type { RaftConfig } from './config.ts';
import { CachedLogStore } from './log-cache.ts';
import { decodeConfiguration, encodeConfiguration, findServer } from './membership.ts';
import { isNetworkMessage, RawNode, type Status } from './raw-node.ts';
import { consulTiming, type RaftTiming } from './timing.ts';
import type { RaftTransport } from './transport.ts';
import './trace-events.ts';
import { type ConfChange, type Configuration, type Entry, EntryType, type Message, RaftError, type Ready, type Snapshot } from './types.ts';

/** The user's replicated state machine. `apply` must be deterministic. */
export interface RaftFSM {
  /** Applies a committed command; the return value resolves the proposal on the leader. */
  apply(index: number, data: Uint8Array): unknown;
  /** Serialises the whole state (called after applying up to some index). */
  snapshot(): Uint8Array;
  /** Replaces the whole state with a snapshot's. */
  restore(data: Uint8Array): void;
}

/** Consul's read consistency modes. */
export type ReadMode = 'default' | 'consistent' | 'stale';

/** What a completed read reports (Consul's X-Consul-LastContact / X-Consul-KnownLeader). */
export interface ReadInfo {
  /** Index the FSM had applied when the read was released. */
  index: number;
  /** Milliseconds since this server last heard from the leader (0 on the leader). */
  lastContactMs: number;
  knownLeader: boolean;
}

export type Callback<T> = (error: Error | undefined, value?: T) => void;

export interface RaftServerOptions {
  id: string;
  /** This server's address as peers reach it (stored in the configuration). */
  address: string;
  time: TimeSource;
  random: Random;
  logStore: LogStore;
  stableStore: StableStore;
  snapshotStore: SnapshotStore;
  transport: RaftTransport;
  fsm: RaftFSM;
  /** Tick length and tick counts (default: Consul's timing at raft_multiplier 5). */
  timing?: RaftTiming;
  /** Overrides for the state machine's flow-control settings. */
  raft?: Partial<Omit<RaftConfig, 'id' | 'random' | 'electionTicks' | 'heartbeatTicks' | 'leaseTicks'>>;
  /** Take a snapshot once this many entries were applied since the last (HashiCorp: 8192). */
  snapshotThreshold?: number;
  /** Entries kept in the log behind a snapshot, for slow followers (HashiCorp: 10240). */
  trailingLogs?: number;
  /** Runs autopilot on the leader every `intervalMs` (default: off). */
  autopilot?: Partial<AutopilotConfig> & { intervalMs: number };
  logger?: Logger;
  trace?: TraceSink;
}

interface PendingProposal {
  term: number;
  cb: Callback<unknown>;
}

interface PendingRead {
  cb: Callback<ReadInfo>;
  index: number;
}

const HARD_STATE_KEY = 'raft.hardstate';

/**
 * Bootstraps a brand-new cluster (HashiCorp's BootstrapCluster): writes the initial configuration
 * as entry 1 of term 1 into empty stores, before the server is constructed. Every initial server
 * bootstraps with the same configuration. Throws, changing nothing, if the stores hold any state.
 */
export function bootstrapStores(logStore: LogStore, stableStore: StableStore, snapshotStore: SnapshotStore, configuration: Configuration): void {
  if (logStore.lastIndex() > 0 || snapshotStore.latest() || stableStore.get(HARD_STATE_KEY)) {
    throw new Error('raft: bootstrap refused, the server already has state');
  }
  logStore.append([{ index: 1, term: 1, type: EntryType.Configuration, data: encodeConfiguration(configuration) }]);
  stableStore.set(HARD_STATE_KEY, encode([1, '']));
}

/** Error for callers whose request's outcome is unknown or refused because leadership changed. */
export const leadershipLost = (): RaftError => new RaftError('leadership-lost', 'leadership lost while the request was in flight');

export class RaftServer {
  readonly id: string;
  readonly address: string;
  private readonly node: RawNode;
  private readonly o: RaftServerOptions;
  private readonly timing: RaftTiming;
  private readonly log: Logger;
  private readonly trace: TraceSink;
  private tickTimer: TimerHandle | undefined;
  /** Clock reading when ticking started, and ticks done since (see catchUpTicks). */
  private tickBase: number | undefined;
  private ticked = 0;
  private flushTimer: TimerHandle | undefined;
  private inFlight = false;
  private flushing = false;
  private stopped = false;
  private failed: Error | undefined;
  /** Inputs held back while a snapshot is being installed (the log store is being replaced). */
  private held: Array<() => void> | null = null;
  private readonly proposals = new Map<number, PendingProposal>();
  private readonly confWaiters = new Map<number, PendingProposal>();
  private readonly reads = new Map<number, { cb: Callback<ReadInfo> }>();
  private readyReads: PendingRead[] = [];
  private readCtx = 0;
  /** Index of the last entry applied to the FSM. */
  applied = 0;
  private appliedTerm = 0;
  private appliedConfig: Configuration;
  private snapshotIndex = 0;
  private snapshotting = false;
  /** An install waiting for the local snapshot save in flight. */
  private afterSnapshotSave: (() => void) | null = null;
  private lastLeaderContact: number;
  private cachedSnapshot: { id: string; snap: Snapshot } | undefined;
  private isLeader = false;
  private readonly softStateObservers: Array<(state: string, lead: string) => void> = [];
  private autopilot: Autopilot | undefined;
  private autopilotTimer: TimerHandle | undefined;
  private lastReport: AutopilotReport | undefined;

  constructor(options: RaftServerOptions) {
    // Every log read and write goes through the cache of the newest entries (log-cache.ts).
    this.o = { ...options, logStore: new CachedLogStore(options.logStore) };
    this.id = options.id;
    this.address = options.address;
    this.timing = options.timing ?? consulTiming();
    this.log = (options.logger ?? nullLogger).named('raft');
    this.trace = options.trace ?? nullTraceSink;
    this.lastLeaderContact = options.time.now();
    const { hardTerm, hardVote } = this.loadHardState();
    const snap = options.snapshotStore.latest();
    let snapshotConfig: Configuration = { servers: [] };
    let bounds = { firstIndex: this.o.logStore.firstIndex(), lastIndex: this.o.logStore.lastIndex(), snapshotIndex: 0, snapshotTerm: 0 };
    if (snap) {
      snapshotConfig = decodeConfiguration(snap.meta.configuration);
      options.fsm.restore(snap.data);
      this.applied = snap.meta.index;
      this.appliedTerm = snap.meta.term;
      this.snapshotIndex = snap.meta.index;
      this.normalizeLogAfterSnapshot(snap.meta.index, snap.meta.term);
      bounds = { firstIndex: this.o.logStore.firstIndex(), lastIndex: this.o.logStore.lastIndex(), snapshotIndex: snap.meta.index, snapshotTerm: snap.meta.term };
    }
    this.appliedConfig = snapshotConfig;
    this.node = new RawNode(
      {
        ...options.raft,
        id: options.id,
        random: options.random.split('raft'),
        electionTicks: this.timing.electionTicks,
        heartbeatTicks: this.timing.heartbeatTicks,
        leaseTicks: this.timing.leaseTicks,
        trace: this.trace,
      },
      {
        log: this.o.logStore,
        bounds,
        term: hardTerm,
        vote: hardVote,
        snapshotConfiguration: snapshotConfig,
        snapshotSource: () => this.latestSnapshot(),
      },
    );
    // Messages arrive in batches already: process them and their Ready at once (no extra hop).
    options.transport.onMessages((ms, address) => this.input(() => this.receive(ms, address), true));
    options.transport.onUnreachable((id) => this.input(() => this.node.reportUnreachable(id)));
  }

  private loadHardState(): { hardTerm: number; hardVote: string } {
    const raw = this.o.stableStore.get(HARD_STATE_KEY);
    if (!raw) return { hardTerm: 0, hardVote: '' };
    const v = decode(raw);
    if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'string') throw new Error('raft: corrupt hard state');
    return { hardTerm: v[0], hardVote: v[1] };
  }

  /**
   * After a crash during snapshot install the log may not match the snapshot (it still holds the
   * old suffix): keep it only if it contains the snapshot's last entry, else discard it.
   */
  private normalizeLogAfterSnapshot(index: number, term: number): void {
    const ls = this.o.logStore;
    const first = ls.firstIndex();
    // Consistent: the log starts right after the snapshot (it was reset or compacted to it), or it
    // holds the snapshot's last entry. (Regression seed 66: the first case was discarded, losing
    // acknowledged entries after a restart.)
    if (first === index + 1 || (first <= index && ls.lastIndex() >= index && ls.get(index)?.term === term)) return;
    if (ls.lastIndex() >= ls.firstIndex()) ls.truncateFrom(ls.firstIndex());
    ls.compactTo(index);
  }

  /** Starts ticking. */
  start(): void {
    if (this.tickTimer || this.stopped) return;
    this.tickBase = this.o.time.now();
    this.ticked = 0;
    const loop = () => {
      this.tickTimer = this.o.time.setTimer(this.timing.tickMs, loop);
      this.input(() => this.catchUpTicks(), true);
    };
    this.tickTimer = this.o.time.setTimer(this.timing.tickMs, loop);
    const ap = this.o.autopilot;
    if (ap) {
      this.autopilot = new Autopilot({ ...AUTOPILOT_DEFAULTS, ...ap });
      const run = () => {
        this.autopilotTimer = this.o.time.setTimer(ap.intervalMs, run);
        this.input(() => this.runAutopilot());
      };
      this.autopilotTimer = this.o.time.setTimer(ap.intervalMs, run);
    }
    this.scheduleFlush();
  }

  /** The newest autopilot evaluation (on the leader), as `/v1/operator/autopilot/health` shows it. */
  autopilotReport(): AutopilotReport | undefined {
    return this.isLeader ? this.lastReport : undefined;
  }

  private runAutopilot(): void {
    if (!this.autopilot || this.node.raft.state !== 'leader') return;
    const report = this.autopilot.evaluate(this.o.time.now(), this.node.status(), this.timing.tickMs);
    this.lastReport = report;
    const action = report.action;
    if (!action || this.confWaiters.size > 0) return;
    this.changeConfiguration(action, (err) => {
      if (err) this.log.log('debug', 'autopilot change not made', { change: action.type, id: action.id, error: err.message });
      else this.log.log('info', 'autopilot changed membership', { change: action.type, id: action.id });
    });
  }

  /** Graceful stop: timers cancelled, transport closed, waiting callers failed. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.tickTimer?.cancel();
    this.flushTimer?.cancel();
    this.autopilotTimer?.cancel();
    this.o.transport.close();
    this.failAll(new Error('raft: server stopped'));
  }

  // ------------------------------------------------------------------ requests

  /** Proposes a command; the callback gets the FSM's result once it is committed and applied here. */
  apply(data: Uint8Array, cb: Callback<unknown>): void {
    this.request(cb, () => {
      const index = this.node.propose(data);
      this.proposals.set(index, { term: this.node.raft.term, cb });
    });
  }

  /** Promise form of `apply`. */
  applyAsync(data: Uint8Array): Promise<unknown> {
    return new Promise((resolve, reject) => this.apply(data, (e, v) => (e ? reject(e) : resolve(v))));
  }

  /**
   * Waits until a read in `mode` may be served from this server's FSM, then calls back (before any
   * later entry is applied). `stale` answers at once on any server; `default` uses the leader lease
   * (falling back to a quorum round when it lapsed); `consistent` always confirms leadership with a
   * quorum (ReadIndex). Non-leaders fail `default` and `consistent` with RaftError('not-leader').
   */
  read(mode: ReadMode, cb: Callback<ReadInfo>): void {
    if (mode === 'stale') {
      if (this.failed || this.stopped) cb(this.failed ?? new Error('raft: server stopped'));
      else cb(undefined, this.readInfo());
      return;
    }
    let atOnce: ReadInfo | undefined;
    let now = true;
    this.request(cb as Callback<unknown>, () => {
      const ctx = ++this.readCtx;
      this.reads.set(ctx, { cb });
      try {
        this.node.readIndex(ctx, mode === 'default');
      } catch (e) {
        this.reads.delete(ctx);
        throw e;
      }
      // Run later (held during a snapshot install): the Ready will answer it.
      if (now) atOnce = this.takeAtOnce(ctx);
    });
    now = false;
    // Called back synchronously, as `stale` reads are (outside `request`, whose catch must not
    // see the caller's exceptions).
    if (atOnce) cb(undefined, atOnce);
  }

  /**
   * A read the leader lease answered on the spot (its ReadState is already there) and whose index
   * is applied needs no Ready cycle: it is served now instead of after the next turn of the loop.
   * Others wait for their Ready as usual.
   */
  private takeAtOnce(ctx: number): ReadInfo | undefined {
    const states = this.node.raft.readStates;
    const rs = states[states.length - 1];
    if (!rs || rs.ctx !== ctx || rs.index > this.applied) return undefined;
    states.pop();
    this.reads.delete(ctx);
    return this.readInfo();
  }

  readAsync(mode: ReadMode): Promise<ReadInfo> {
    return new Promise((resolve, reject) => this.read(mode, (e, v) => (e ? reject(e) : resolve(v!))));
  }

  /** Proposes a membership change; calls back once the configuration entry is committed. */
  changeConfiguration(change: ConfChange, cb: Callback<unknown>): void {
    this.request(cb, () => {
      const index = this.node.proposeConfChange(change);
      this.confWaiters.set(index, { term: this.node.raft.term, cb });
    });
  }

  /** Hands leadership to `id` (or fails with RaftError). Completion shows in `status()`. */
  transferLeadership(id: string): void {
    this.node.transferLeadership(id);
    this.scheduleFlush();
  }

  private request(cb: Callback<unknown>, fn: () => void): void {
    if (this.failed || this.stopped) {
      cb(this.failed ?? new Error('raft: server stopped'));
      return;
    }
    if (this.held) {
      this.held.push(() => this.request(cb, fn));
      return;
    }
    try {
      this.catchUpTicks();
      fn();
    } catch (e) {
      cb(e as Error);
      return;
    }
    // Deferred to the end of the instant, so that concurrent requests share one Ready, one
    // append message per follower and one sync (group commit).
    this.scheduleFlush();
  }

  // ------------------------------------------------------------------ status

  status(): Status {
    return this.node.status();
  }

  /** The configuration currently in effect. */
  configuration(): Configuration {
    return this.node.raft.config;
  }

  get leader(): string {
    return this.node.raft.lead;
  }

  get state(): string {
    return this.node.raft.state;
  }

  get term(): number {
    return this.node.raft.term;
  }

  /** The tick length, for converting tick counts in `status()` to milliseconds. */
  get tickMs(): number {
    return this.timing.tickMs;
  }

  private readInfo(): ReadInfo {
    const r = this.node.raft;
    const leader = r.state === 'leader';
    return {
      index: this.applied,
      lastContactMs: leader ? 0 : Math.max(0, this.o.time.now() - this.lastLeaderContact),
      knownLeader: r.lead !== '',
    };
  }

  // ------------------------------------------------------------------ the loop

  /**
   * Ticks as many times as the clock says are due. Ticks follow the clock, not the timer count:
   * after a pause (GC, SIGSTOP) the missed ticks happen at once, so election timeouts, check-quorum
   * and above all the leader lease see the time that really passed. Runs before every request, so
   * a read served right after a pause never trusts an expired lease.
   */
  private catchUpTicks(): void {
    if (this.tickBase === undefined) return;
    const due = Math.floor((this.o.time.now() - this.tickBase) / this.timing.tickMs);
    while (this.ticked < due) {
      this.ticked++;
      this.node.tick();
    }
  }

  /** Runs one input, then its Ready (at once, or at the end of the instant). */
  private input(fn: () => void, flushNow = false): void {
    if (this.stopped || this.failed) return;
    if (this.held) {
      this.held.push(fn);
      return;
    }
    fn();
    if (flushNow) this.flush();
    else this.scheduleFlush();
  }

  private receive(ms: Message[], address: string | undefined): void {
    for (const m of ms) {
      if (m.to !== this.id) continue;
      if (address !== undefined && this.addressBook.get(m.from) !== address) this.addressBook.set(m.from, address);
      if (!isNetworkMessage(m)) {
        // A message no server should send (a local-only type): drop it, keep serving.
        this.log.log('warn', `dropped ${m.type} from ${m.from}: not a network message`);
        continue;
      }
      this.node.step(m);
    }
    if (this.node.raft.lead !== '' && this.node.raft.state === 'follower' && this.node.raft.electionElapsed === 0) {
      this.lastLeaderContact = this.o.time.now();
    }
  }

  /** Coalesces work from one instant into one Ready (batching proposals and acknowledgments). */
  private scheduleFlush(): void {
    if (this.flushTimer || this.stopped) return;
    this.flushTimer = this.o.time.setTimer(0, () => {
      this.flushTimer = undefined;
      this.flush();
    });
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (!this.inFlight && !this.held && !this.stopped && !this.failed && this.node.hasReady()) {
        this.handleReady(this.node.ready());
      }
    } finally {
      this.flushing = false;
    }
  }

  private handleReady(rd: Ready): void {
    if (rd.softState) this.softStateChanged(rd.softState.state, rd.softState.lead);
    this.sendAll(rd.leaderMessages);
    if (rd.snapshot) {
      this.installSnapshot(rd);
      return;
    }
    this.writeAndSync(rd);
  }

  private softStateChanged(state: string, lead: string): void {
    const wasLeader = this.isLeader;
    this.isLeader = state === 'leader';
    if (lead !== '') this.lastLeaderContact = this.o.time.now();
    if (wasLeader && !this.isLeader) {
      // Outcome unknown: the entries may still commit under the next leader. Callers must retry
      // idempotently or treat the result as indeterminate, as with HashiCorp's ErrLeadershipLost.
      this.failMap(this.proposals, leadershipLost());
      this.failMap(this.confWaiters, leadershipLost());
      for (const [ctx, r] of this.reads) {
        this.reads.delete(ctx);
        r.cb(leadershipLost());
      }
    }
    this.log.log('info', `entering ${state} state term=${this.node.raft.term} leader=${lead}`);
    for (const observer of this.softStateObservers) observer(state, lead);
  }

  /**
   * Calls `observer` whenever this server's role or known leader changes (after pending requests
   * were failed on a lost leadership). Consul's leader loop hangs its duties on this.
   */
  onSoftState(observer: (state: string, lead: string) => void): void {
    this.softStateObservers.push(observer);
  }

  private writeAndSync(rd: Ready): void {
    if (rd.hardState) this.o.stableStore.set(HARD_STATE_KEY, encode([rd.hardState.term, rd.hardState.vote]));
    const first = rd.entries[0];
    if (first) {
      const ls = this.o.logStore;
      if (first.index <= ls.lastIndex()) ls.truncateFrom(first.index);
      ls.append(rd.entries);
    }
    if (!rd.mustSync) {
      this.finish(rd);
      return;
    }
    this.inFlight = true;
    let waiting = rd.hardState ? 2 : 1;
    const done = (err: Error | undefined) => {
      if (err) return this.fail(err);
      if (--waiting > 0) return;
      this.inFlight = false;
      this.finish(rd);
      this.flush();
    };
    if (first || !rd.hardState) this.o.logStore.sync(done);
    else waiting = 1;
    if (rd.hardState) this.o.stableStore.sync(done);
  }

  /** Saves the snapshot durably before touching the log; inputs wait until it is in place. */
  private installSnapshot(rd: Ready): void {
    const snap = rd.snapshot!;
    this.held = [];
    this.inFlight = true;
    const meta = {
      id: `${snap.term}-${snap.index}-recv`,
      index: snap.index,
      term: snap.term,
      configuration: encodeConfiguration(snap.configuration),
      size: snap.data.length,
    };
    // Snapshot saves never overlap, so the store's newest is always the highest index.
    this.whenNoSnapshotSave(() => this.o.snapshotStore.save(meta, snap.data, (err) => {
      if (err) return this.fail(err);
      this.o.fsm.restore(snap.data);
      this.applied = snap.index;
      this.appliedTerm = snap.term;
      this.appliedConfig = snap.configuration;
      this.snapshotIndex = snap.index;
      const ls = this.o.logStore;
      if (ls.lastIndex() >= ls.firstIndex()) ls.truncateFrom(ls.firstIndex());
      ls.compactTo(snap.index);
      this.inFlight = false;
      const held = this.held ?? [];
      this.held = null;
      rd.mustSync = true;
      this.writeAndSync(rd);
      for (const fn of held) this.input(fn);
      this.flush();
    }));
  }

  /** Runs `fn` now, or once the local snapshot being saved is durable. */
  private whenNoSnapshotSave(fn: () => void): void {
    if (this.snapshotting) this.afterSnapshotSave = fn;
    else fn();
  }

  private finish(rd: Ready): void {
    this.sendAll(rd.messages);
    for (const e of rd.committedEntries) this.applyEntry(e);
    for (const rs of rd.readStates) {
      const r = this.reads.get(rs.ctx);
      if (!r) continue;
      this.reads.delete(rs.ctx);
      this.readyReads.push({ cb: r.cb, index: rs.index });
    }
    this.releaseReads();
    this.node.advance(rd);
    this.maybeSnapshot();
  }

  private sendAll(ms: Message[]): void {
    if (ms.length === 0) return;
    // Group per destination: one transport write per peer per Ready.
    const byPeer = new Map<string, Message[]>();
    for (const m of ms) {
      const list = byPeer.get(m.to);
      if (list) list.push(m);
      else byPeer.set(m.to, [m]);
    }
    for (const [to, list] of byPeer) {
      const address = findServer(this.node.raft.config, to)?.address ?? this.addressBook.get(to);
      if (address !== undefined) this.o.transport.send(to, address, list);
    }
  }

  /** Addresses learned outside the configuration (a leader that added us before we saw the entry). */
  readonly addressBook = new Map<string, string>();

  private applyEntry(e: Entry): void {
    let result: unknown;
    if (e.type === EntryType.Normal) result = this.o.fsm.apply(e.index, e.data);
    else if (e.type === EntryType.Configuration) this.appliedConfig = decodeConfiguration(e.data);
    this.applied = e.index;
    this.appliedTerm = e.term;
    const waiters = e.type === EntryType.Configuration ? this.confWaiters : this.proposals;
    const p = waiters.get(e.index);
    if (p) {
      waiters.delete(e.index);
      if (p.term === e.term) p.cb(undefined, result);
      else p.cb(leadershipLost());
    }
  }

  private releaseReads(): void {
    if (this.readyReads.length === 0) return;
    const keep: PendingRead[] = [];
    for (const r of this.readyReads) {
      if (r.index <= this.applied) r.cb(undefined, this.readInfo());
      else keep.push(r);
    }
    this.readyReads = keep;
  }

  // ------------------------------------------------------------------ snapshots

  private latestSnapshot(): Snapshot | undefined {
    const s = this.o.snapshotStore.latest();
    if (!s) return undefined;
    if (this.cachedSnapshot?.id !== s.meta.id) {
      this.cachedSnapshot = {
        id: s.meta.id,
        snap: { index: s.meta.index, term: s.meta.term, configuration: decodeConfiguration(s.meta.configuration), data: s.data },
      };
    }
    return this.cachedSnapshot.snap;
  }

  private maybeSnapshot(): void {
    const threshold = this.o.snapshotThreshold ?? 8192;
    if (this.snapshotting || this.applied - this.snapshotIndex < threshold) return;
    this.takeSnapshot();
  }

  /** Snapshots the FSM at the applied index, then compacts the log keeping `trailingLogs` entries. */
  takeSnapshot(): void {
    // Not while a received snapshot is being installed: saves never overlap (see installSnapshot).
    if (this.snapshotting || this.held || this.applied <= this.snapshotIndex) return;
    this.snapshotting = true;
    const index = this.applied;
    const term = this.appliedTerm;
    const data = this.o.fsm.snapshot();
    const meta = { id: `${term}-${index}-local`, index, term, configuration: encodeConfiguration(this.appliedConfig), size: data.length };
    this.o.snapshotStore.save(meta, data, (err) => {
      this.snapshotting = false;
      const next = this.afterSnapshotSave;
      this.afterSnapshotSave = null;
      if (err) this.log.log('error', 'snapshot save failed', { error: err.message });
      else if (!this.stopped && !this.failed) this.afterLocalSnapshot(index, term);
      next?.();
    });
  }

  /** A local snapshot is durable: compact the log behind it, keeping `trailingLogs` entries. */
  private afterLocalSnapshot(index: number, term: number): void {
    this.snapshotIndex = Math.max(this.snapshotIndex, index);
    this.trace.emit('raft.snapshot', this.id, { action: 'take', index, term, peer: '' });
    const compactTo = index - (this.o.trailingLogs ?? 10240);
    const ls = this.o.logStore;
    if (compactTo >= ls.firstIndex() && !this.held) ls.compactTo(compactTo);
    this.node.compacted(index, term, ls.firstIndex());
  }


  // ------------------------------------------------------------------ failure

  private fail(err: Error): void {
    this.failed = err;
    this.log.log('error', 'storage failed; server stops acknowledging', { error: err.message });
    this.tickTimer?.cancel();
    this.failAll(err);
  }

  private failAll(err: Error): void {
    this.failMap(this.proposals, err);
    this.failMap(this.confWaiters, err);
    for (const r of this.reads.values()) r.cb(err);
    this.reads.clear();
    for (const r of this.readyReads) r.cb(err);
    this.readyReads = [];
  }

  private failMap(map: Map<number, PendingProposal>, err: Error): void {
    const all = [...map.values()];
    map.clear();
    for (const p of all) p.cb(err);
  }
}
