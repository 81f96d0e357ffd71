import { describe, expect, it } from 'vitest';
import { ApplyError } from '../fsm/fsm.ts';
import { FsmHarness } from '../fsm/harness.ts';
import type { RegisterRequest } from './catalog.ts';
import {
  aggregatedStatus,
  catalogNodes,
  catalogNodeServices,
  catalogServiceNodes,
  catalogServices,
  healthChecksInState,
  healthNodeChecks,
  healthServiceChecks,
  healthServiceNodes,
} from './catalog-read.ts';
import type { HealthCheck } from './types.ts';

function reg(h: FsmHarness, req: Partial<RegisterRequest> & { Node: string }) {
  return h.apply({ type: 'register', req: { Address: '10.0.0.1', ...req } });
}

/** Two nodes with serfHealth, web on both (tags differ), db on n2. */
function cluster() {
  const h = new FsmHarness();
  reg(h, { Node: 'n1', NodeMeta: { env: 'prod', rack: 'a' }, Check: { CheckID: 'serfHealth', Name: 'Serf', Status: 'passing' } });
  reg(h, { Node: 'n2', Address: '10.0.0.2', NodeMeta: { env: 'dev' }, Check: { CheckID: 'serfHealth', Name: 'Serf', Status: 'passing' } });
  // A register without SkipNodeUpdate rewrites the node (meta included), as in Consul.
  reg(h, { Node: 'n1', SkipNodeUpdate: true, Service: { Service: 'web', Tags: ['v1', 'primary'], Port: 80 }, Check: { CheckID: 'web-http', ServiceID: 'web', Status: 'passing' } });
  reg(h, { Node: 'n2', SkipNodeUpdate: true, Service: { Service: 'web', Tags: ['v2'], Port: 80 }, Check: { CheckID: 'web-http', ServiceID: 'web', Status: 'warning' } });
  reg(h, { Node: 'n2', SkipNodeUpdate: true, Service: { ID: 'db1', Service: 'db' } });
  return h;
}

