import { errorText } from '../../api-client.ts';
import { parseGoBool } from '../../go-flags.ts';
import { httpCommand } from '../../http-command.ts';

/** A Vivaldi coordinate as the coordinate endpoints return it. */
export interface Coord {
  Vec: number[];
  Error: number;
  Adjustment: number;
  Height: number;
}

/**
 * serf/coordinate DistanceTo, in seconds: Euclidean distance of the vectors plus both heights,
 * plus both adjustments when that keeps it positive.
 */
export function distance(a: Coord, b: Coord): number {
  let sum = 0;
  for (let i = 0; i < a.Vec.length; i++) sum += ((a.Vec[i] ?? 0) - (b.Vec[i] ?? 0)) ** 2;
  const dist = Math.sqrt(sum) + a.Height + b.Height;
  const adjusted = dist + a.Adjustment + b.Adjustment;
  return adjusted > 0 ? adjusted : dist;
}

/**
 * `consul rtt [-wan] node1 [node2]` (command/rtt): the estimated round trip between two nodes from
 * their network coordinates (node2 defaults to the agent's node); with -wan the nodes are
 * `<server>.<dc>` names in the WAN pool.
 */
export const rttCommand = httpCommand({
  help: `
Usage: consul rtt [options] node1 [node2]

  Estimates the round trip time between two nodes using Consul's network
  coordinate model of the cluster.

  At least one node name is required. If the second node name isn't given, it
  is set to the agent's node name. These are node names as known to Consul as
  the "consul members" command would show, not IP addresses.

  By default, the two nodes are assumed to be nodes in the local datacenter
  and the LAN coordinates are used. If the -wan option is given, then the WAN
  coordinates are used, and the node names must be suffixed by a period and
  the datacenter (eg. "myserver.dc1").

  It is not possible to measure between LAN coordinates and WAN coordinates
  because they are maintained by independent Serf gossip areas, so they are
  not compatible.
`,
  serverFlags: false,
  defaults: () => ({ wan: false }),
  flags: (fs, o) => fs.add({ name: 'wan', bool: true, usage: 'Use WAN coordinates instead of LAN coordinates.', set: (v) => void (o.wan = parseGoBool(v)) }),
  async run({ args, opts, io, client }) {
    if (args.length < 1 || args.length > 2) {
      io.stderr('One or two node names must be specified\n');
      return 1;
    }
    const nodes = [...args];
    try {
      if (nodes.length < 2) {
        const self = await client.getJson<{ Config?: { NodeName?: string; Datacenter?: string } }>('/v1/agent/self', { noDatacenter: true });
        const cfg = self.value?.Config ?? {};
        nodes.push(opts.wan ? `${cfg.NodeName}.${cfg.Datacenter}` : (cfg.NodeName ?? ''));
      }
    } catch (e) {
      io.stderr(`Unable to look up agent info: ${errorText(e)}\n`);
      return 1;
    }
    const [n1, n2] = nodes as [string, string];
    let coords: Map<string, Coord>;
    try {
      coords = opts.wan ? await wanCoords(client) : await lanCoords(client);
    } catch (e) {
      io.stderr(`Error getting coordinates: ${errorText(e)}\n`);
      return 1;
    }
    for (const n of [n1, n2]) {
      if (!coords.has(n)) {
        io.stderr(`Could not find a coordinate for node "${n}"\n`);
        return 1;
      }
    }
    const ms = distance(coords.get(n1)!, coords.get(n2)!) * 1000;
    io.stdout(`Estimated ${n1} <-> ${n2} rtt: ${ms.toFixed(3)} ms (using ${opts.wan ? 'WAN' : 'LAN'} coordinates)\n`);
    return 0;
  },
});

async function lanCoords(client: Parameters<Parameters<typeof httpCommand>[0]['run']>[0]['client']): Promise<Map<string, Coord>> {
  const r = await client.getJson<{ Node: string; Coord: Coord }[]>('/v1/coordinate/nodes');
  return new Map((r.value ?? []).map((e) => [e.Node, e.Coord]));
}

async function wanCoords(client: Parameters<Parameters<typeof httpCommand>[0]['run']>[0]['client']): Promise<Map<string, Coord>> {
  const r = await client.getJson<{ Datacenter: string; Coordinates: { Node: string; Coord: Coord }[] }[]>('/v1/coordinate/datacenters');
  const out = new Map<string, Coord>();
  // WAN node names are already `<node>.<dc>` in the WAN pool.
  for (const dc of r.value ?? []) for (const c of dc.Coordinates ?? []) out.set(c.Node.includes('.') ? c.Node : `${c.Node}.${dc.Datacenter}`, c.Coord);
  return out;
}
