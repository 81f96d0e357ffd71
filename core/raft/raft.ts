/**
 * The Raft state machine (Ongaro & Ousterhout 2014, with the thesis' pre-vote, check-quorum,
 * leadership transfer and single-server membership changes), in etcd's sans-IO shape: inputs are
 * ticks, messages and local requests; outputs accumulate in `msgs`, `leaderMsgs`, `readStates` and
 * the log's unstable tail, and RawNode hands them to the driver as a Ready.
 *
 * Nothing here does IO, reads a clock or draws global randomness.
 */

import { concatBytes } from '../lib/bytes.ts';
import { nullTraceSink, type TraceSink } from '../ports/trace.ts';
import { type FullRaftConfig, type RaftConfig, resolveConfig } from './config.ts';
import { type LogBounds, type LogReader, RaftLog } from './log.ts';
import { applyConfChange, decodeConfiguration, EMPTY_CONFIGURATION, encodeConfiguration, isVoter, votersOf } from './membership.ts';
import { Progress } from './progress.ts';
import { quorumValue, ReadOnlyQueue } from './read-only.ts';
import './trace-events.ts';
import {
  type ConfChange,
  type Configuration,
  type Entry,
  EntryType,
  type Message,
  type MsgType,
  newMessage,
  RaftError,
  type ReadState,
  type Snapshot,
  type StateType,
} from './types.ts';

/** What the state machine starts from: the durable hard state, the log bounds and the membership. */
export interface RaftInit {
  log: LogReader;
  bounds: LogBounds;
  term: number;
  vote: string;
  /** Configuration at the snapshot (or empty); configuration entries in the log are replayed on top. */
  snapshotConfiguration: Configuration;
  /** Reads the newest snapshot when a follower needs one (the SnapshotStore's `latest`). */
  snapshotSource?: () => Snapshot | undefined;
}

/** A snapshot being received in chunks. */
interface IncomingSnapshot {
  index: number;
  term: number;
  parts: Uint8Array[];
  received: number;
}

/** Configuration entries in the log that are not yet the committed base. */
interface ConfigAt {
  index: number;
  term: number;
  config: Configuration;
}

const UNKNOWN = '';

export class Raft {
  readonly id: string;
  readonly cfg: FullRaftConfig;
  private readonly trace: TraceSink;
  term: number;
  vote: string;
  lead = UNKNOWN;
  state: StateType = 'follower';
  readonly log: RaftLog;
  /** The configuration in effect (the newest one in the log, committed or not). */
  config: Configuration = EMPTY_CONFIGURATION;
  /** Voter IDs of `config`, cached (quorum math runs on every acknowledgment). */
  voters: string[] = [];
  /** Whether trace events go anywhere (skips building payloads on the hot path when not). */
  private readonly tracing: boolean;
  /** Scratch space for quorum computations. */
  private readonly scratch: number[] = [];
  /** The committed base configuration and index, then uncommitted configuration entries. */
  private baseConfig: ConfigAt;
  private configLog: ConfigAt[] = [];
  readonly prs = new Map<string, Progress>();
  private votes = new Map<string, boolean>();
  /** Messages to send after the Ready that produced them is persisted. */
  msgs: Message[] = [];
  /** Leader replication messages that may go out before persisting (thesis §10.2.1). */
  leaderMsgs: Message[] = [];
  readStates: ReadState[] = [];
  /** Ticks since the last election reset (follower: since hearing from the leader). */
  electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;
  /** Monotonic tick counter: the state machine's only notion of time. */
  ticks = 0;
  leadTransferee = UNKNOWN;
  /** Set once a transfer started in this term: lease reads are off for the rest of the term. */
  private transferredThisTerm = false;
  /** Index of the newest configuration entry a leader appended (one change at a time). */
  private pendingConfIndex = 0;
  /** Index of this leader's first entry in its term: reads need it committed. */
  private termStartIndex = 0;
  /** Highest index this server has durably persisted (what the leader may count for itself). */
  persisted: number;
  private readonly readOnly = new ReadOnlyQueue();
  /** Reads waiting for this leader's first commit in its term. */
  private readsBeforeCommit: Array<{ ctx: number; lease: boolean }> = [];
  /** ReadIndex acknowledgment round per voter. */
  private readAck = new Map<string, number>();
  private incoming: IncomingSnapshot | null = null;
  /** The commit index moved since followers were last sent it. */
  private commitDirty = false;
  /** Set by propose: broadcast appends once, when the Ready is built (batches proposals). */
  needBroadcast = false;
  snapshotSource: () => Snapshot | undefined;

