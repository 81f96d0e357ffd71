/**
 * Consul's Raft timing (agent/config/default.go, hashicorp/raft DefaultConfig): heartbeat and
 * election timeouts of 1000 ms and a leader lease of 500 ms, each multiplied by `raft_multiplier`
 * (default 5). Dev mode uses 35 ms / 52 ms / 20 ms. Here they become tick counts for the state
 * machine; a tick is a hundredth of the timeout, so the randomised timeout has fine resolution.
 */

export interface RaftTiming {
  /** Length of one tick in milliseconds. */
  tickMs: number;
  electionTicks: number;
  heartbeatTicks: number;
  leaseTicks: number;
  /** The source figures, for reports. */
  heartbeatTimeoutMs: number;
  electionTimeoutMs: number;
  leaderLeaseTimeoutMs: number;
}

/** Consul's default `raft_multiplier`. */
export const DEFAULT_RAFT_MULTIPLIER = 5;

/** Tick counts for the given timeouts (ms). The follower timeout is the smaller of the two. */
export function timingFrom(heartbeatTimeoutMs: number, electionTimeoutMs: number, leaseMs: number, ticksPerTimeout = 100): RaftTiming {
  const timeout = Math.min(heartbeatTimeoutMs, electionTimeoutMs);
  const tickMs = timeout / ticksPerTimeout;
  return {
    tickMs,
    electionTicks: ticksPerTimeout,
    // hashicorp/raft sends heartbeats at a tenth of the heartbeat timeout.
    heartbeatTicks: Math.max(1, Math.round(ticksPerTimeout / 10)),
    leaseTicks: Math.max(1, Math.min(ticksPerTimeout - 1, Math.floor(leaseMs / tickMs))),
    heartbeatTimeoutMs,
    electionTimeoutMs,
    leaderLeaseTimeoutMs: leaseMs,
  };
}

/** Consul's production timing for `raft_multiplier` (1..10). */
export function consulTiming(multiplier = DEFAULT_RAFT_MULTIPLIER): RaftTiming {
  if (!(Number.isInteger(multiplier) && multiplier >= 1 && multiplier <= 10)) {
    throw new Error(`raft_multiplier must be an integer in [1, 10], got ${multiplier}`);
  }
  return timingFrom(1000 * multiplier, 1000 * multiplier, 500 * multiplier);
}

/** Consul dev mode's fast timers (heartbeat 35 ms, election 52 ms, lease 20 ms). */
export function devTiming(): RaftTiming {
  return timingFrom(35, 52, 20, 35);
}
