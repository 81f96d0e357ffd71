import type { MemberStatus } from '../gossip/serf/events.ts';

/** A server in the Raft configuration, with what gossip says about it. */
export interface RaftServerView {
  id: string;
  name: string | undefined;
  voter: boolean;
  /** Gossip status of the server's member; undefined when gossip does not know it (stale). */
  status: MemberStatus | undefined;
}

/** What autopilot's dead-server cleanup decided. */
export interface PrunePlan {
  /** Failed servers to force-leave through gossip (the leave then removes them from Raft). */
  forceLeave: RaftServerView[];
  /** Servers gossip has never heard of, to remove from Raft directly. */
  removeStale: RaftServerView[];
  /** Why a failed voter was kept, in Consul's words, if one was. */
  kept: string | undefined;
}

/**
 * Autopilot's `CleanupDeadServers` (raft-autopilot pruneDeadServers). Servers that left are the
 * reconcile's job; here: stale and
 * failed non-voters always go; failed voters go only while fewer than half of the voters are removed ((voters - 1) / 2), so that the cleanup can
 * never take away a quorum, and never below `minQuorum`.
 */
export function planDeadServerCleanup(servers: RaftServerView[], minQuorum: number): PrunePlan {
  const plan: PrunePlan = { forceLeave: [], removeStale: [], kept: undefined };
  // Unlike raft-autopilot we keep voters gossip has not heard of yet: after a full restart the
  // leader can be elected from disk before gossip has rejoined, and those voters are healthy.
  let voters = servers.filter((s) => s.voter).length;
  const failed = (s: RaftServerView) => s.status === 'failed';
  for (const s of servers.filter((x) => !x.voter)) {
    if (s.status === undefined) plan.removeStale.push(s);
    else if (failed(s)) plan.forceLeave.push(s);
  }
  let maxRemoval = Math.floor((voters - 1) / 2);
  for (const s of servers.filter((x) => x.voter && failed(x))) {
    if (maxRemoval < 1) {
      plan.kept = 'will not remove server as removal of a majority of servers is not safe';
      break;
    }
    if (voters - 1 < minQuorum) {
      plan.kept = 'will not remove server as it would leave less voters than the minimum number allowed';
      break;
    }
    plan.forceLeave.push(s);
    maxRemoval--;
    voters--;
  }
  return plan;
}