  constructor(config: RaftConfig, init: RaftInit) {
    this.cfg = resolveConfig(config);
    this.id = config.id;
    this.trace = config.trace ?? nullTraceSink;
    this.tracing = this.trace !== nullTraceSink;
    this.term = init.term;
    this.vote = init.vote;
    this.log = new RaftLog(init.log, init.bounds);
    this.persisted = this.log.lastIndex();
    this.snapshotSource = init.snapshotSource ?? (() => undefined);
    this.baseConfig = { index: init.bounds.snapshotIndex, term: init.bounds.snapshotTerm, config: init.snapshotConfiguration };
    this.replayConfigurations();
    this.becomeFollower(this.term, UNKNOWN);
  }

  /** Rebuilds configuration state from the snapshot's plus every configuration entry after it. */
  private replayConfigurations(): void {
    this.configLog = [];
    const first = Math.max(this.log.firstIndex(), this.baseConfig.index + 1);
    const last = this.log.lastIndex();
    for (let i = first; i <= last; i += 1024) {
      for (const e of this.log.entries(i, Math.min(last, i + 1023), Number.POSITIVE_INFINITY)) {
        if (e.type === EntryType.Configuration) this.configLog.push({ index: e.index, term: e.term, config: decodeConfiguration(e.data) });
      }
    }
    this.setConfig(this.latestConfig());
  }

  private latestConfig(): ConfigAt {
    return this.configLog[this.configLog.length - 1] ?? this.baseConfig;
  }

  // ---------------------------------------------------------------- ticks

