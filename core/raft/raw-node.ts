/**
 * RawNode: the single-threaded driver API over the Raft state machine, after etcd's rawnode.go.
 *
 * Usage loop (the driver, e.g. RaftServer, does this):
 *   node.tick() every tick; node.step(msg) per received message; node.propose(...) etc. for local
 *   requests; then `if (node.hasReady()) { const rd = node.ready(); ...persist, send, apply...;
 *   node.advance(rd); }`. Only one Ready may be outstanding: `ready()` throws until `advance()`.
 *   Between `ready()` and the next call into the node, the driver must write `rd.entries` to the
 *   LogStore (reads must see them); it may sync and send later, and calls `advance` when done.
 */
import type { RaftConfig } from './config.ts';
import { Raft, type RaftInit } from './raft.ts';
import {
  type ConfChange,
  type Configuration,
  type HardState,
  type Message,
  RaftError,
  type Ready,
  type SoftState,
  type StateType,
} from './types.ts';

const LOCAL: ReadonlySet<string> = new Set(['MsgHup', 'MsgBeat', 'MsgProp', 'MsgTransferLeader', 'MsgReadIndex']);

/** Whether `m` is a type servers exchange (local-only types must never arrive from the network). */
export function isNetworkMessage(m: Message): boolean {
  return !LOCAL.has(m.type);
}

/** Replication state of one server as the leader sees it (for autopilot and operators). */
export interface PeerStatus {
  id: string;
  voter: boolean;
  match: number;
  next: number;
  state: string;
  /** Ticks since the leader last heard from this server (0 for the leader itself). */
  lastContactTicks: number;
}

/** A point-in-time summary of the node. */
export interface Status {
  id: string;
  term: number;
  vote: string;
  lead: string;
  state: StateType;
  commit: number;
  applied: number;
  lastIndex: number;
  firstIndex: number;
  snapshotIndex: number;
  configuration: Configuration;
  /** Ticks since this node last heard from a leader (followers), or 0 on the leader. */
  sinceLeaderTicks: number;
  leaseValid: boolean;
  /** On the leader: every server's progress. Empty elsewhere. */
  peers: PeerStatus[];
}

export class RawNode {
  readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private outstanding: Ready | null = null;

  constructor(config: RaftConfig, init: RaftInit) {
    this.raft = new Raft(config, init);
    this.prevSoft = { lead: this.raft.lead, state: this.raft.state };
    this.prevHard = { term: this.raft.term, vote: this.raft.vote, commit: this.raft.log.committed };
  }

  /** Advances logical time by one tick (elections, heartbeats, check-quorum, transfer timeouts). */
  tick(): void {
    this.raft.tick();
  }

  /** Campaigns now, as if the election timeout had elapsed (pre-vote first when enabled). */
  campaign(): void {
    if (this.raft.state !== 'leader') this.raft.campaign(this.raft.cfg.preVote ? 'pre' : 'vote', false);
  }

  /** Feeds a message received from another server. Local-only message types are rejected. */
  step(m: Message): void {
    if (LOCAL.has(m.type)) throw new Error(`raft: cannot step local message type ${m.type} from the network`);
    this.raft.step(m);
  }

  /** The transport lost its connection to `id`: replication falls back to probing. */
  reportUnreachable(id: string): void {
    this.raft.reportUnreachable(id);
  }

  /** Appends a command (leader only); returns its index. Throws RaftError when not leader. */
  propose(data: Uint8Array): number {
    return this.raft.propose([data]);
  }

  /** Appends several commands in one batch; returns the index of the last. */
  proposeBatch(data: Uint8Array[]): number {
    if (data.length === 0) throw new RaftError('proposal-dropped', 'empty batch');
    return this.raft.propose(data);
  }

  /** Proposes a single-server membership change; returns the configuration entry's index. */
  proposeConfChange(change: ConfChange): number {
    return this.raft.proposeConfChange(change);
  }

