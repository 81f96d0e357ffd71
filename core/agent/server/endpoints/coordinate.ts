import { coordinates } from '../../../state/operator.ts';
import type { Coord, Coordinate } from '../../../state/types.ts';
import { type Endpoint, queryOf, str } from '../endpoint.ts';

/** Vivaldi's dimensionality (serf/coordinate DefaultConfig): updates must match it. */
const DIMENSIONALITY = 8;

/** Go's Coordinate.IsValid: every component finite. */
export function isValidCoord(c: unknown): c is Coord {
  if (!c || typeof c !== 'object') return false;
  const k = c as Record<string, unknown>;
  if (!Array.isArray(k.Vec)) return false;
  const nums = [...k.Vec, k.Error, k.Adjustment, k.Height];
  return nums.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/**
 * Coordinate.Update `{ Node, Segment, Coord }`: validated, then queued on the leader for the next
 * batch (not written at once, as in Consul). Runs on the leader: it is a write as far as routing goes.
 */
export const coordinateUpdate: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const coord = args.Coord;
    if (!isValidCoord(coord)) return respond('invalid coordinate');
    if (coord.Vec.length !== DIMENSIONALITY) return respond('incompatible coordinate');
    const node = str(args.Node);
    if (!node) return respond('Must provide node');
    ctx.queueCoordinate({ Node: node, Segment: str(args.Segment), Coord: coord });
    respond(undefined, true);
  },
};

/** Coordinate.ListNodes `{ Segment? }`: every node's coordinate, blocking on the coordinates table. */
export const coordinateListNodes: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const segment = typeof args.Segment === 'string' ? args.Segment : undefined;
    ctx.read(
      queryOf(args),
      () => {
        const r = coordinates(ctx.state);
        return segment === undefined ? r : { ...r, value: r.value.filter((c) => c.Segment === segment) };
      },
      respond,
    );
  },
};

/** Coordinate.Node `{ Node }`: one node's coordinates (one per segment). */
export const coordinateNode: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(queryOf(args), () => coordinates(ctx.state, str(args.Node)), respond);
  },
};

/**
 * Coordinate.ListDatacenters: per datacenter, the servers' coordinates. Without WAN federation
 * this is our own datacenter, with the coordinates of the Raft servers' catalog nodes, named
 * `<node>.<dc>` as WAN members are.
 */
export const coordinateListDatacenters: Endpoint = {
  kind: 'local',
  handle(ctx, _args, respond) {
    const serverIds = new Set(ctx.raft.servers().map((s) => s.id));
    const byNode = new Map<string, Coordinate>();
    for (const c of coordinates(ctx.state).value) if (c.Segment === '') byNode.set(c.Node, c);
    const out: Array<{ Node: string; Coord: Coord }> = [];
    for (const node of ctx.state.t.nodes.all()) {
      const c = byNode.get(node.Node);
      if (c && serverIds.has(node.ID)) out.push({ Node: `${node.Node}.${ctx.datacenter}`, Coord: c.Coord });
    }
    respond(undefined, [{ Datacenter: ctx.datacenter, AreaID: 'WAN', Coordinates: out }]);
  },
};

