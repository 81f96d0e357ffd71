import { describe, expect, it } from 'vitest';
import { simDatacenter } from '../testing/sim-datacenter.ts';

describe('/v1/internal/ui', () => {
  it('serves the services summary, nodes, one node and the catalog overview', async () => {
    const dc = await simDatacenter(61);
    const reg = (node: string, id: string, status: string, extra: Record<string, unknown> = {}) =>
      dc.http('s1', '/v1/catalog/register', {
        method: 'PUT',
        body: JSON.stringify({
          Node: node,
          Address: '10.0.0.1',
          Service: { ID: id, Service: 'web', Tags: ['a', id], Port: 80, ...extra },
          Checks: [
            { CheckID: `svc-${id}`, Name: 'http', Status: status, ServiceID: id },
            { CheckID: 'node-ok', Name: 'disk', Status: 'passing' },
          ],
        }),
      });
    expect((await reg('n1', 'web-1', 'passing', { Meta: { 'external-source': 'nomad' } })).status).toBe(200);
    expect((await reg('n2', 'web-2', 'critical')).status).toBe(200);

    const services = (await (await dc.http('s1', '/v1/internal/ui/services')).json()) as Array<Record<string, unknown>>;
    const web = services.find((s) => s.Name === 'web');
    expect(web).toEqual({
      Name: 'web',
      Datacenter: 'dc1',
      Tags: ['a', 'web-1', 'web-2'],
      Nodes: ['n1', 'n2'],
      ExternalSources: ['nomad'],
      InstanceCount: 2,
      ChecksPassing: 3,
      ChecksWarning: 0,
      ChecksCritical: 1,
      GatewayConfig: {},
      TransparentProxy: false,
      ConnectNative: false,
      ConnectedWithProxy: false,
      ConnectedWithGateway: false,
    });
    expect(services.map((s) => s.Name)).toEqual([...services.map((s) => s.Name as string)].sort());

    const nodes = (await (await dc.http('s1', '/v1/internal/ui/nodes?filter=Node%20%3D%3D%20%22n1%22')).json()) as Array<Record<string, unknown>>;
    expect(nodes.length).toBe(1);
    expect(nodes[0]).toMatchObject({ Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1' });
    expect(nodes[0]?.Services).toHaveLength(1);
    expect(nodes[0]?.Checks).toHaveLength(2);

    const one = await dc.http('s1', '/v1/internal/ui/node/n2');
    expect(((await one.json()) as Record<string, unknown>).Node).toBe('n2');
    const missing = await dc.http('s1', '/v1/internal/ui/node/zzz');
    expect(missing.status).toBe(404);
    expect(Number(missing.headers.get('X-Consul-Index'))).toBeGreaterThan(0);

    const overview = (await (await dc.http('s1', '/v1/internal/ui/catalog-overview?stale')).json()) as Record<string, Array<Record<string, unknown>>>;
    expect(overview.Services?.find((s) => s.Name === 'web')).toEqual({ Name: 'web', Total: 2, Passing: 1, Warning: 0, Critical: 1 });
    expect(overview.Checks?.find((s) => s.Name === 'disk')).toEqual({ Name: 'disk', Total: 2, Passing: 2, Warning: 0, Critical: 0 });
    // n1, n2 and the server s1 (serfHealth) are all healthy nodes.
    expect(overview.Nodes).toEqual([{ Total: 3, Passing: 3, Warning: 0, Critical: 0 }]);
  });
});