describe('catalog register', () => {
  it('creates node rows with Consul field names and defaults', () => {
    const h = new FsmHarness();
    expect(reg(h, { Node: 'n1', ID: 'aaaa-1', Datacenter: 'dc1', TaggedAddresses: { lan: '10.0.0.1' } })).toBe(true);
    expect(catalogNodes(h.state).value).toEqual([
      { ID: 'aaaa-1', Node: 'n1', Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: { lan: '10.0.0.1' }, Meta: {}, CreateIndex: 1, ModifyIndex: 1 },
    ]);
  });

  it('re-registering identical data changes no index', () => {
    const h = cluster();
    const before = h.state.maxIndex('nodes', 'services', 'checks');
    reg(h, { Node: 'n1', NodeMeta: { env: 'prod', rack: 'a' }, Check: { CheckID: 'serfHealth', Name: 'Serf', Status: 'passing' } });
    reg(h, { Node: 'n1', NodeMeta: { env: 'prod', rack: 'a' }, Service: { Service: 'web', Tags: ['v1', 'primary'], Port: 80 } });
    expect(h.state.maxIndex('nodes', 'services', 'checks')).toBe(before);
  });

  it('SkipNodeUpdate leaves an existing node alone but creates a missing one', () => {
    const h = cluster();
    reg(h, { Node: 'n1', Address: '9.9.9.9', SkipNodeUpdate: true, Service: { Service: 'cache' } });
    expect(h.state.t.nodes.get('n1')!.Address).toBe('10.0.0.1');
    reg(h, { Node: 'n3', Address: '10.0.0.3', SkipNodeUpdate: true });
    expect(h.state.t.nodes.get('n3')!.Address).toBe('10.0.0.3');
  });

  const errors: Array<{ name: string; req: Partial<RegisterRequest> & { Node: string }; what: string }> = [
    { name: 'missing node name', req: { Node: '' }, what: 'Must provide node' },
    { name: 'missing address', req: { Node: 'x', Address: '' }, what: 'Must provide address if SkipNodeUpdate is not set' },
    { name: 'service without a name', req: { Node: 'x', Service: { Service: '' } }, what: 'Must provide service name' },
    { name: 'check for a missing service', req: { Node: 'x', Check: { CheckID: 'c', ServiceID: 'nope' } }, what: 'Missing service registration' },
    { name: 'bad check status', req: { Node: 'x', Check: { CheckID: 'c', Status: 'sick' } }, what: 'Invalid check status: "sick"' },
    { name: 'reserved service meta prefix', req: { Node: 'x', Service: { Service: 'web', Meta: { 'consul-x': '1' } } }, what: "Invalid Service Meta for node x and serviceID web: Key prefix 'consul-' is reserved for internal use" },
    { name: 'bad node meta key', req: { Node: 'x', NodeMeta: { 'a b': '1' } }, what: 'Invalid node metadata: Key contains invalid characters' },
    { name: 'check for another node', req: { Node: 'x', Check: { Node: 'y', CheckID: 'c' } }, what: 'check node "y" does not match node "x"' },
  ];
  for (const c of errors) {
    it(`rejects ${c.name} and writes nothing`, () => {
      const h = new FsmHarness();
      const r = reg(h, c.req);
      expect(r).toBeInstanceOf(ApplyError);
      expect((r as ApplyError).message).toBe(c.what);
      expect(h.state.t.nodes.size).toBe(0);
    });
  }

  it('a known node ID under a new name renames the node (old registration removed)', () => {
    const h = new FsmHarness();
    reg(h, { Node: 'old', ID: 'id-1', Service: { Service: 'web' }, Check: { CheckID: 'serfHealth', Status: 'passing' } });
    expect(reg(h, { Node: 'new', ID: 'id-1' })).toBe(true);
    expect(catalogNodes(h.state).value.map((n) => [n.Node, n.ID])).toEqual([['new', 'id-1']]);
    expect(catalogServiceNodes(h.state, 'web').value).toEqual([]);
  });

  it('a name held by another healthy node with a different ID is reserved', () => {
    const h = new FsmHarness();
    reg(h, { Node: 'a', ID: 'id-a', Check: { CheckID: 'serfHealth', Status: 'passing' } });
    reg(h, { Node: 'b', ID: 'id-b' });
    expect((reg(h, { Node: 'a', ID: 'id-b', Address: '10.9.9.9' }) as ApplyError).message).toBe(
      'Error while renaming Node ID: "id-b" (10.9.9.9): Node name a is reserved by node id-a with name a (10.0.0.1)',
    );
    expect((reg(h, { Node: 'a', ID: 'id-new' }) as ApplyError).message).toBe(
      'Error while renaming Node ID: "id-new": Node name a is reserved by node id-a with name a (10.0.0.1)',
    );
    reg(h, { Node: 'a', ID: 'id-a', SkipNodeUpdate: true, Check: { CheckID: 'serfHealth', Status: 'critical' } });
    expect(reg(h, { Node: 'a', ID: 'id-new' })).toBe(true);
    expect(h.state.t.nodes.get('a')!.ID).toBe('id-new');
  });

  it('checks default to critical, service checks carry ServiceName/ServiceTags', () => {
    const h = cluster();
    reg(h, { Node: 'n1', Check: { CheckID: 'disk', Name: 'Disk' } });
    const disk = h.state.t.checks.get('n1\u0000disk')!;
    expect(disk).toMatchObject({ Status: 'critical', ServiceID: '', ServiceName: '', ServiceTags: [] });
    expect(h.state.t.checks.get('n1\u0000web-http')).toMatchObject({ ServiceID: 'web', ServiceName: 'web', ServiceTags: ['v1', 'primary'] });
  });

  it('service IDs default to the name; weights default to 1/1', () => {
    const h = cluster();
    const svc = catalogNodeServices(h.state, 'n1').value!.Services.web!;
    expect(svc).toMatchObject({ ID: 'web', Service: 'web', Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false, Meta: {} });
  });

  it('node names are case-insensitive', () => {
    const h = cluster();
    expect(catalogNodeServices(h.state, 'N1').value!.Node.Node).toBe('n1');
  });
});

