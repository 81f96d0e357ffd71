import { describe, expect, it } from 'vitest';
import { formatRfc3339 } from '../../lib/rfc3339.ts';
import { simDatacenter } from '../testing/sim-datacenter.ts';

describe('RFC 3339 formatting', () => {
  it('matches Go’s time.Time JSON', () => {
    expect(formatRfc3339(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatRfc3339(1_767_225_600_123)).toBe('2026-01-01T00:00:00.123Z');
    expect(formatRfc3339(951_782_400_000)).toBe('2000-02-29T00:00:00Z');
  });
});

describe('/v1/operator/autopilot', () => {
  it('reports health and state of a one-server datacenter', async () => {
    const dc = await simDatacenter(71);
    const health = await dc.http('s1', '/v1/operator/autopilot/health');
    expect(health.status).toBe(200);
    const h = (await health.json()) as { Healthy: boolean; FailureTolerance: number; Servers: Array<Record<string, unknown>> };
    expect(h.Healthy).toBe(true);
    expect(h.FailureTolerance).toBe(0);
    expect(h.Servers[0]).toMatchObject({ Name: 's1', Address: 's1:8300', SerfStatus: 'alive', Leader: true, Voter: true, Healthy: true, LastContact: '0s' });
    expect(String(h.Servers[0]?.StableSince)).toMatch(/^\d{4}-\d\d-\d\dT/);

    const state = (await (await dc.http('s1', '/v1/operator/autopilot/state')).json()) as Record<string, unknown>;
    const id = (state.Voters as string[])[0] as string;
    expect(state).toMatchObject({ Healthy: true, FailureTolerance: 0, OptimisticFailureTolerance: 0, Leader: id, Voters: [id] });
    expect((state.Servers as Record<string, Record<string, unknown>>)[id]).toMatchObject({ Name: 's1', Status: 'leader', NodeStatus: 'alive', ReadReplica: false, NodeType: 'voter' });
  });
});