  transferLeadership(to: string): void {
    this.raft.transferLeadership(to);
  }

  /** Asks for a read point; see Raft.readIndex. `lease` allows answering from the leader lease. */
  readIndex(ctx: number, lease = false): void {
    this.raft.readIndex(ctx, lease);
  }

  /** The driver compacted its LogStore after saving a snapshot at (`index`, `term`). */
  compacted(index: number, term: number, firstIndex: number): void {
    this.raft.log.compacted(index, term, firstIndex);
  }

  hasReady(): boolean {
    const r = this.raft;
    if (r.needBroadcast) return true;
    if (r.msgs.length > 0 || r.leaderMsgs.length > 0 || r.readStates.length > 0) return true;
    if (r.log.hasUnstable() || r.log.pendingSnapshot !== null || r.log.hasNextCommitted()) return true;
    if (r.lead !== this.prevSoft.lead || r.state !== this.prevSoft.state) return true;
    return r.term !== this.prevHard.term || r.vote !== this.prevHard.vote;
  }

  /** Collects everything the driver must do now. See `Ready` for the order. */
  ready(): Ready {
    if (this.outstanding) throw new Error('raft: ready() called again before advance()');
    const r = this.raft;
    if (r.needBroadcast && r.state === 'leader') r.bcastAppend();
    r.needBroadcast = false;
    let softState: SoftState | null = null;
    if (r.lead !== this.prevSoft.lead || r.state !== this.prevSoft.state) {
      softState = { lead: r.lead, state: r.state };
      this.prevSoft = softState;
    }
    let hardState: HardState | null = null;
    if (r.term !== this.prevHard.term || r.vote !== this.prevHard.vote) {
      hardState = { term: r.term, vote: r.vote, commit: r.log.committed };
      this.prevHard = hardState;
    }
    const snapshot = r.log.pendingSnapshot;
    // Committed entries first: some may still be in the unstable tail, read before it is handed out.
    const committedEntries = snapshot ? [] : r.log.takeCommitted(r.cfg.maxApplyBytes);
    const entries = r.log.takeUnstable();
    const rd: Ready = {
      softState,
      hardState,
      snapshot,
      entries,
      committedEntries,
      messages: r.msgs,
      leaderMessages: r.leaderMsgs,
      readStates: r.readStates,
      mustSync: hardState !== null || entries.length > 0 || snapshot !== null,
    };
    r.msgs = [];
    r.leaderMsgs = [];
    r.readStates = [];
    this.outstanding = rd;
    return rd;
  }

  /** The driver finished `rd`: its writes are durable, its messages sent, its entries applied. */
  advance(rd: Ready): void {
    if (this.outstanding !== rd) throw new Error('raft: advance() with a Ready that is not outstanding');
    this.outstanding = null;
    if (rd.snapshot) this.raft.snapshotPersisted(rd.snapshot.index);
    const last = rd.entries[rd.entries.length - 1];
    if (last) this.raft.persistedTo(last.index, last.term);
  }

  status(): Status {
    const r = this.raft;
    const peers: PeerStatus[] = [];
    if (r.state === 'leader') {
      for (const [id, pr] of r.prs) {
        peers.push({
          id,
          voter: pr.voter,
          match: id === r.id ? r.persisted : pr.match,
          next: id === r.id ? r.log.lastIndex() + 1 : pr.next,
          state: id === r.id ? 'leader' : pr.state,
          lastContactTicks: id === r.id ? 0 : r.ticks - pr.lastContactTick,
        });
      }
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      lead: r.lead,
      state: r.state,
      commit: r.log.committed,
      applied: r.log.applying,
      lastIndex: r.log.lastIndex(),
      firstIndex: r.log.firstIndex(),
      snapshotIndex: r.log.snapshotIndex,
      configuration: r.config,
      sinceLeaderTicks: r.state === 'leader' ? 0 : r.electionElapsed,
      leaseValid: r.leaseValid(),
      peers,
    };
  }
}
