/**
 * The vocabulary of the Raft state machine: log entries, messages, hard and soft state, cluster
 * configuration and the `Ready` batch that hands work to the driver. Plain data only, so that every
 * value here can be printed in a transcript, encoded on the wire and compared in a checker.
 */
import type { LogRecord } from '../ports/storage.ts';

/** Kinds of log entry. The numeric values are stored on disk and sent on the wire: only append. */
export const EntryType = {
  /** A command for the user's state machine (the FSM). */
  Normal: 0,
  /** The empty entry a new leader appends to commit entries from earlier terms. */
  Noop: 1,
  /** A cluster configuration (the whole server list, after one single-server change). */
  Configuration: 2,
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

/** One log entry; the same shape the LogStore stores, so entries are persisted without copying. */
export type Entry = LogRecord;

/** Whether a server votes (counts towards quorum) or only replicates. */
export type Suffrage = 'voter' | 'nonvoter';

/** One server of the cluster configuration. `id` is Raft's server ID, `address` where to reach it. */
export interface Server {
  id: string;
  address: string;
  suffrage: Suffrage;
}

/** The cluster configuration: every server, in a stable order. */
export interface Configuration {
  servers: Server[];
}

/** A single-server membership change, as proposed by an operator or by autopilot. */
export type ConfChange =
  | { type: 'addVoter'; id: string; address: string }
  | { type: 'addNonvoter'; id: string; address: string }
  | { type: 'promote'; id: string }
  | { type: 'demote'; id: string }
  | { type: 'remove'; id: string };

/** The role a server plays; `precandidate` is a follower running a pre-vote round. */
export type StateType = 'follower' | 'precandidate' | 'candidate' | 'leader';

/** What must be durable before acting on it: the term, the vote in that term, and the commit index. */
export interface HardState {
  term: number;
  vote: string;
  commit: number;
}

/** Volatile state the application may show (the lab animates it); never persisted. */
export interface SoftState {
  lead: string;
  state: StateType;
}

/** A snapshot's identity and the membership it carries. */
export interface SnapshotInfo {
  index: number;
  term: number;
  configuration: Configuration;
}

/** A snapshot with its state machine bytes, as installed on a follower. */
export interface Snapshot extends SnapshotInfo {
  data: Uint8Array;
}

/**
 * One chunk of an InstallSnapshot transfer. The leader sends chunks in order; the follower acks
 * each with the number of bytes it holds (`offset` of a `MsgSnapResp`), and `done` marks the last.
 */
export interface SnapshotChunk extends SnapshotInfo {
  offset: number;
  total: number;
  data: Uint8Array;
  done: boolean;
}

/** Message kinds. `MsgHup`, `MsgBeat`, `MsgProp`, `MsgReadIndex` and `MsgTransferLeader` are local. */
export type MsgType =
  | 'MsgHup'
  | 'MsgBeat'
  | 'MsgProp'
  | 'MsgApp'
  | 'MsgAppResp'
  | 'MsgVote'
  | 'MsgVoteResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp'
  | 'MsgSnap'
  | 'MsgSnapResp'
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgTimeoutNow'
  | 'MsgTransferLeader'
  | 'MsgReadIndex';

/**
 * One Raft message. Every field is always present (one object shape keeps the hot path fast);
 * unused fields are 0, '', false, the shared empty array, or null. Field meanings by type:
 * - MsgApp: `index`/`logTerm` = the entry preceding `entries`, `commit` = leader commit.
 * - MsgAppResp: `index` = highest matching index (or the rejected index), `reject`, and on
 *   rejection `rejectHint`/`logTerm` = the follower's best guess of where logs diverge.
 * - MsgVote/MsgPreVote: `index`/`logTerm` = candidate's last entry; `force` = leadership transfer.
 * - MsgHeartbeat: `commit`; `ctx` = ReadIndex round. MsgHeartbeatResp: `index` = follower's last index. `lease` (App and Heartbeat) is the leader's
 *   tick at sending, echoed back in responses so the leader can date its lease from the send time.
 */
export interface Message {
  type: MsgType;
  from: string;
  to: string;
  term: number;
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  reject: boolean;
  rejectHint: number;
  ctx: number;
  lease: number;
  force: boolean;
  snapshot: SnapshotChunk | null;
}

/** A completed ReadIndex request: reads issued with `ctx` may be served once `index` is applied. */
export interface ReadState {
  index: number;
  ctx: number;
}

/**
 * The work the driver must do, in order:
 * 1. If `snapshot` is set, save it durably, restore the FSM from it, and reset the log store to it.
 * 2. Write `hardState` (if set) and `entries` to stable storage (truncating the log store first when
 *    `entries[0].index <= lastIndex`), then sync. One sync covers the whole batch (group commit).
 * 3. Only after the sync: send `messages`. `leaderMessages` may be sent before the sync (a leader
 *    replicates its own new entries in parallel with writing them, Raft thesis §10.2.1).
 * 4. Apply `committedEntries` in order; serve reads whose `readStates` index is applied.
 * 5. Call `advance(ready)`.
 */
export interface Ready {
  softState: SoftState | null;
  hardState: HardState | null;
  snapshot: Snapshot | null;
  entries: Entry[];
  committedEntries: Entry[];
  messages: Message[];
  leaderMessages: Message[];
  readStates: ReadState[];
  /** Whether steps 1–2 wrote anything that needs a sync before `messages` may go out. */
  mustSync: boolean;
}

/** Shared empty array for messages without entries (never mutated). */
export const NO_ENTRIES: Entry[] = Object.freeze([]) as unknown as Entry[];

/** A message with every field at its neutral value; callers override what they use. */
export function newMessage(type: MsgType, from: string, to: string, term: number): Message {
  return {
    type,
    from,
    to,
    term,
    logTerm: 0,
    index: 0,
    entries: NO_ENTRIES,
    commit: 0,
    reject: false,
    rejectHint: 0,
    ctx: 0,
    lease: 0,
    force: false,
    snapshot: null,
  };
}

/** Errors the state machine reports to proposers; the message says what to do. */
export class RaftError extends Error {
  constructor(
    readonly code: 'not-leader' | 'leadership-lost' | 'proposal-dropped' | 'config-pending' | 'bad-change' | 'transfer-in-progress',
    message: string,
    readonly leader = '',
  ) {
    super(message);
    this.name = 'RaftError';
  }
}
