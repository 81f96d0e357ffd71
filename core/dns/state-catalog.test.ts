import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { Prng } from '../lib/prng.ts';
import { Rcode, RRType } from './constants.ts';
import { MemoryDnsCatalog } from './memory-catalog.ts';
import { decodeMessage, encodeQuery } from './message.ts';
import { DnsResolver } from './resolver.ts';
import { StateDnsCatalog } from './state-catalog.ts';

function cluster() {
  const h = new FsmHarness();
  const reg = (req: Record<string, unknown>) => h.apply({ type: 'register', req: { Datacenter: 'dc1', ...req } as never });
  reg({ Node: 's1', Address: '10.0.0.9', Service: { Service: 'consul', Port: 8300 }, Check: { CheckID: 'serfHealth', Name: 'Serf', Status: 'passing' } });
  reg({ Node: 'n1', Address: '10.0.0.1', NodeMeta: { rack: 'a' }, Check: { CheckID: 'serfHealth', Name: 'Serf', Status: 'passing' } });
  reg({ Node: 'n2', Address: '10.0.0.2', Check: { CheckID: 'serfHealth', Name: 'Serf', Status: 'passing' } });
  reg({ Node: 'n1', SkipNodeUpdate: true, Service: { Service: 'web', Tags: ['v1'], Port: 80 }, Check: { CheckID: 'web-http', ServiceID: 'web', Status: 'passing' } });
  reg({ Node: 'n2', SkipNodeUpdate: true, Service: { Service: 'web', Tags: ['v2'], Port: 81 }, Check: { CheckID: 'web-http', ServiceID: 'web', Status: 'warning' } });
  h.apply({ type: 'prepared-query-set', query: { ID: 'q-1', Name: 'web-v1', Session: '', Token: '', Service: { Service: 'web', Tags: ['!v2'] }, DNS: { TTL: '30s' } } });
  h.apply({ type: 'prepared-query-set', query: { ID: 'q-2', Name: 'failover', Session: '', Token: '', Service: { Service: 'api', Failover: { Datacenters: ['dc2'] } }, DNS: { TTL: '' } } });
  return h;
}

async function ask(r: DnsResolver, name: string, type: number) {
  return decodeMessage((await r.handle(encodeQuery(name, type), { transport: 'udp' }))!);
}

describe('StateDnsCatalog over the real state store', () => {
  it('serves nodes, healthy services, prepared queries, PTR and NS, and follows writes', async () => {
    const h = cluster();
    const dc2 = new MemoryDnsCatalog('dc2');
    dc2.registerNode({ Node: 'far', Address: '10.9.0.1', Datacenter: 'dc2' });
    dc2.registerService('dc2', 'far', { ID: 'api', Service: 'api', Port: 9 });
    const catalog = new StateDnsCatalog({ datacenter: 'dc1', state: h.state, random: new Prng(1), remote: (dc) => (dc === 'dc2' ? dc2 : undefined) });
    const r = new DnsResolver({ catalog, random: new Prng(2) });
    const addrs = (m: ReturnType<typeof decodeMessage>) => m.answers.map((a) => (a.data as { address?: string; target?: string }).address ?? (a.data as { target: string }).target).sort();
    expect(addrs(await ask(r, 'n1.node.consul', RRType.A))).toEqual(['10.0.0.1']);
    expect(addrs(await ask(r, 'web.service.consul', RRType.A))).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(addrs(await ask(r, 'v2.web.service.consul', RRType.A))).toEqual(['10.0.0.2']);
    const pq = await ask(r, 'web-v1.query.consul', RRType.SRV);
    expect(pq.answers.map((a) => [a.ttl, a.data])).toEqual([[30, { priority: 1, weight: 1, port: 80, target: 'n1.node.dc1.consul.' }]]);
    expect(addrs(await ask(r, 'failover.query.consul', RRType.SRV))).toEqual(['far.node.dc2.consul.']);
    expect(addrs(await ask(r, 'far.node.dc2.consul', RRType.A))).toEqual(['10.9.0.1']);
    expect((await ask(r, 'n1.node.dc3.consul', RRType.A)).rcode).toBe(Rcode.NXDOMAIN);
    expect(addrs(await ask(r, '2.0.0.10.in-addr.arpa', RRType.PTR))).toEqual(['n2.node.dc1.consul.']);
    expect(addrs(await ask(r, 'consul', RRType.NS))).toEqual(['s1.node.dc1.consul.']);
    h.apply({ type: 'register', req: { Node: 'n2', SkipNodeUpdate: true, Check: { CheckID: 'web-http', ServiceID: 'web', Status: 'critical' } } as never });
    expect(addrs(await ask(r, 'web.service.consul', RRType.A))).toEqual(['10.0.0.1']);
  });
});
