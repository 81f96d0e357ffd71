import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../../../fsm/harness.ts';
import type { RegisterRequest } from '../../../state/catalog.ts';
import { summarizeServices } from '../../../http/ui-summary.ts';
import { nodeDump } from './internal.ts';

function reg(h: FsmHarness, req: Partial<RegisterRequest> & { Node: string }) {
  return h.apply({ type: 'register', req: { Address: '10.0.0.1', ...req } });
}

describe('Internal.NodeDump / NodeInfo', () => {
  it('returns every node with its services and checks, the tables’ index, and one node by name', () => {
    const h = new FsmHarness();
    reg(h, { Node: 'n1', Check: { CheckID: 'serfHealth', Name: 'Serf', Status: 'passing' } });
    reg(h, { Node: 'n2', Address: '10.0.0.2', Service: { ID: 'web-2', Service: 'web', Tags: ['v2'], Port: 80 }, Check: { CheckID: 'web-http', ServiceID: 'web-2', Status: 'critical', Output: 'refused' } });
    reg(h, { Node: 'n1', SkipNodeUpdate: true, Service: { ID: 'web-1', Service: 'web', Tags: ['v1'], Port: 80 } });

    const all = nodeDump(h.state, 'dc1');
    expect(all.value.map((n) => [n.Node, n.Datacenter, n.Services.map((s) => s.ID), n.Checks.map((c) => c.CheckID)])).toEqual([
      ['n1', 'dc1', ['web-1'], ['serfHealth']],
      ['n2', 'dc1', ['web-2'], ['web-http']],
    ]);
    expect(all.index).toBe(h.state.maxIndex('nodes', 'services', 'checks'));

    expect(nodeDump(h.state, 'dc1', 'N2').value.map((n) => n.Node)).toEqual(['n2']);
    expect(nodeDump(h.state, 'dc1', 'nope').value).toEqual([]);

    // The UI's services summary over the dump: node checks count for each instance on the node.
    const [web] = summarizeServices(all.value, 'dc1');
    expect(web).toMatchObject({ Name: 'web', InstanceCount: 2, Nodes: ['n1', 'n2'], Tags: ['v1', 'v2'], ChecksPassing: 1, ChecksCritical: 1 });
  });
});
