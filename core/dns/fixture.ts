/**
 * A populated in-memory catalog shared by the DNS unit tests, the server's integration and fuzz
 * tests and the benchmark: healthy, warning and critical instances, tags, an explicit service IP, a
 * hostname address, IPv6, node meta, a server for NS, a second datacenter and prepared queries.
 */
import { MemoryDnsCatalog } from './memory-catalog.ts';

/** Number of instances of the `big` service (enough to need trimming on every transport limit). */
export const BIG_INSTANCES = 40;

/** Builds the fixture catalog (datacenter dc1, plus dc2). */
export function fixtureCatalog(): MemoryDnsCatalog {
  const c = new MemoryDnsCatalog('dc1', ['dc2']);
  const node = (Node: string, Address: string, Meta: Record<string, string> = {}, dc = 'dc1') =>
    c.registerNode({ Node, Address, Datacenter: dc, TaggedAddresses: { lan: Address, wan: Address }, Meta });
  node('foo', '10.0.0.1', { rack: 'r1', 'rfc1035-note': 'plain text' });
  node('bar', '10.0.0.2');
  node('baz', '10.0.0.3');
  node('qux', '10.0.0.4');
  node('six', '2001:db8::1');
  node('named', 'host.example.com');
  c.registerNode({ Node: 'server1', Address: '10.0.0.10', Datacenter: 'dc1', Meta: {} }, { server: true });
  node('far', '10.1.0.1', {}, 'dc2');

  const web = (n: string, tags: string[]) =>
    c.registerService('dc1', n, { ID: 'web', Service: 'web', Tags: tags, Port: 80, Address: '', Weights: { Passing: 10, Warning: 1 } });
  web('foo', ['primary', 'v1']);
  web('bar', ['v1']);
  web('baz', ['v1']);
  web('qux', ['v1']);
  c.setCheck('dc1', 'baz', { CheckID: 'service:web', ServiceID: 'web', Status: 'warning' });
  c.setCheck('dc1', 'qux', { CheckID: 'serfHealth', Status: 'critical' });
  for (const n of ['foo', 'bar', 'baz', 'qux']) c.setCheck('dc1', n, { CheckID: n === 'qux' ? 'x' : 'serfHealth', Status: 'passing' });

  c.registerService('dc1', 'foo', { ID: 'db1', Service: 'db', Tags: [], Port: 5432, Address: '192.0.2.10' });
  c.registerService('dc1', 'named', { ID: 'cache', Service: 'cache', Tags: [], Port: 6379, Address: '' });
  c.registerService('dc1', 'six', { ID: 'api', Service: 'api', Tags: [], Port: 8080, Address: '' });
  c.registerService('dc1', 'bar', { ID: 'down', Service: 'down', Tags: [], Port: 1 });
  c.setCheck('dc1', 'bar', { CheckID: 'service:down', ServiceID: 'down', Status: 'critical' });
  c.registerService('dc2', 'far', { ID: 'remote', Service: 'remote', Tags: [], Port: 9000 });

  for (let i = 0; i < BIG_INSTANCES; i++) {
    node(`big-${i}`, `10.2.${i >> 8}.${i & 0xff}`, { index: String(i) });
    c.registerService('dc1', `big-${i}`, { ID: 'big', Service: 'big', Tags: [], Port: 7000 + i });
  }

  c.addPreparedQuery({ ID: '8f246b77-f3e1-ff88-5b48-8ec93abf3e05', Name: 'pq-web', Service: { Service: 'web', OnlyPassing: true } });
  c.addPreparedQuery({ ID: 'q2', Name: 'geo', Service: { Service: 'remote', Failover: { Datacenters: ['dc2'] } }, DNS: { TTL: '10s' } });
  return c;
}
