import { describe, expect, it } from 'vitest';
import type { Coord } from '../../state/types.ts';
import { sortByDistance } from '../near.ts';
import { simDatacenter } from '../testing/sim-datacenter.ts';

const coord = (x: number): Coord => ({ Vec: [x, 0, 0, 0, 0, 0, 0, 0], Error: 0.1, Adjustment: 0, Height: 0.0001 });

describe('?near= sorting', () => {
  it('orders by Vivaldi distance, unknown coordinates last in their original order', () => {
    const coords = new Map([['a', coord(0)], ['far', coord(0.5)], ['near', coord(0.01)]]);
    expect(sortByDistance(['x', 'far', 'y', 'near', 'a'], (n) => n, coord(0), coords)).toEqual(['a', 'near', 'far', 'x', 'y']);
  });
});

describe('/v1/coordinate', () => {
  it('collects agents’ coordinates through batched updates and serves them', async () => {
    const dc = await simDatacenter(41, ['c1', 'c2']);
    // Agents send every 1-2 s here (coordinateSyncMinMs), the leader flushes every 5 s.
    await dc.advance(9000);
    const nodes = await dc.http('c1', '/v1/coordinate/nodes');
    expect(nodes.status).toBe(200);
    const rows = (await nodes.json()) as Array<{ Node: string; Segment: string; Coord: Coord }>;
    expect(rows.map((r) => r.Node).sort()).toEqual(['c1', 'c2', 's1']);
    expect(rows[0]?.Coord.Vec).toHaveLength(8);
    expect(Number(nodes.headers.get('X-Consul-Index'))).toBeGreaterThan(1);
    expect(nodes.headers.get('X-Consul-KnownLeader')).toBe('true');
    expect(nodes.headers.get('X-Consul-Effective-Consistency')).toBe('leader');
    const stale = await dc.http('c1', '/v1/coordinate/nodes?stale');
    expect(stale.headers.get('X-Consul-Effective-Consistency')).toBe('stale');
    const consistent = await dc.http('c1', '/v1/coordinate/nodes?consistent');
    expect(consistent.headers.get('X-Consul-Effective-Consistency')).toBe('consistent');
    expect((await dc.http('c1', '/v1/coordinate/nodes?stale&consistent')).status).toBe(400);

    const one = await dc.http('s1', '/v1/coordinate/node/c2');
    expect(((await one.json()) as unknown[]).length).toBe(1);
    const missing = await dc.http('s1', '/v1/coordinate/node/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('X-Consul-Index')).not.toBeNull();

    const dcs = (await (await dc.http('s1', '/v1/coordinate/datacenters')).json()) as Array<Record<string, unknown>>;
    expect(dcs[0]).toMatchObject({ Datacenter: 'dc1', AreaID: 'WAN' });
    expect(((dcs[0] ?? {}).Coordinates as Array<{ Node: string }>).map((c) => c.Node)).toEqual(['s1.dc1']);

    // ?near=_agent puts the asking agent first.
    const near = (await (await dc.http('c2', '/v1/catalog/nodes?near=_agent')).json()) as Array<{ Node: string }>;
    expect(near[0]?.Node).toBe('c2');
    const nearS1 = (await (await dc.http('c2', '/v1/catalog/nodes?near=s1')).json()) as Array<{ Node: string }>;
    expect(nearS1[0]?.Node).toBe('s1');
  });

  it('accepts a manual update and refuses invalid coordinates', async () => {
    const dc = await simDatacenter(42);
    // A segment of its own, so the agent's periodic update of segment "" does not replace it.
    const body = { node: 's1', segment: 'alpha', coord: { Vec: [0.5, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 0.00001 } };
    const put = await dc.http('s1', '/v1/coordinate/update', { method: 'PUT', body: JSON.stringify(body) });
    expect(put.status).toBe(200);
    await dc.advance(6000);
    const rows = (await (await dc.http('s1', '/v1/coordinate/node/s1?segment=alpha')).json()) as Array<{ Coord: Coord }>;
    expect(rows.map((r) => r.Coord.Vec[0])).toEqual([0.5]);
    const bad = await dc.http('s1', '/v1/coordinate/update', { method: 'PUT', body: JSON.stringify({ Node: 's1', Coord: { Vec: [1, 2], Error: 1, Adjustment: 0, Height: 0 } }) });
    expect(bad.status).toBe(500);
    expect(await bad.text()).toBe('incompatible coordinate');
    const junk = await dc.http('s1', '/v1/coordinate/update', { method: 'PUT', body: '{' });
    expect(junk.status).toBe(400);
  });
});