  tick(): void {
    this.ticks++;
    if (this.state === 'leader') this.tickHeartbeat();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.campaign(this.cfg.preVote ? 'pre' : 'vote', false);
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.commitDirty) this.bcastAppend();
    if (this.electionElapsed >= this.cfg.electionTicks) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum && !this.quorumActive()) {
        this.becomeFollower(this.term, UNKNOWN);
        return;
      }
      if (this.leadTransferee !== UNKNOWN) this.abortTransfer();
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.bcastHeartbeat(this.readOnly.length > 0 ? this.readOnly.lastRound : 0);
      this.retrySnapshots();
    }
  }

  /** Check-quorum: whether a quorum of voters was heard from since the last check (and resets it). */
  private quorumActive(): boolean {
    let active = 0;
    const voters = this.voters;
    for (const id of voters) {
      const pr = this.prs.get(id);
      if (id === this.id || pr?.recentActive) active++;
      if (pr && id !== this.id) pr.recentActive = false;
    }
    return active > voters.length / 2;
  }

  /** A snapshot transfer with no acknowledgment for an election timeout falls back to probing. */
  private retrySnapshots(): void {
    for (const [id, pr] of this.prs) {
      if (pr.state === 'snapshot' && pr.transfer && this.ticks - pr.transfer.sentTick > this.cfg.electionTicks) {
        pr.becomeProbe();
        this.sendAppend(id, true);
      }
    }
  }

  /** Voters in the configuration may campaign; non-voters and removed servers may not. */
  promotable(): boolean {
    return isVoter(this.config, this.id);
  }

  // ---------------------------------------------------------------- role changes

  becomeFollower(term: number, lead: string): void {
    const wasLeader = this.state === 'leader';
    this.reset(term);
    this.state = 'follower';
    this.lead = lead;
    if (wasLeader) this.readsBeforeCommit = [];
    this.emitState();
  }

  private becomePreCandidate(): void {
    this.state = 'precandidate';
    this.lead = UNKNOWN;
    this.votes = new Map();
    this.emitState();
  }

  private becomeCandidate(): void {
    this.reset(this.term + 1);
    this.vote = this.id;
    this.state = 'candidate';
    this.emitState();
  }

  private becomeLeader(): void {
    this.reset(this.term);
    this.state = 'leader';
    this.lead = this.id;
    for (const [id, pr] of this.prs) {
      pr.next = this.log.lastIndex() + 1;
      pr.match = id === this.id ? this.persisted : 0;
      pr.recentActive = true;
      pr.lastContactTick = this.ticks;
    }
    // The new leader commits a no-op of its own term: only then are earlier entries known committed
    // (Raft §5.4.2), ReadIndex safe, and membership changes allowed.
    this.termStartIndex = this.log.lastIndex() + 1;
    this.pendingConfIndex = this.termStartIndex;
    this.appendEntries([{ index: this.termStartIndex, term: this.term, type: EntryType.Noop, data: new Uint8Array(0) }]);
    this.emitState();
    this.bcastAppend();
  }

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = UNKNOWN;
      this.trace.emit('raft.term', this.id, { term });
    }
    this.lead = UNKNOWN;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.cfg.electionTicks + this.cfg.random.int(this.cfg.electionTicks);
    this.votes = new Map();
    this.leadTransferee = UNKNOWN;
    this.transferredThisTerm = false;
    this.readOnly.clear();
    this.readAck = new Map();
    this.needBroadcast = false;
    this.termStartIndex = 0;
    for (const pr of this.prs.values()) {
      pr.match = 0;
      pr.next = this.log.lastIndex() + 1;
      pr.becomeProbe();
      pr.leaseAck = -1;
      pr.recentActive = false;
    }
  }

  private emitState(): void {
    this.trace.emit('raft.state', this.id, { term: this.term, state: this.state, lead: this.lead });
  }

  // ---------------------------------------------------------------- elections

  /** Starts an election now (a forced one for leadership transfer skips pre-vote). */
  campaign(kind: 'pre' | 'vote', force: boolean): void {
    if (!this.promotable()) return;
    let voteTerm: number;
    if (kind === 'pre') {
      this.becomePreCandidate();
      voteTerm = this.term + 1;
    } else {
      this.becomeCandidate();
      voteTerm = this.term;
    }
    this.trace.emit('raft.campaign', this.id, { term: voteTerm, pre: kind === 'pre', force });
    if (this.poll(this.id, true) === 'won') {
      this.winElection(kind);
      return;
    }
    const type: MsgType = kind === 'pre' ? 'MsgPreVote' : 'MsgVote';
    for (const id of this.voters) {
      if (id === this.id) continue;
      const m = newMessage(type, this.id, id, voteTerm);
      m.index = this.log.lastIndex();
      m.logTerm = this.log.lastTerm();
      m.force = force;
      this.msgs.push(m);
    }
  }

  private winElection(kind: 'pre' | 'vote'): void {
    if (kind === 'pre') this.campaign('vote', false);
    else this.becomeLeader();
  }

  /** Records a vote and returns the election's outcome so far. */
  private poll(from: string, granted: boolean): 'won' | 'lost' | 'pending' {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    const voters = this.voters;
    let yes = 0;
    let no = 0;
    for (const id of voters) {
      const v = this.votes.get(id);
      if (v === true) yes++;
      else if (v === false) no++;
    }
    const q = Math.floor(voters.length / 2) + 1;
    if (yes >= q) return 'won';
    if (no > voters.length - q) return 'lost';
    return 'pending';
  }

  /** Whether this follower heard from a live leader within an election timeout (leader stickiness). */
  private inLease(): boolean {
    return this.cfg.checkQuorum && this.lead !== UNKNOWN && this.electionElapsed < this.cfg.electionTicks;
  }

  // ---------------------------------------------------------------- message dispatch

  /** Processes one message from another server. Messages from stale terms are answered or dropped. */
  step(m: Message): void {
    if (m.term > this.term) {
      if (!this.stepHigherTerm(m)) return;
    } else if (m.term < this.term) {
      this.stepLowerTerm(m);
      return;
    }
    switch (m.type) {
      case 'MsgVote':
      case 'MsgPreVote':
        this.handleVote(m);
        return;
      default:
        if (this.state === 'leader') this.stepLeader(m);
        else if (this.state === 'follower') this.stepFollower(m);
        else this.stepCandidate(m);
    }
  }

  /** Returns whether to go on processing `m` (a vote request inside a leader lease is ignored). */
  private stepHigherTerm(m: Message): boolean {
    if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
      if (!m.force && this.inLease()) return false;
    }
    if (m.type === 'MsgPreVote') return true;
    if (m.type === 'MsgPreVoteResp' && !m.reject) return true;
    const fromLeader = m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap';
    this.becomeFollower(m.term, fromLeader ? m.from : UNKNOWN);
    return true;
  }

  private stepLowerTerm(m: Message): void {
    if (m.type === 'MsgHeartbeat' || m.type === 'MsgApp') {
      // A stale leader (or one cut off while we moved on) learns the newer term and steps down.
      this.send(newMessage('MsgAppResp', this.id, m.from, this.term));
    } else if (m.type === 'MsgPreVote') {
      const r = newMessage('MsgPreVoteResp', this.id, m.from, this.term);
      r.reject = true;
      this.send(r);
    }
  }

  private handleVote(m: Message): void {
    const pre = m.type === 'MsgPreVote';
    const canVote = this.vote === m.from || (this.vote === UNKNOWN && this.lead === UNKNOWN) || (pre && m.term > this.term);
    const granted = canVote && this.log.isUpToDate(m.index, m.logTerm);
    const r = newMessage(pre ? 'MsgPreVoteResp' : 'MsgVoteResp', this.id, m.from, granted ? m.term : this.term);
    r.reject = !granted;
    this.send(r);
    if (granted && !pre) {
      this.electionElapsed = 0;
      this.vote = m.from;
    }
    this.trace.emit('raft.vote', this.id, { term: m.term, candidate: m.from, granted, pre });
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppend(m);
        return;
      case 'MsgHeartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case 'MsgSnap':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshotChunk(m);
        return;
      case 'MsgTimeoutNow':
        this.trace.emit('raft.transfer', this.id, { to: this.id, action: 'timeout-now' });
        this.campaign('vote', true);
        return;
      default:
    }
  }

  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
      case 'MsgHeartbeat':
      case 'MsgSnap':
        this.becomeFollower(m.term, m.from);
        this.stepFollower(m);
        return;
      case 'MsgPreVoteResp':
      case 'MsgVoteResp': {
        const expected = this.state === 'precandidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
        if (m.type !== expected) return;
        const outcome = this.poll(m.from, !m.reject);
        if (outcome === 'won') this.winElection(this.state === 'precandidate' ? 'pre' : 'vote');
        else if (outcome === 'lost') this.becomeFollower(this.term, UNKNOWN);
        return;
      }
      default:
    }
  }

  // ---------------------------------------------------------------- follower handlers

  private handleAppend(m: Message): void {
    const r = newMessage('MsgAppResp', this.id, m.from, this.term);
    r.lease = m.lease;
    if (m.index < this.log.committed) {
      r.index = this.log.committed;
      this.send(r);
      return;
    }
    const lastBefore = this.log.lastIndex();
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew >= 0) {
      this.afterFollowerAppend(m, lastBefore);
      r.index = lastNew;
    } else {
      const hint = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
      r.index = m.index;
      r.reject = true;
      r.rejectHint = hint;
      r.logTerm = this.log.term(hint) ?? 0;
    }
    this.send(r);
    this.emitCommit();
  }

  /** Tracks configuration entries and durability after entries were appended or replaced. */
  private afterFollowerAppend(m: Message, lastBefore: number): void {
    const first = m.entries[0];
    if (!first) return;
    // Entries from `truncated` on were replaced: they are not durable any more.
    const truncated = this.log.consumeTruncation();
    if (truncated !== undefined && truncated <= this.persisted) this.persisted = truncated - 1;
    let changed = false;
    while (this.configLog.length > 0) {
      const c = this.configLog[this.configLog.length - 1]!;
      if (this.log.term(c.index) === c.term) break;
      this.configLog.pop();
      changed = true;
    }
    for (const e of m.entries) {
      if (e.type !== EntryType.Configuration || e.index <= this.latestConfig().index) continue;
      this.configLog.push({ index: e.index, term: e.term, config: decodeConfiguration(e.data) });
      changed = true;
    }
    if (changed) this.setConfig(this.latestConfig());
    const lastEntry = m.entries[m.entries.length - 1]!;
    if (this.tracing && (lastEntry.index > lastBefore || truncated !== undefined)) {
      this.trace.emit('raft.append', this.id, { first: first.index, last: lastEntry.index, term: lastEntry.term, from: m.from });
    }
  }

  private handleHeartbeat(m: Message): void {
    this.log.commitTo(m.commit);
    const r = newMessage('MsgHeartbeatResp', this.id, m.from, this.term);
    r.index = this.log.lastIndex();
    r.ctx = m.ctx;
    r.lease = m.lease;
    this.send(r);
    this.emitCommit();
  }

  private handleSnapshotChunk(m: Message): void {
    const chunk = m.snapshot;
    if (!chunk) return;
    if (chunk.index <= this.log.committed) {
      const r = newMessage('MsgAppResp', this.id, m.from, this.term);
      r.index = this.log.committed;
      this.send(r);
      return;
    }
    let inc = this.incoming;
    if (chunk.offset === 0) {
      inc = { index: chunk.index, term: chunk.term, parts: [], received: 0 };
      this.incoming = inc;
    }
    if (!inc || inc.index !== chunk.index || inc.term !== chunk.term || inc.received !== chunk.offset) {
      const r = newMessage('MsgSnapResp', this.id, m.from, this.term);
      r.reject = true;
      r.snapshot = { ...chunk, data: new Uint8Array(0), offset: inc && inc.index === chunk.index ? inc.received : 0 };
      this.send(r);
      return;
    }
    inc.parts.push(chunk.data);
    inc.received += chunk.data.length;
    if (!chunk.done) {
      const r = newMessage('MsgSnapResp', this.id, m.from, this.term);
      r.snapshot = { ...chunk, data: new Uint8Array(0), offset: inc.received };
      this.send(r);
      return;
    }
    this.incoming = null;
    this.installSnapshot(m.from, { index: chunk.index, term: chunk.term, configuration: chunk.configuration, data: concatBytes(inc.parts) });
  }

  private installSnapshot(from: string, snap: Snapshot): void {
    const r = newMessage('MsgAppResp', this.id, from, this.term);
    if (this.log.matchTerm(snap.index, snap.term)) {
      // We already hold the snapshot's last entry: just fast-forward the commit index.
      this.log.commitTo(snap.index);
      r.index = this.log.lastIndex();
    } else {
      this.log.restore(snap);
      this.persisted = Math.min(this.persisted, snap.index - 1);
      this.baseConfig = { index: snap.index, term: snap.term, config: snap.configuration };
      this.configLog = [];
      this.setConfig(this.baseConfig);
      r.index = snap.index;
      this.trace.emit('raft.snapshot', this.id, { action: 'install', index: snap.index, term: snap.term, peer: from });
    }
    this.send(r);
    this.emitCommit();
  }

  // ---------------------------------------------------------------- leader handlers

  private stepLeader(m: Message): void {
    const pr = this.prs.get(m.from);
    if (!pr) return;
    switch (m.type) {
      case 'MsgAppResp':
        this.noteContact(pr, m);
        this.handleAppendResponse(m.from, pr, m);
        return;
      case 'MsgHeartbeatResp':
        this.noteContact(pr, m);
        if (pr.state === 'probe') pr.probeSent = false;
        if (pr.state === 'replicate') {
          // The follower answered a heartbeat sent after our last append yet still lacks entries:
          // appends were lost (datagrams, a broken connection). Probe again from its match.
          if (m.index < pr.next - 1 && m.lease > pr.lastAppendTick) pr.becomeProbe();
          else if (pr.inflights.full()) pr.inflights.freeFirst();
        }
        if (pr.match < this.log.lastIndex()) this.sendAppend(m.from, true);
        if (m.ctx > 0) this.ackRead(m.from, m.ctx);
        return;
      case 'MsgSnapResp':
        this.noteContact(pr, m);
        this.handleSnapshotResponse(m.from, pr, m);
        return;
      default:
    }
  }

  private noteContact(pr: Progress, m: Message): void {
    pr.recentActive = true;
    pr.lastContactTick = this.ticks;
    if (m.lease > pr.leaseAck) pr.leaseAck = m.lease;
  }

  private handleAppendResponse(from: string, pr: Progress, m: Message): void {
    if (m.reject) {
      const hint = m.logTerm > 0 ? this.log.findConflictByTerm(m.rejectHint, m.logTerm) : m.rejectHint;
      if (pr.maybeDecrTo(m.index, hint)) {
        if (pr.state === 'replicate') pr.becomeProbe();
        this.sendAppend(from, true);
      }
      return;
    }
    const oldPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index)) {
      if (oldPaused && pr.state === 'probe') this.sendAppend(from, false);
      return;
    }
    if (pr.state === 'probe') pr.becomeReplicate();
    else if (pr.state === 'snapshot' && pr.transfer && pr.match >= pr.transfer.snapshot.index) {
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === 'replicate') pr.inflights.freeLE(m.index);
    this.maybeCommit();
    if (oldPaused) this.sendAppend(from, true);
    while (this.sendAppend(from, false)) {}
    if (from === this.leadTransferee && pr.match === this.log.lastIndex()) this.sendTimeoutNow(from);
  }

  private handleSnapshotResponse(from: string, pr: Progress, m: Message): void {
    const t = pr.transfer;
    const ack = m.snapshot;
    if (pr.state !== 'snapshot' || !t || !ack || ack.index !== t.snapshot.index) return;
    t.acked = ack.offset;
    this.sendSnapshotChunk(from, pr);
  }

  /** Commit rule: the highest index a quorum of voters persisted, if it is from the current term. */
  maybeCommit(): boolean {
    const voters = this.voters;
    if (voters.length === 0) return false;
    const matches = this.scratch;
    matches.length = 0;
    for (const id of voters) matches.push(id === this.id ? this.persisted : (this.prs.get(id)?.match ?? 0));
    const index = quorumValue(matches);
    if (index <= this.log.committed || this.log.term(index) !== this.term) return false;
    this.log.commitTo(index);
    // Followers learn the new commit index with the next append, or on the next tick at the latest
    // (like HashiCorp's CommitTimeout): no extra round of messages per commit under load.
    this.commitDirty = true;
    this.emitCommit();
    this.afterLeaderCommit();
    return true;
  }

  private lastEmittedCommit = 0;
  private emitCommit(): void {
    const c = this.log.committed;
    if (c > this.lastEmittedCommit) {
      this.lastEmittedCommit = c;
      if (this.tracing) this.trace.emit('raft.commit', this.id, { index: c, term: this.log.term(c) ?? 0 });
      this.compactConfigLog();
    }
  }

  /** Configuration entries at or below the commit index fold into the committed base. */
  private compactConfigLog(): void {
    while (this.configLog.length > 0 && this.configLog[0]!.index <= this.log.committed) {
      this.baseConfig = this.configLog.shift()!;
    }
  }

  private afterLeaderCommit(): void {
    if (this.readsBeforeCommit.length > 0 && this.committedInTerm()) {
      const reads = this.readsBeforeCommit;
      this.readsBeforeCommit = [];
      for (const r of reads) this.readIndex(r.ctx, r.lease);
    }
    // A leader that is no longer a voter in the committed configuration steps down (HashiCorp).
    if (this.configLog.length === 0 && !isVoter(this.config, this.id)) this.becomeFollower(this.term, UNKNOWN);
  }

  committedInTerm(): boolean {
    return this.termStartIndex > 0 && this.log.committed >= this.termStartIndex;
  }

  // ---------------------------------------------------------------- sending

  private send(m: Message): void {
    this.msgs.push(m);
  }

  private sendLeader(m: Message): void {
    this.leaderMsgs.push(m);
  }

  bcastAppend(): void {
    this.needBroadcast = false;
    this.commitDirty = false;
    for (const id of this.prs.keys()) {
      if (id === this.id) continue;
      // Pipeline everything new, in messages of maxEntriesPerMsg, as far as flow control allows.
      if (this.sendAppend(id, true)) while (this.sendAppend(id, false)) {}
    }
  }

  private bcastHeartbeat(ctx: number): void {
    for (const [id, pr] of this.prs) {
      if (id === this.id) continue;
      const m = newMessage('MsgHeartbeat', this.id, id, this.term);
      m.commit = Math.min(pr.match, this.log.committed);
      m.ctx = ctx;
      m.lease = this.ticks;
      this.sendLeader(m);
    }
  }

  /**
   * Sends the next append to `to` if flow control allows. `sendIfEmpty` also sends an append with no
   * entries (to probe, or to carry the commit index). Returns whether a message with entries went out.
   */
  sendAppend(to: string, sendIfEmpty: boolean): boolean {
    const pr = this.prs.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    const last = this.log.lastIndex();
    const hi = Math.min(last, pr.next + this.cfg.maxEntriesPerMsg - 1);
    const entries = pr.next <= last ? this.log.entries(pr.next, hi, this.cfg.maxMsgBytes) : [];
    if (prevTerm === undefined || (pr.next <= last && entries.length === 0)) {
      this.sendSnapshot(to, pr);
      return false;
    }
    if (entries.length === 0 && !sendIfEmpty) return false;
    const m = newMessage('MsgApp', this.id, to, this.term);
    m.index = prevIndex;
    m.logTerm = prevTerm;
    m.commit = this.log.committed;
    m.lease = this.ticks;
    let bytes = 0;
    if (entries.length > 0) {
      m.entries = entries;
      for (const e of entries) bytes += e.data.length;
      pr.lastAppendTick = this.ticks;
      pr.sentEntries(entries[entries.length - 1]!.index, bytes);
    } else if (pr.state === 'probe') {
      pr.probeSent = true;
    }
    this.sendLeader(m);
    return entries.length > 0;
  }

  private sendSnapshot(to: string, pr: Progress): void {
    if (!pr.recentActive) return;
    const snap = this.snapshotSource();
    if (!snap || snap.index < pr.next - 1) return;
    pr.becomeSnapshot({ snapshot: snap, acked: 0, sentTick: this.ticks });
    this.trace.emit('raft.snapshot', this.id, { action: 'send', index: snap.index, term: snap.term, peer: to });
    this.sendSnapshotChunk(to, pr);
  }

  private sendSnapshotChunk(to: string, pr: Progress): void {
    const t = pr.transfer;
    if (!t) return;
    const total = t.snapshot.data.length;
    if (t.acked > total) return;
    const end = Math.min(total, t.acked + this.cfg.snapshotChunkBytes);
    const m = newMessage('MsgSnap', this.id, to, this.term);
    m.snapshot = {
      index: t.snapshot.index,
      term: t.snapshot.term,
      configuration: t.snapshot.configuration,
      offset: t.acked,
      total,
      data: t.snapshot.data.subarray(t.acked, end),
      done: end >= total,
    };
    t.sentTick = this.ticks;
    this.sendLeader(m);
  }

  // ---------------------------------------------------------------- local requests

  /** Appends commands as a leader; returns the index of the last. Throws RaftError otherwise. */
  propose(data: Uint8Array[]): number {
    this.checkCanPropose();
    let index = this.log.lastIndex();
    const entries: Entry[] = new Array(data.length);
    for (let i = 0; i < data.length; i++) entries[i] = { index: ++index, term: this.term, type: EntryType.Normal, data: data[i]! };
    this.appendEntries(entries);
    return index;
  }

  private checkCanPropose(): void {
    if (this.state !== 'leader') throw new RaftError('not-leader', `node ${this.id} is not the leader`, this.lead);
    if (this.leadTransferee !== UNKNOWN) {
      throw new RaftError('transfer-in-progress', `leadership transfer to ${this.leadTransferee} in progress`, this.id);
    }
  }

  /** Proposes one membership change; returns the configuration entry's index. */
  proposeConfChange(change: ConfChange): number {
    this.checkCanPropose();
    if (this.pendingConfIndex > this.log.committed || !this.committedInTerm()) {
      throw new RaftError('config-pending', 'a configuration change is already in progress; retry once it commits');
    }
    const next = applyConfChange(this.config, change);
    const index = this.log.lastIndex() + 1;
    this.pendingConfIndex = index;
    this.appendEntries([{ index, term: this.term, type: EntryType.Configuration, data: encodeConfiguration(next) }]);
    return index;
  }

  private appendEntries(entries: Entry[]): void {
    this.log.append(entries);
    const last = entries[entries.length - 1]!;
    for (const e of entries) {
      if (e.type === EntryType.Configuration) {
        this.configLog.push({ index: e.index, term: e.term, config: decodeConfiguration(e.data) });
        this.setConfig(this.latestConfig());
      }
    }
    this.needBroadcast = true;
    if (this.tracing) this.trace.emit('raft.append', this.id, { first: entries[0]!.index, last: last.index, term: this.term, from: this.id });
  }

  /** Makes `configAt` the configuration in effect, adding and removing replication progress. */
  private setConfig(configAt: ConfigAt): void {
    const config = configAt.config;
    this.config = config;
    this.voters = votersOf(config);
    const keep = new Set<string>();
    for (const s of config.servers) {
      keep.add(s.id);
      const pr = this.prs.get(s.id);
      if (pr) pr.voter = s.suffrage === 'voter';
      else {
        const p = new Progress(this.log.lastIndex() + 1, this.cfg.maxInflightMsgs, this.cfg.maxInflightBytes, s.suffrage === 'voter');
        p.recentActive = true;
        p.lastContactTick = this.ticks;
        this.prs.set(s.id, p);
      }
    }
    for (const id of [...this.prs.keys()]) if (!keep.has(id)) this.prs.delete(id);
    if (this.state === 'leader') {
      if (this.leadTransferee !== UNKNOWN && !keep.has(this.leadTransferee)) this.abortTransfer();
      this.maybeCommit();
    }
    this.trace.emit('raft.config', this.id, {
      index: configAt.index,
      voters: votersOf(config),
      nonvoters: config.servers.filter((s) => s.suffrage === 'nonvoter').map((s) => s.id),
    });
  }

  /** The driver could not deliver to `id` (connection lost): stop pipelining, probe instead. */
  reportUnreachable(id: string): void {
    const pr = this.prs.get(id);
    if (this.state === 'leader' && pr?.state === 'replicate') pr.becomeProbe();
  }

  /** Hands leadership to `to` (HashiCorp's LeadershipTransferToServer, thesis §3.10). */
  transferLeadership(to: string): void {
    if (this.state !== 'leader') throw new RaftError('not-leader', `node ${this.id} is not the leader`, this.lead);
    if (to === this.id || !isVoter(this.config, to)) throw new RaftError('bad-change', `cannot transfer leadership to ${to}`);
    if (this.leadTransferee === to) return;
    this.leadTransferee = to;
    this.transferredThisTerm = true;
    this.electionElapsed = 0;
    this.trace.emit('raft.transfer', this.id, { to, action: 'start' });
    const pr = this.prs.get(to)!;
    if (pr.match === this.log.lastIndex()) this.sendTimeoutNow(to);
    else this.sendAppend(to, true);
  }

  private sendTimeoutNow(to: string): void {
    this.sendLeader(newMessage('MsgTimeoutNow', this.id, to, this.term));
  }

  private abortTransfer(): void {
    this.trace.emit('raft.transfer', this.id, { to: this.leadTransferee, action: 'abort' });
    this.leadTransferee = UNKNOWN;
  }

  /**
   * Whether the leader lease holds: a quorum of voters acknowledged messages sent within the last
   * `leaseTicks`, the leader has committed in its term, and no transfer started in this term.
   */
  leaseValid(): boolean {
    if (this.state !== 'leader' || this.transferredThisTerm || !this.committedInTerm()) return false;
    const acks: number[] = [];
    for (const id of this.voters) acks.push(id === this.id ? this.ticks : (this.prs.get(id)?.leaseAck ?? -1));
    const since = quorumValue(acks);
    return since >= 0 && this.ticks - since < this.cfg.leaseTicks;
  }

  /**
   * Requests a linearizable read point. With `lease`, a valid leader lease answers at once
   * (Consul's `default` mode); otherwise (or if the lease lapsed) a heartbeat round must reach a
   * quorum (`consistent`). The answer arrives as a ReadState carrying `ctx`.
   */
  readIndex(ctx: number, lease: boolean): void {
    if (this.state !== 'leader') throw new RaftError('not-leader', `node ${this.id} is not the leader`, this.lead);
    if (!this.committedInTerm()) {
      this.readsBeforeCommit.push({ ctx, lease });
      return;
    }
    const voters = this.voters;
    if ((lease && this.leaseValid()) || (voters.length === 1 && voters[0] === this.id)) {
      this.readStates.push({ index: this.log.committed, ctx });
      return;
    }
    const round = this.readOnly.add(this.log.committed, ctx);
    this.readAck.set(this.id, round);
    this.bcastHeartbeat(round);
  }

  private ackRead(from: string, round: number): void {
    if ((this.readAck.get(from) ?? 0) < round) this.readAck.set(from, round);
    const acks: number[] = [];
    for (const id of this.voters) acks.push(this.readAck.get(id) ?? 0);
    for (const r of this.readOnly.releaseUpTo(quorumValue(acks))) this.readStates.push({ index: r.index, ctx: r.ctx });
  }

  /** Number of reads waiting on a quorum round or on the first commit of the term. */
  pendingReads(): number {
    return this.readOnly.length + this.readsBeforeCommit.length;
  }

  // ---------------------------------------------------------------- persistence feedback

  /** The driver made entries up to `index` (of `term`) durable. */
  persistedTo(index: number, term: number): void {
    if (index <= this.persisted || this.log.term(index) !== term) return;
    this.persisted = index;
    if (this.state === 'leader') {
      const self = this.prs.get(this.id);
      if (self) self.match = Math.max(self.match, index);
      this.maybeCommit();
    }
  }

  /** The driver installed the pending snapshot durably. */
  snapshotPersisted(index: number): void {
    if (this.log.pendingSnapshot?.index === index) this.log.pendingSnapshot = null;
    if (index > this.persisted) this.persisted = index;
  }
}

