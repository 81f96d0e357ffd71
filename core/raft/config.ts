/**
 * Configuration of the Raft state machine, in ticks (the driver decides how long a tick is; see
 * timing.ts for Consul's figures), with validation that rejects unsafe combinations up front.
 */
import type { Random } from '../ports/random.ts';
import type { TraceSink } from '../ports/trace.ts';

export interface RaftConfig {
  /** This server's ID. */
  id: string;
  /** Base election timeout in ticks; each timeout is drawn uniformly from [election, 2×election). */
  electionTicks: number;
  /** Leader heartbeat interval in ticks (must be below `electionTicks`). */
  heartbeatTicks: number;
  /**
   * How long a quorum acknowledgment lets the leader serve `default` reads locally, in ticks,
   * measured from when the acknowledged message was sent. Must be below `electionTicks`: a follower
   * that heard from the leader refuses votes for `electionTicks`, so no other leader can exist
   * while the lease holds, provided clocks drift by less than the gap.
   */
  leaseTicks: number;
  /** A leader that has not heard from a quorum for an election timeout steps down. */
  checkQuorum?: boolean;
  /** Run a pre-vote round before incrementing the term, so a rejoining node does not disrupt. */
  preVote?: boolean;
  /** Byte budget of entry data per append message (at least one entry is always sent). */
  maxMsgBytes?: number;
  /** Most entries per append message (HashiCorp's MaxAppendEntries). */
  maxEntriesPerMsg?: number;
  /** Most append messages in flight to one follower. */
  maxInflightMsgs?: number;
  /** Most bytes of entry data in flight to one follower (0: unbounded). */
  maxInflightBytes?: number;
  /** Byte budget of committed entries handed out per Ready. */
  maxApplyBytes?: number;
  /** Size of one InstallSnapshot chunk. */
  snapshotChunkBytes?: number;
  /** Source of election jitter. */
  random: Random;
  /** Where typed trace events go (optional). */
  trace?: TraceSink;
}

/** Defaults for everything but the ID, timing and randomness. */
export const RAFT_DEFAULTS = {
  checkQuorum: true,
  preVote: true,
  maxMsgBytes: 1024 * 1024,
  maxEntriesPerMsg: 256,
  maxInflightMsgs: 256,
  maxInflightBytes: 32 * 1024 * 1024,
  maxApplyBytes: 16 * 1024 * 1024,
  snapshotChunkBytes: 256 * 1024,
} as const;

/** A configuration with every default filled in. */
export type FullRaftConfig = Required<Omit<RaftConfig, 'trace'>> & Pick<RaftConfig, 'trace'>;

/** Fills in defaults and throws a clear error for an unusable configuration. */
export function resolveConfig(config: RaftConfig): FullRaftConfig {
  const c = { ...RAFT_DEFAULTS, ...config } as FullRaftConfig;
  validateConfig(c);
  return c;
}

function validateConfig(c: FullRaftConfig): void {
  const fail = (why: string) => {
    throw new Error(`raft config: ${why}`);
  };
  if (!c.id) fail('id must be non-empty');
  if (!(c.electionTicks >= 2)) fail('electionTicks must be at least 2');
  if (!(c.heartbeatTicks >= 1 && c.heartbeatTicks < c.electionTicks)) fail('heartbeatTicks must be in [1, electionTicks)');
  if (!(c.leaseTicks >= 1 && c.leaseTicks < c.electionTicks)) {
    fail('leaseTicks must be in [1, electionTicks): an equal lease allows stale reads');
  }
  if (!(c.maxInflightMsgs >= 1)) fail('maxInflightMsgs must be at least 1');
  if (!(c.maxEntriesPerMsg >= 1)) fail('maxEntriesPerMsg must be at least 1');
  if (!(c.snapshotChunkBytes >= 1)) fail('snapshotChunkBytes must be at least 1');
}