describe('catalog deregister', () => {
  it('a service removes its checks only', () => {
    const h = cluster();
    h.apply({ type: 'deregister', req: { Node: 'n1', ServiceID: 'web' } });
    expect(healthNodeChecks(h.state, 'n1').value.map((c) => c.CheckID)).toEqual(['serfHealth']);
    expect(catalogServiceNodes(h.state, 'web').value.map((s) => s.Node)).toEqual(['n2']);
  });

  it('a check only removes that check', () => {
    const h = cluster();
    h.apply({ type: 'deregister', req: { Node: 'n2', CheckID: 'web-http' } });
    expect(healthNodeChecks(h.state, 'n2').value.map((c) => c.CheckID)).toEqual(['serfHealth']);
    expect(catalogServiceNodes(h.state, 'web').value).toHaveLength(2);
  });

  it('a node removes its services, checks, coordinates and sessions', () => {
    const h = cluster();
    h.apply({ type: 'coordinate-batch', updates: [{ Node: 'n2', Segment: '', Coord: { Vec: [0, 0], Error: 1.5, Adjustment: 0, Height: 1e-5 } }] });
    h.apply({ type: 'session-create', session: { ID: 's', Node: 'n2', NodeChecks: ['serfHealth'] } });
    h.apply({ type: 'deregister', req: { Node: 'n2' } });
    expect(catalogNodes(h.state).value.map((n) => n.Node)).toEqual(['n1']);
    expect([...h.state.t.services.all()].map((r) => r.Node)).toEqual(['n1']);
    expect([...h.state.t.checks.all()].every((c) => c.Node === 'n1')).toBe(true);
    expect(h.state.t.coordinates.size).toBe(0);
    expect(h.state.t.sessions.size).toBe(0);
  });

  it('deregistering unknown things is a no-op', () => {
    const h = cluster();
    const before = h.state.maxIndex('nodes', 'services', 'checks');
    expect(h.apply({ type: 'deregister', req: { Node: 'ghost' } })).toBe(true);
    expect(h.apply({ type: 'deregister', req: { Node: 'n1', ServiceID: 'ghost' } })).toBe(true);
    expect(h.state.maxIndex('nodes', 'services', 'checks')).toBe(before);
  });
});

