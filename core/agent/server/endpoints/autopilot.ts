import { formatGoDuration } from '../../../lib/duration.ts';
import { formatRfc3339, ZERO_TIME } from '../../../lib/rfc3339.ts';
import { nodePrefix } from '../../../state/schema.ts';
import type { StateStore } from '../../../state/store.ts';
import type { Endpoint } from '../endpoint.ts';

/**
 * Operator.ServerHealth and Operator.AutopilotState (agent/operator_endpoint.go,
 * api-docs/operator/autopilot.mdx): autopilot's per-server health on the leader, joined with each
 * server's catalog node (its name, serf status from serfHealth, and version from node meta).
 */

const rfc3339 = (unixMs: number): string => (unixMs < 0 ? ZERO_TIME : formatRfc3339(unixMs));

function nodeFacts(state: StateStore, id: string): { name: string; serfStatus: string; version: string; meta: Record<string, string> } {
  const node = [...state.t.nodes.all()].find((n) => n.ID === id);
  if (!node) return { name: id, serfStatus: 'none', version: '', meta: {} };
  const serf = state.t.checks.prefix(nodePrefix(node.Node)).find((c) => c.CheckID === 'serfHealth');
  const serfStatus = !serf ? 'none' : serf.Status === 'passing' ? 'alive' : 'failed';
  return { name: node.Node, serfStatus, version: node.Meta['consul-version'] ?? '', meta: node.Meta };
}

const contact = (ms: number): string => (Number.isFinite(ms) ? formatGoDuration(Math.round(ms * 1e6)) : '0s');

/** Operator.ServerHealth: `{ Healthy, FailureTolerance, Servers: [...] }`. */
export const operatorServerHealth: Endpoint = {
  // Routed like a write: only the leader has the followers' progress autopilot needs.
  kind: 'write',
  handle(ctx, _args, respond) {
    const h = ctx.raft.serverHealth();
    if (!h) return respond('No cluster leader');
    respond(undefined, {
      Healthy: h.healthy,
      FailureTolerance: h.failureTolerance,
      Servers: h.servers.map((s) => {
        const f = nodeFacts(ctx.state, s.id);
        return {
          ID: s.id,
          Name: f.name,
          Address: s.address,
          SerfStatus: f.serfStatus,
          Version: f.version,
          Leader: s.leader,
          LastContact: contact(s.lastContactMs),
          LastTerm: s.lastTerm,
          LastIndex: s.lastIndex,
          Healthy: s.healthy,
          Voter: s.voter,
          StableSince: rfc3339(s.stableSinceUnixMs),
        };
      }),
    });
  },
};

/** Operator.AutopilotState: the newer, map-shaped report the UI's server status card reads. */
export const operatorAutopilotState: Endpoint = {
  kind: 'write',
  handle(ctx, _args, respond) {
    const h = ctx.raft.serverHealth();
    if (!h) return respond('No cluster leader');
    const servers: Record<string, unknown> = {};
    let leader = '';
    const voters: string[] = [];
    for (const s of h.servers) {
      const f = nodeFacts(ctx.state, s.id);
      if (s.leader) leader = s.id;
      if (s.voter) voters.push(s.id);
      servers[s.id] = {
        ID: s.id,
        Name: f.name,
        Address: s.address,
        NodeStatus: f.serfStatus,
        Version: f.version,
        LastContact: contact(s.lastContactMs),
        LastTerm: s.lastTerm,
        LastIndex: s.lastIndex,
        Healthy: s.healthy,
        StableSince: rfc3339(s.stableSinceUnixMs),
        ReadReplica: false,
        Status: s.leader ? 'leader' : s.voter ? 'voter' : 'non-voter',
        Meta: f.meta,
        NodeType: 'voter',
      };
    }
    // Optimistic tolerance counts every voter as if healthy.
    const quorum = Math.floor(voters.length / 2) + 1;
    respond(undefined, {
      Healthy: h.healthy,
      FailureTolerance: h.failureTolerance,
      OptimisticFailureTolerance: Math.max(0, voters.length - quorum),
      Servers: servers,
      Leader: leader,
      Voters: voters,
    });
  },
};
