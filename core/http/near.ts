import { sortByDistance } from '../agent/rtt.ts';
import type { Coord, Coordinate, Node } from '../state/types.ts';
import type { AgentApi } from './api.ts';
import type { ApiContext } from './context.ts';

export { rttSeconds, sortByDistance } from '../agent/rtt.ts';

/**
 * `?near=` (agent/http.go parseSource, agent/consul/rtt.go sortNodesByDistanceFrom): sorts rows by
 * the estimated round-trip time from a source node, using the Vivaldi coordinates the agents send
 * to the servers. `_agent` is this agent; `_ip` is the node whose address is the client's
 * (X-Forwarded-For first). Without a coordinate for the source nothing is reordered; rows whose
 * node has no coordinate go last, keeping their order (a stable sort, as Go's sort.Stable).
 */

function clientIp(ctx: ApiContext): string {
  const xff = ctx.request.headers.get('x-forwarded-for');
  if (xff) return (xff.split(',')[0] ?? '').trim();
  const addr = ctx.remoteAddress;
  const m = /^\[?([^\]]+?)\]?(?::\d+)?$/.exec(addr);
  return addr.includes('.') ? (m?.[1] ?? addr) : addr;
}

/** The node named by `?near=` ("" when absent or unresolvable). */
async function sourceNode(agent: AgentApi, ctx: ApiContext): Promise<string> {
  const near = ctx.query.get('near') ?? '';
  if (near === '_agent') return agent.nodeName;
  if (near !== '_ip') return near;
  const ip = clientIp(ctx);
  const reply = (await agent.rpc('Catalog.ListNodes', { Query: { Mode: 'stale' } })) as { Value: Node[] };
  return reply.Value.find((n) => n.Address === ip)?.Node ?? '';
}

/** Applies `?near=` to rows when given (only within this datacenter, as Consul does). */
export async function applyNear<T>(agent: AgentApi, ctx: ApiContext, rows: T[], nodeOf: (row: T) => string): Promise<T[]> {
  if (!ctx.query.get('near') || rows.length < 2) return rows;
  const dc = ctx.query.get('dc');
  if (dc && dc !== agent.datacenter) return rows;
  const source = await sourceNode(agent, ctx);
  if (!source) return rows;
  const reply = (await agent.rpc('Coordinate.ListNodes', { Query: { Mode: 'stale' } })) as { Value: Coordinate[] };
  const coords = new Map<string, Coord>();
  for (const c of reply.Value) if (c.Segment === '') coords.set(c.Node, c.Coord);
  const from = coords.get(source);
  if (!from) return rows;
  return sortByDistance(rows, nodeOf, from, coords);
}
