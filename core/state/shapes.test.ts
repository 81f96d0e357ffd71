import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { catalogServiceNodes, healthServiceNodes } from './catalog-read.ts';
import { kvGet } from './kv.ts';
import { sessionGet } from './sessions.ts';

/** Rows carry exactly Consul's JSON field names (consul-behaviour.md §1.4), in Consul's casing. */
describe('row shapes', () => {
  const h = new FsmHarness();
  h.apply({
    type: 'register',
    req: {
      ID: '40e4a748-2192-161a-0510-9bf59fe950b5',
      Node: 'foobar',
      Address: '10.1.10.12',
      Datacenter: 'dc1',
      TaggedAddresses: { lan: '10.1.10.12', wan: '10.1.10.12' },
      NodeMeta: { instance_type: 't2.medium' },
      Service: { ID: 'redis1', Service: 'redis', Tags: ['primary'], Port: 8000, TaggedAddresses: { lan: { address: '10.1.10.12', port: 8000 } } },
      Checks: [
        { CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing' },
        { CheckID: 'service:redis1', Name: "Service 'redis' check", ServiceID: 'redis1', Status: 'passing', Type: 'ttl' },
      ],
    },
  });
  h.apply({ type: 'session-create', session: { ID: 'adf4238a-882b-9ddc-4a9d-5b6758e4159e', Node: 'foobar', NodeChecks: ['serfHealth'], LockDelay: 15e9 } });
  h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'foo/bar', Value: new TextEncoder().encode('hey') }, session: 'adf4238a-882b-9ddc-4a9d-5b6758e4159e' });
  const keys = (o: object) => Object.keys(o).sort();

  it('Node', () => {
    expect(keys(healthServiceNodes(h.state, 'redis').value[0]!.Node)).toEqual(
      ['Address', 'CreateIndex', 'Datacenter', 'ID', 'Meta', 'ModifyIndex', 'Node', 'TaggedAddresses'],
    );
  });

  it('NodeService (with optional TaggedAddresses, lower-case address/port inside)', () => {
    const svc = healthServiceNodes(h.state, 'redis').value[0]!.Service;
    expect(keys(svc)).toEqual(['Address', 'CreateIndex', 'EnableTagOverride', 'ID', 'Meta', 'ModifyIndex', 'Port', 'Service', 'TaggedAddresses', 'Tags', 'Weights']);
    expect(svc.TaggedAddresses).toEqual({ lan: { address: '10.1.10.12', port: 8000 } });
  });

  it('HealthCheck', () => {
    expect(keys(healthServiceNodes(h.state, 'redis').value[0]!.Checks[1]!)).toEqual([
      'CheckID', 'CreateIndex', 'Definition', 'ExposedPort', 'Interval', 'ModifyIndex', 'Name', 'Node', 'Notes', 'Output',
      'ServiceID', 'ServiceName', 'ServiceTags', 'Status', 'Timeout', 'Type',
    ]);
  });

  it('CatalogService', () => {
    expect(keys(catalogServiceNodes(h.state, 'redis').value[0]!)).toEqual([
      'Address', 'CreateIndex', 'Datacenter', 'ID', 'ModifyIndex', 'Node', 'NodeMeta', 'ServiceAddress', 'ServiceConnect',
      'ServiceEnableTagOverride', 'ServiceID', 'ServiceKind', 'ServiceMeta', 'ServiceName', 'ServicePort', 'ServiceProxy',
      'ServiceSocketPath', 'ServiceTaggedAddresses', 'ServiceTags', 'ServiceWeights', 'TaggedAddresses',
    ]);
  });

  it('Session (Checks omitted when only serfHealth)', () => {
    expect(keys(sessionGet(h.state, 'adf4238a-882b-9ddc-4a9d-5b6758e4159e').value!)).toEqual(
      ['Behavior', 'CreateIndex', 'ID', 'LockDelay', 'ModifyIndex', 'Name', 'Node', 'NodeChecks', 'ServiceChecks', 'TTL'],
    );
  });

  it('KVEntry', () => {
    const e = kvGet(h.state, 'foo/bar').value!;
    expect(keys(e)).toEqual(['CreateIndex', 'Flags', 'Key', 'LockIndex', 'ModifyIndex', 'Session', 'Value']);
    expect(e).toMatchObject({ LockIndex: 1, Key: 'foo/bar', Flags: 0n, Session: 'adf4238a-882b-9ddc-4a9d-5b6758e4159e' });
  });
});
