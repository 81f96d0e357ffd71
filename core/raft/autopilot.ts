/**
 * Autopilot (Consul's operator autopilot, on the leader): tracks each server's health, promotes
 * non-voters once they have been healthy for the stabilisation time, and removes dead servers
 * without ever removing so many that the healthy voters would lose their quorum.
 *
 * Pure: it turns the leader's status and the time into health reports and at most one membership
 * change per evaluation (Raft allows one change in flight at a time).
 */
import { votersOf } from './membership.ts';
import type { Status } from './raw-node.ts';
import type { ConfChange } from './types.ts';

/** Consul's autopilot settings (defaults from agent/config/default.go). */
export interface AutopilotConfig {
  cleanupDeadServers: boolean;
  /** A server is unhealthy if the leader has not heard from it for this long (200 ms). */
  lastContactThresholdMs: number;
  /** ... or if it is more than this many entries behind the leader (250). */
  maxTrailingLogs: number;
  /** Never remove servers below this many voters (0: no floor beyond quorum safety). */
  minQuorum: number;
  /** A non-voter must be healthy this long before promotion (10 s). */
  serverStabilizationTimeMs: number;
  /** A server silent this long is dead and may be removed (our stand-in for Serf's "failed"). */
  deadServerAfterMs: number;
}

export const AUTOPILOT_DEFAULTS: AutopilotConfig = {
  cleanupDeadServers: true,
  lastContactThresholdMs: 200,
  maxTrailingLogs: 250,
  minQuorum: 0,
  serverStabilizationTimeMs: 10_000,
  deadServerAfterMs: 60_000,
};

/** One server's health as `/v1/operator/autopilot/health` reports it. */
export interface ServerHealth {
  id: string;
  address: string;
  voter: boolean;
  leader: boolean;
  /** Milliseconds since the leader last heard from it. */
  lastContactMs: number;
  lastTerm: number;
  lastIndex: number;
  healthy: boolean;
  /** Time (ms, leader clock) since when it has been continuously healthy, or -1. */
  stableSince: number;
}

export interface AutopilotReport {
  healthy: boolean;
  failureTolerance: number;
  servers: ServerHealth[];
  /** The membership change to make now, if any. */
  action: ConfChange | null;
}

export class Autopilot {
  private readonly stableSince = new Map<string, number>();

  constructor(readonly config: AutopilotConfig = AUTOPILOT_DEFAULTS) {}

  /** Evaluates the cluster from the leader's status at time `nowMs` (`tickMs` converts ticks). */
  evaluate(nowMs: number, status: Status, tickMs: number): AutopilotReport {
    const servers = this.health(nowMs, status, tickMs);
    const voters = servers.filter((s) => s.voter);
    const healthyVoters = voters.filter((s) => s.healthy).length;
    const quorum = Math.floor(voters.length / 2) + 1;
    return {
      healthy: servers.every((s) => s.healthy),
      failureTolerance: Math.max(0, healthyVoters - quorum),
      servers,
      action: this.removeDead(servers) ?? this.promote(nowMs, servers),
    };
  }

  private health(nowMs: number, status: Status, tickMs: number): ServerHealth[] {
    const peers = new Map(status.peers.map((p) => [p.id, p]));
    const out: ServerHealth[] = [];
    for (const s of status.configuration.servers) {
      const p = peers.get(s.id);
      const lastContactMs = p ? p.lastContactTicks * tickMs : Number.POSITIVE_INFINITY;
      const lastIndex = p?.match ?? 0;
      const healthy =
        p !== undefined && lastContactMs < this.config.lastContactThresholdMs && lastIndex + this.config.maxTrailingLogs >= status.lastIndex;
      if (!healthy) this.stableSince.delete(s.id);
      else if (!this.stableSince.has(s.id)) this.stableSince.set(s.id, nowMs);
      out.push({
        id: s.id,
        address: s.address,
        voter: s.suffrage === 'voter',
        leader: s.id === status.id,
        lastContactMs,
        lastTerm: p ? status.term : 0,
        lastIndex,
        healthy,
        stableSince: this.stableSince.get(s.id) ?? -1,
      });
    }
    for (const id of [...this.stableSince.keys()]) if (!out.some((s) => s.id === id)) this.stableSince.delete(id);
    return out;
  }

  /** Removes one dead server if the healthy voters keep a quorum and the floor holds. */
  private removeDead(servers: ServerHealth[]): ConfChange | null {
    if (!this.config.cleanupDeadServers) return null;
    const dead = servers.filter((s) => !s.leader && s.lastContactMs >= this.config.deadServerAfterMs);
    for (const d of dead) {
      if (!d.voter) return { type: 'remove', id: d.id };
      const votersAfter = servers.filter((s) => s.voter && s.id !== d.id);
      const healthyAfter = votersAfter.filter((s) => s.healthy).length;
      if (votersAfter.length < Math.max(1, this.config.minQuorum)) continue;
      if (healthyAfter >= Math.floor(votersAfter.length / 2) + 1) return { type: 'remove', id: d.id };
    }
    return null;
  }

  private promote(nowMs: number, servers: ServerHealth[]): ConfChange | null {
    for (const s of servers) {
      if (s.voter || !s.healthy || s.stableSince < 0) continue;
      if (nowMs - s.stableSince >= this.config.serverStabilizationTimeMs) return { type: 'promote', id: s.id };
    }
    return null;
  }
}

/** Voter IDs of a status's configuration (re-exported for callers reporting failure tolerance). */
export function voterIds(status: Status): string[] {
  return votersOf(status.configuration);
}
