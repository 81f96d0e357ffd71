import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { compileFilter, FILTER_FIELDS } from '../filter/index.ts';
import { healthServiceNodes } from './catalog-read.ts';
import { nodeDump, nodeInfoOf, serviceSummaries } from './catalog-dump.ts';
import { rttSeconds, sortByNear } from './near.ts';

function cluster() {
  const h = new FsmHarness();
  for (const [Node, status] of [['n1', 'passing'], ['n2', 'critical'], ['n3', 'passing']] as const) {
    h.apply({ type: 'register', req: { Node, Address: `10.0.0.${Node[1]}`, Check: { CheckID: 'serfHealth', Status: status } } });
    h.apply({
      type: 'register',
      req: { Node, Address: '', SkipNodeUpdate: true, Service: { Service: 'web', Tags: [Node === 'n1' ? 'a' : 'b'], Meta: { 'external-source': 'nomad' } }, Check: { CheckID: 'http', ServiceID: 'web', Status: Node === 'n3' ? 'warning' : 'passing' } },
    });
  }
  h.apply({ type: 'register', req: { Node: 'n1', Address: '', SkipNodeUpdate: true, Service: { Service: 'db' } } });
  return h;
}

describe('UI catalog dumps', () => {
  it('node dump lists each node with its services and checks', () => {
    const h = cluster();
    const d = nodeDump(h.state).value;
    expect(d.map((n) => [n.Node, n.Services.map((s) => s.ID), n.Checks.map((c) => c.CheckID)])).toEqual([
      ['n1', ['db', 'web'], ['http', 'serfHealth']],
      ['n2', ['web'], ['http', 'serfHealth']],
      ['n3', ['web'], ['http', 'serfHealth']],
    ]);
    expect(nodeInfoOf(h.state, 'N2').value!.Address).toBe('10.0.0.2');
    expect(nodeInfoOf(h.state, 'zz').value).toBeNull();
  });

  it('service summaries count instances, nodes, tags, sources and checks', () => {
    const h = cluster();
    const [db, web] = serviceSummaries(h.state, 'dc1').value;
    expect(db).toMatchObject({ Name: 'db', InstanceCount: 1, Nodes: ['n1'], ChecksPassing: 1, ChecksCritical: 0 });
    expect(web).toMatchObject({
      Name: 'web', Datacenter: 'dc1', InstanceCount: 3, Tags: ['a', 'b'], Nodes: ['n1', 'n2', 'n3'], ExternalSources: ['nomad'],
      ChecksPassing: 4, ChecksWarning: 1, ChecksCritical: 1,
    });
  });
});

describe('near sorting', () => {
  it('RTT is the vector distance plus heights, adjusted when positive', () => {
    expect(rttSeconds({ Vec: [0, 0], Height: 0.001, Adjustment: 0, Error: 0 }, { Vec: [0.003, 0.004], Height: 0.001, Adjustment: 0, Error: 0 })).toBeCloseTo(0.007);
    expect(rttSeconds({ Vec: [0], Height: 0, Adjustment: -1, Error: 0 }, { Vec: [0.5], Height: 0, Adjustment: 0, Error: 0 })).toBeCloseTo(0.5);
  });

  it('sorts rows by distance from a node; nodes without coordinates last', () => {
    const h = cluster();
    const c = (x: number) => ({ Vec: [x, 0], Height: 0, Adjustment: 0, Error: 1 });
    h.apply({ type: 'coordinate-batch', updates: [{ Node: 'n1', Segment: '', Coord: c(0) }, { Node: 'n3', Segment: '', Coord: c(0.001) }] });
    const rows = healthServiceNodes(h.state, 'web').value;
    expect(sortByNear(h.state, 'n1', rows, (e) => e.Node.Node).map((e) => e.Node.Node)).toEqual(['n1', 'n3', 'n2']);
    expect(sortByNear(h.state, 'n3', rows, (e) => e.Node.Node).map((e) => e.Node.Node)).toEqual(['n3', 'n1', 'n2']);
    expect(sortByNear(h.state, 'n2', rows, (e) => e.Node.Node).map((e) => e.Node.Node)).toEqual(['n1', 'n2', 'n3']);
  });

  it('filters health entries by nested check status with the endpoint field set', () => {
    const h = cluster();
    const f = compileFilter('Checks.Status == critical or "a" in Service.Tags', { fields: FILTER_FIELDS.healthService });
    expect(f.filter(healthServiceNodes(h.state, 'web').value).map((e) => e.Node.Node)).toEqual(['n1', 'n2']);
  });
});
