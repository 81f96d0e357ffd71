import { StatusError } from '../../api-client.ts';
import { attempt, httpCommand } from '../../http-command.ts';
import { columnize } from '../../lib/columnize.ts';

interface RaftServer {
  ID: string;
  Node: string;
  Address: string;
  Leader: boolean;
  Voter: boolean;
  ProtocolVersion: string;
}

interface ServerHealth {
  ID: string;
  LastIndex: number;
}

const SEP = '\x1f';

/**
 * The list-peers table (command/operator/raft/listpeers): Node ID Address State Voter RaftProtocol
 * Commit Index "Trails Leader By", the last two from autopilot health; a server without health data
 * gets `_` and one column fewer, as Consul prints it.
 */
export function formatPeers(servers: readonly RaftServer[], health: readonly ServerHealth[]): string {
  const byId = new Map(health.map((h) => [h.ID, h]));
  const leader = servers.find((s) => s.Leader);
  const leaderIndex = (leader && byId.get(leader.ID)?.LastIndex) ?? 0;
  const rows = [['Node', 'ID', 'Address', 'State', 'Voter', 'RaftProtocol', 'Commit Index', 'Trails Leader By'].join(SEP)];
  for (const s of servers) {
    const base = [s.Node, s.ID, s.Address, s.Leader ? 'leader' : 'follower', String(s.Voter), s.ProtocolVersion || '<=1'];
    const h = byId.get(s.ID);
    if (!h) {
      rows.push([...base, '_'].join(SEP));
      continue;
    }
    // Go subtracts uint64s; a follower ahead of the leader's sample wraps, we show 0 instead.
    const trails = Math.max(0, leaderIndex - h.LastIndex);
    const text = s.Leader ? '_' : trails <= 1 ? `${trails} Commit` : `${trails} Commits`;
    rows.push([...base, String(h.LastIndex), text].join(SEP));
  }
  return columnize(rows, SEP);
}

/** `consul operator raft list-peers [-stale]`. */
export const raftListPeersCommand = httpCommand({
  help: `
Usage: consul operator raft list-peers [options]

  Displays the current Raft peer configuration.
`,
  defaults: () => ({}),
  async run({ io, client }) {
    const r = await attempt(io, 'Error getting peers', async () => {
      const conf = await client.getJson<{ Servers: RaftServer[] }>('/v1/operator/raft/configuration').catch((e) => {
        throw new Error(`Failed to retrieve raft configuration: ${(e as Error).message}`);
      });
      let health: ServerHealth[] = [];
      try {
        const h = await client.getJson<{ Servers: ServerHealth[] }>('/v1/operator/autopilot/health', { accept: [429] });
        health = h.value?.Servers ?? [];
      } catch (e) {
        // An agent without the autopilot health endpoint yet (404): print the 7-column rows.
        if (!(e instanceof StatusError && e.code === 404)) throw new Error(`Failed to retrieve autopilot health: ${(e as Error).message}`);
      }
      return formatPeers(conf.value?.Servers ?? [], health);
    });
    if (!r.ok) return 1;
    io.stdout(`${r.value}\n`);
    return 0;
  },
});