describe('catalog and health reads', () => {
  it('services listing: name -> sorted distinct tags, node-meta filtered', () => {
    const h = cluster();
    expect(catalogServices(h.state).value).toEqual({ db: [], web: ['primary', 'v1', 'v2'] });
    expect(catalogServices(h.state, { nodeMeta: { env: 'prod' } }).value).toEqual({ web: ['primary', 'v1'] });
  });

  it('catalog service rows join node and service', () => {
    const h = cluster();
    const rows = catalogServiceNodes(h.state, 'web').value;
    expect(rows.map((r) => [r.Node, r.Address, r.ServiceTags])).toEqual([
      ['n1', '10.0.0.1', ['v1', 'primary']],
      ['n2', '10.0.0.2', ['v2']],
    ]);
    expect(rows[0]).toMatchObject({ ServiceID: 'web', ServiceName: 'web', ServicePort: 80, NodeMeta: { env: 'prod', rack: 'a' }, ServiceWeights: { Passing: 1, Warning: 1 } });
    expect(catalogServiceNodes(h.state, 'nope').value).toEqual([]);
  });

  const healthCases: Array<{ name: string; f: Parameters<typeof healthServiceNodes>[2]; nodes: string[] }> = [
    { name: 'all instances', f: {}, nodes: ['n1', 'n2'] },
    { name: 'passing drops warning', f: { passing: true }, nodes: ['n1'] },
    { name: 'tag filter (case-insensitive)', f: { tags: ['V2'] }, nodes: ['n2'] },
    { name: 'several tags must all match', f: { tags: ['v1', 'primary'] }, nodes: ['n1'] },
    { name: 'node meta', f: { nodeMeta: { env: 'dev' } }, nodes: ['n2'] },
    { name: 'node meta mismatch', f: { nodeMeta: { env: 'dev', rack: 'a' } }, nodes: [] },
  ];
  for (const c of healthCases) {
    it(`health service: ${c.name}`, () => {
      const h = cluster();
      expect(healthServiceNodes(h.state, 'web', c.f).value.map((e) => e.Node.Node)).toEqual(c.nodes);
    });
  }

  it('health entries include node checks (serfHealth) and the service checks', () => {
    const h = cluster();
    const [e1] = healthServiceNodes(h.state, 'web').value;
    expect(e1!.Checks.map((c) => c.CheckID)).toEqual(['serfHealth', 'web-http']);
    expect(e1!.Service.ID).toBe('web');
    const db = healthServiceNodes(h.state, 'db').value[0]!;
    expect(db.Checks.map((c) => c.CheckID)).toEqual(['serfHealth']);
  });

  it('a critical node check fails every service on the node under passing', () => {
    const h = cluster();
    reg(h, { Node: 'n1', SkipNodeUpdate: true, Check: { CheckID: 'serfHealth', Name: 'Serf', Status: 'critical' } });
    expect(healthServiceNodes(h.state, 'web', { passing: true }).value).toEqual([]);
  });

  it('health state by status and any', () => {
    const h = cluster();
    const ids = (cs: HealthCheck[]) => cs.map((c) => `${c.Node}/${c.CheckID}`);
    expect(ids(healthChecksInState(h.state, 'passing').value)).toEqual(['n1/serfHealth', 'n1/web-http', 'n2/serfHealth']);
    expect(ids(healthChecksInState(h.state, 'warning').value)).toEqual(['n2/web-http']);
    expect(ids(healthChecksInState(h.state, 'critical').value)).toEqual([]);
    expect(healthChecksInState(h.state, 'any').value).toHaveLength(4);
    expect(ids(healthChecksInState(h.state, 'any', { nodeMeta: { env: 'dev' } }).value)).toEqual(['n2/serfHealth', 'n2/web-http']);
    expect(ids(healthServiceChecks(h.state, 'web').value)).toEqual(['n1/web-http', 'n2/web-http']);
  });

  it('the service index moves with its instances, checks and nodes only', () => {
    const h = cluster();
    const webIdx = () => healthServiceNodes(h.state, 'web').index;
    const dbIdx = () => healthServiceNodes(h.state, 'db').index;
    const [w0, d0] = [webIdx(), dbIdx()];
    reg(h, { Node: 'n1', SkipNodeUpdate: true, Service: { Service: 'web', Tags: ['v1', 'primary', 'new'], Port: 80 } });
    expect(webIdx()).toBe(h.index);
    expect(dbIdx()).toBe(d0);
    reg(h, { Node: 'n2', Address: '10.9.9.9', NodeMeta: { env: 'dev' } }); // node change: both services on n2
    expect(dbIdx()).toBe(h.index);
    expect(webIdx()).toBe(h.index);
    expect(w0).toBeLessThan(webIdx());
    h.apply({ type: 'deregister', req: { Node: 'n2', ServiceID: 'db1' } });
    expect(dbIdx()).toBe(h.index); // extinct service still reports its deletion index
  });

  it('services with no instances report the last extinction index; their index rows are dropped', () => {
    const h = cluster();
    h.apply({ type: 'deregister', req: { Node: 'n2', ServiceID: 'db1' } });
    const dbGone = h.index;
    expect(h.state.t.serviceIndexes.get('db')).toBeUndefined();
    expect(catalogServiceNodes(h.state, 'never-existed').index).toBe(dbGone);
    reg(h, { Node: 'n1', SkipNodeUpdate: true, Service: { Service: 'tmp' } });
    h.apply({ type: 'deregister', req: { Node: 'n1', ServiceID: 'tmp' } });
    expect(healthServiceNodes(h.state, 'db').index).toBe(h.index);
    expect(healthServiceNodes(h.state, 'web').index).toBeLessThan(h.index);
  });

  it('aggregated status: maintenance > critical > warning > passing', () => {
    const c = (CheckID: string, Status: HealthCheck['Status']) => ({ CheckID, Status }) as HealthCheck;
    expect(aggregatedStatus([])).toBe('passing');
    expect(aggregatedStatus([c('a', 'passing'), c('b', 'warning')])).toBe('warning');
    expect(aggregatedStatus([c('a', 'critical'), c('b', 'warning')])).toBe('critical');
    expect(aggregatedStatus([c('_node_maintenance', 'critical')])).toBe('maintenance');
    expect(aggregatedStatus([c('_service_maintenance:web', 'critical')])).toBe('maintenance');
  });
});
