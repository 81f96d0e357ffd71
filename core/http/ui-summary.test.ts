import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../agent/server/endpoints/internal.ts';
import type { HealthCheck, NodeService } from '../state/types.ts';
import { summarizeServices } from './ui-summary.ts';

function svc(id: string, name: string, tags: string[], meta: Record<string, string> = {}): NodeService {
  return { ID: id, Service: name, Tags: tags, Meta: meta, Address: '', Port: 80 } as unknown as NodeService;
}
function check(id: string, serviceID: string, status: HealthCheck['Status']): HealthCheck {
  return { CheckID: id, ServiceID: serviceID, Status: status } as unknown as HealthCheck;
}
function node(name: string, services: NodeService[], checks: HealthCheck[]): NodeInfo {
  return { ID: '', Node: name, Address: '10.0.0.1', Datacenter: '', TaggedAddresses: {}, Meta: {}, Services: services, Checks: checks } as unknown as NodeInfo;
}

describe('summarizeServices', () => {
  it('counts instances, nodes, tags, sources and every instance’s checks (node checks per instance)', () => {
    const dump = [
      node('n1', [svc('web-1', 'web', ['v1']), svc('db', 'db', [], { 'external-source': 'kubernetes' })], [
        check('serfHealth', '', 'passing'),
        check('web-1-http', 'web-1', 'critical'),
      ]),
      node('n2', [svc('web-2', 'web', ['v1', 'v2'])], [check('serfHealth', '', 'warning'), check('web-2-http', 'web-2', 'passing')]),
    ];
    const rows = summarizeServices(dump, 'dc1');
    expect(rows.map((r) => r.Name)).toEqual(['db', 'web']);
    const [db, web] = rows;
    expect(web).toMatchObject({
      Datacenter: 'dc1',
      InstanceCount: 2,
      Nodes: ['n1', 'n2'],
      Tags: ['v1', 'v2'],
      ExternalSources: [],
      ChecksPassing: 2,
      ChecksWarning: 1,
      ChecksCritical: 1,
    });
    expect(db).toMatchObject({ InstanceCount: 1, ExternalSources: ['kubernetes'], ChecksPassing: 1, ChecksCritical: 0 });
    expect(summarizeServices([], 'dc1')).toEqual([]);
  });
});
