import { describe, expect, it } from 'vitest';
import { Prng } from '../lib/prng.ts';
import type { DnsCatalog } from './catalog.ts';
import { NoPathToDatacenter } from './catalog.ts';
import type { DnsConfig } from './config.ts';
import { Flag, Rcode, RRType } from './constants.ts';
import { BIG_INSTANCES, fixtureCatalog } from './fixture.ts';
import { decodeMessage, type DnsMessage, encodeQuery } from './message.ts';
import { DnsResolver, type DnsResolverOptions, type DnsUpstream } from './resolver.ts';

function resolver(config: Partial<DnsConfig> = {}, extra: Partial<DnsResolverOptions> = {}) {
  return new DnsResolver({ catalog: fixtureCatalog(), random: new Prng(1), config, wallSeconds: () => 1_700_000_000, ...extra });
}

interface AskOptions {
  transport?: 'udp' | 'tcp';
  edns?: number;
  address?: string;
}

async function ask(r: DnsResolver, name: string, type: number, o: AskOptions = {}): Promise<DnsMessage> {
  const q = encodeQuery(name, type, { id: 4242, ...(o.edns ? { ednsUdpSize: o.edns } : {}) });
  const bytes = await r.handle(q, { transport: o.transport ?? 'udp', address: o.address ?? '127.0.0.1' });
  if (!bytes) throw new Error('dropped');
  const msg = decodeMessage(bytes);
  expect(msg.id).toBe(4242);
  return msg;
}

const data = (m: DnsMessage, section: 'answers' | 'additional' | 'authority' = 'answers') =>
  m[section].map((r) => ({ name: r.name, type: r.type, ttl: r.ttl, ...r.data }));
const addresses = (m: DnsMessage) => m.answers.map((r) => (r.data as { address: string }).address).sort();

describe('node lookups', () => {
  it('answers A with node meta TXT in additional, authoritative', async () => {
    const m = await ask(resolver(), 'foo.node.consul', RRType.A);
    expect(m.rcode).toBe(Rcode.NOERROR);
    expect(m.flags & Flag.AA).toBeTruthy();
    expect(m.flags & Flag.RA).toBe(0);
    expect(data(m)).toEqual([{ name: 'foo.node.consul.', type: RRType.A, ttl: 0, address: '10.0.0.1' }]);
    expect(data(m, 'additional').map((r) => ('texts' in r ? r.texts : []))).toEqual([['rack=r1'], ['plain text']]);
  });

  it('accepts a datacenter label, with or without .dc, and echoes the question case', async () => {
    const r = resolver();
    expect(addresses(await ask(r, 'foo.node.dc1.consul', RRType.A))).toEqual(['10.0.0.1']);
    expect(addresses(await ask(r, 'foo.node.dc1.dc.consul', RRType.A))).toEqual(['10.0.0.1']);
    const upper = await ask(r, 'FOO.Node.CONSUL', RRType.A);
    expect(upper.answers[0]?.name).toBe('FOO.Node.CONSUL.');
    expect(addresses(await ask(r, 'far.node.dc2.consul', RRType.A))).toEqual(['10.1.0.1']);
  });

  it('gives NXDOMAIN with the SOA for unknown nodes and unknown datacenters', async () => {
    for (const name of ['nope.node.consul', 'foo.node.dc9.consul', 'node.consul', 'a.b.c.consul']) {
      const m = await ask(resolver(), name, RRType.A);
      expect(m.rcode, name).toBe(Rcode.NXDOMAIN);
      expect(data(m, 'authority'), name).toEqual([
        {
          name: 'consul.',
          type: RRType.SOA,
          ttl: 0,
          mname: 'ns.consul.',
          rname: 'hostmaster.consul.',
          serial: 1_700_000_000,
          refresh: 3600,
          retry: 600,
          expire: 86400,
          minimum: 0,
        },
      ]);
    }
  });

  it('answers TXT and ANY with meta; other types get an empty NOERROR without SOA, as Consul', async () => {
    const r = resolver();
    const txt = await ask(r, 'foo.node.consul', RRType.TXT);
    expect(txt.answers.map((a) => a.data)).toEqual([{ texts: ['rack=r1'] }, { texts: ['plain text'] }]);
    const any = await ask(r, 'foo.node.consul', RRType.ANY);
    expect(any.answers.map((a) => a.type)).toEqual([RRType.A, RRType.TXT, RRType.TXT]);
    const aaaa = await ask(r, 'foo.node.consul', RRType.AAAA);
    expect([aaaa.rcode, aaaa.answers.length, aaaa.authority.length, aaaa.additional.length]).toEqual([Rcode.NOERROR, 0, 0, 2]);
    const srv = await ask(r, 'nope.node.consul', RRType.SRV);
    expect([srv.rcode, srv.answers.length, srv.authority.length]).toEqual([Rcode.NOERROR, 0, 0]);
  });

  it('answers AAAA for IPv6 nodes and CNAME for hostname addresses', async () => {
    const r = resolver({ nodeTtl: 30 });
    expect(data(await ask(r, 'six.node.consul', RRType.AAAA))).toEqual([{ name: 'six.node.consul.', type: RRType.AAAA, ttl: 30, address: '2001:db8::1' }]);
    expect(data(await ask(r, 'named.node.consul', RRType.A))).toEqual([{ name: 'named.node.consul.', type: RRType.CNAME, ttl: 30, target: 'host.example.com.' }]);
  });
});

describe('service lookups', () => {
  it('returns passing and warning instances, not critical ones', async () => {
    const r = resolver({ udpAnswerLimit: 8 });
    expect(addresses(await ask(r, 'web.service.consul', RRType.A))).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    const passing = resolver({ onlyPassing: true, udpAnswerLimit: 8 });
    expect(addresses(await ask(passing, 'web.service.consul', RRType.A))).toEqual(['10.0.0.1', '10.0.0.2']);
    expect((await ask(r, 'down.service.consul', RRType.A)).rcode).toBe(Rcode.NXDOMAIN);
    expect((await ask(r, 'nothing.service.consul', RRType.A)).rcode).toBe(Rcode.NXDOMAIN);
  });

  it('filters by tag, including RFC 2782 names', async () => {
    const r = resolver({ udpAnswerLimit: 8 });
    expect(addresses(await ask(r, 'primary.web.service.consul', RRType.A))).toEqual(['10.0.0.1']);
    expect(addresses(await ask(r, 'v1.web.service.dc1.consul', RRType.A))).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect((await ask(r, 'nope.web.service.consul', RRType.A)).rcode).toBe(Rcode.NXDOMAIN);
    const srv = (m: DnsMessage) => m.answers.map((a) => (a.data as { target: string }).target).sort();
    expect(srv(await ask(r, '_web._primary.service.consul', RRType.SRV))).toEqual(['foo.node.dc1.consul.']);
    expect(srv(await ask(r, '_web._tcp.service.consul', RRType.SRV))).toHaveLength(3);
    expect(srv(await ask(r, '_web._tcp.consul', RRType.SRV))).toHaveLength(3);
    expect(srv(await ask(r, '_web._tcp.dc1.consul', RRType.SRV))).toHaveLength(3);
  });

  it('answers SRV with node targets, weights, A and TXT additionals', async () => {
    const r = resolver({ udpAnswerLimit: 8 });
    const m = await ask(r, 'web.service.consul', RRType.SRV);
    const srv = m.answers.map((a) => a.data as { priority: number; weight: number; port: number; target: string });
    expect(srv.sort((a, b) => a.target.localeCompare(b.target))).toEqual([
      { priority: 1, weight: 1, port: 80, target: 'baz.node.dc1.consul.' },
      { priority: 1, weight: 10, port: 80, target: 'bar.node.dc1.consul.' },
      { priority: 1, weight: 10, port: 80, target: 'foo.node.dc1.consul.' },
    ].sort((a, b) => a.target.localeCompare(b.target)));
    const extraA = m.additional.filter((a) => a.type === RRType.A).map((a) => [a.name, (a.data as { address: string }).address]);
    expect(extraA.sort()).toEqual([
      ['bar.node.dc1.consul.', '10.0.0.2'],
      ['baz.node.dc1.consul.', '10.0.0.3'],
      ['foo.node.dc1.consul.', '10.0.0.1'],
    ]);
    expect(m.additional.filter((a) => a.type === RRType.TXT).map((a) => a.name)).toEqual(['foo.node.dc1.consul.', 'foo.node.dc1.consul.']);
  });

  it('targets <hex>.addr for an explicit service IP, which resolves back to it', async () => {
    const r = resolver();
    const m = await ask(r, 'db.service.consul', RRType.SRV);
    expect(data(m)).toEqual([{ name: 'db.service.consul.', type: RRType.SRV, ttl: 0, priority: 1, weight: 1, port: 5432, target: 'c000020a.addr.dc1.consul.' }]);
    expect(data(m, 'additional')[0]).toEqual({ name: 'c000020a.addr.dc1.consul.', type: RRType.A, ttl: 0, address: '192.0.2.10' });
    expect(addresses(await ask(r, 'c000020a.addr.dc1.consul', RRType.A))).toEqual(['192.0.2.10']);
    expect(addresses(await ask(r, 'db.service.consul', RRType.A))).toEqual(['192.0.2.10']);
  });

  it('handles IPv6 and hostname instances', async () => {
    const r = resolver();
    expect(addresses(await ask(r, 'api.service.consul', RRType.AAAA))).toEqual(['2001:db8::1']);
    const nodata = await ask(r, 'api.service.consul', RRType.A);
    expect([nodata.rcode, nodata.answers.length, nodata.authority[0]?.type]).toEqual([Rcode.NOERROR, 0, RRType.SOA]);
    expect(data(await ask(r, 'cache.service.consul', RRType.A))).toEqual([{ name: 'cache.service.consul.', type: RRType.CNAME, ttl: 0, target: 'host.example.com.' }]);
    const any = await ask(resolver(), 'web.service.consul', RRType.ANY);
    expect(any.answers.every((a) => a.type === RRType.A)).toBe(true);
  });

  it('applies service_ttl with exact, longest-prefix and * entries', async () => {
    const r = resolver({ serviceTtl: { '*': 5, 'w*': 7, 'we*': 9, db: 11 } });
    expect((await ask(r, 'web.service.consul', RRType.A)).answers[0]?.ttl).toBe(9);
    expect((await ask(r, 'db.service.consul', RRType.A)).answers[0]?.ttl).toBe(11);
    expect((await ask(r, 'api.service.consul', RRType.AAAA)).answers[0]?.ttl).toBe(5);
  });

  it('shuffles instance order with the injected randomness', async () => {
    const r = resolver({ udpAnswerLimit: 8 });
    const orders = new Set<string>();
    for (let i = 0; i < 60; i++) orders.add(JSON.stringify((await ask(r, 'web.service.consul', RRType.A)).answers.map((a) => a.data)));
    expect(orders.size).toBe(6);
    const a = await ask(resolver(), 'big.service.consul', RRType.A);
    const b = await ask(resolver(), 'big.service.consul', RRType.A);
    expect(a.answers).toEqual(b.answers); // same seed, same order
  });
});

describe('limits and truncation', () => {
  it('caps UDP answers at udp_answer_limit without EDNS, silently by default', async () => {
    const m = await ask(resolver(), 'big.service.consul', RRType.A);
    expect(m.answers).toHaveLength(3);
    expect(m.flags & Flag.TC).toBe(0);
    const t = await ask(resolver({ enableTruncate: true }), 'big.service.consul', RRType.A);
    expect(t.answers).toHaveLength(3);
    expect(t.flags & Flag.TC).toBeTruthy();
    expect((await ask(resolver({ udpAnswerLimit: 20 }), 'big.service.consul', RRType.A)).answers).toHaveLength(8);
  });

  it('uses the EDNS buffer size instead of the answer limit, and TCP for everything', async () => {
    const r = resolver({ enableTruncate: true });
    const edns = await ask(r, 'big.service.consul', RRType.A, { edns: 4096 });
    expect(edns.answers).toHaveLength(BIG_INSTANCES);
    expect(edns.ednsUdpSize).toBe(4096);
    expect(edns.flags & Flag.TC).toBe(0);
    const tcp = await ask(r, 'big.service.consul', RRType.SRV, { transport: 'tcp' });
    expect(tcp.answers).toHaveLength(BIG_INSTANCES);
    expect(tcp.additional.filter((a) => a.type === RRType.A)).toHaveLength(BIG_INSTANCES);
  });

  it('trims SRV answers to fit 512 bytes, keeping additionals in sync', async () => {
    const r = resolver({ udpAnswerLimit: 8, enableTruncate: true });
    const q = encodeQuery('big.service.consul', RRType.SRV, { id: 1 });
    const bytes = (await r.handle(q, { transport: 'udp' }))!;
    expect(bytes.length).toBeLessThanOrEqual(512);
    const m = decodeMessage(bytes);
    expect(m.answers.length).toBeGreaterThan(0);
    expect(m.answers.length).toBeLessThan(8);
    expect(m.flags & Flag.TC).toBeTruthy();
    const targets = new Set(m.answers.map((a) => (a.data as { target: string }).target));
    expect(new Set(m.additional.map((a) => a.name))).toEqual(targets);
    const small = await ask(r, 'big.service.consul', RRType.SRV, { edns: 1232 });
    expect(small.answers.length).toBeGreaterThan(8);
    expect(small.answers.length).toBeLessThan(BIG_INSTANCES);
  });

  it('counts node answer records against the UDP answer limit, as Consul trims any response', async () => {
    const catalog = fixtureCatalog();
    catalog.registerNode({ Node: 'meta', Address: '10.9.9.9', Datacenter: 'dc1', Meta: { a: '1', b: '2', c: '3', d: '4', e: '5' } });
    const r = new DnsResolver({ catalog, random: new Prng(1) });
    expect((await ask(r, 'meta.node.consul', RRType.ANY)).answers.map((a) => a.type)).toEqual([RRType.A, RRType.TXT, RRType.TXT]);
    expect((await ask(r, 'meta.node.consul', RRType.ANY, { transport: 'tcp' })).answers).toHaveLength(6);
    expect((await ask(r, 'meta.node.consul', RRType.TXT, { edns: 1232 })).answers).toHaveLength(5);
  });

  it('applies a_record_limit to address answers on every transport', async () => {
    const r = resolver({ aRecordLimit: 2 });
    expect((await ask(r, 'big.service.consul', RRType.A, { transport: 'tcp' })).answers).toHaveLength(2);
    expect((await ask(r, 'big.service.consul', RRType.SRV, { transport: 'tcp' })).answers).toHaveLength(BIG_INSTANCES);
  });
});

describe('prepared queries, addr, PTR, SOA, NS, alt domain', () => {
  it('executes prepared queries by name or ID, with TTL override and failover', async () => {
    const r = resolver({ udpAnswerLimit: 8 });
    expect(addresses(await ask(r, 'pq-web.query.consul', RRType.A))).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(addresses(await ask(r, '8f246b77-f3e1-ff88-5b48-8ec93abf3e05.query.consul', RRType.A))).toHaveLength(2);
    const geo = await ask(r, 'geo.query.consul', RRType.SRV);
    expect(data(geo)).toEqual([{ name: 'geo.query.consul.', type: RRType.SRV, ttl: 10, priority: 1, weight: 1, port: 9000, target: 'far.node.dc2.consul.' }]);
    expect((await ask(r, '_geo._tcp.query.consul', RRType.SRV)).answers).toHaveLength(1);
    expect((await ask(r, 'missing.query.consul', RRType.A)).rcode).toBe(Rcode.NXDOMAIN);
  });

  it('decodes addr names and rejects bad ones', async () => {
    const r = resolver();
    expect(addresses(await ask(r, '20010db8000000000000000000000001.addr.consul', RRType.AAAA))).toEqual(['2001:db8::1']);
    const other = await ask(r, 'c000020a.addr.consul', RRType.AAAA);
    expect([other.rcode, other.answers.length, other.additional.map((a) => a.data)]).toEqual([Rcode.NOERROR, 0, [{ address: '192.0.2.10' }]]);
    expect((await ask(r, 'zz00020a.addr.consul', RRType.A)).rcode).toBe(Rcode.NXDOMAIN);
    expect((await ask(r, 'c00002.addr.consul', RRType.A)).rcode).toBe(Rcode.NXDOMAIN);
  });

  it('answers PTR for node and service addresses using the primary domain', async () => {
    const r = resolver({ altDomain: 'alt.test' });
    expect(data(await ask(r, '1.0.0.10.in-addr.arpa', RRType.PTR))).toEqual([{ name: '1.0.0.10.in-addr.arpa.', type: RRType.PTR, ttl: 0, target: 'foo.node.dc1.consul.' }]);
    expect((await ask(r, '10.2.0.192.in-addr.arpa', RRType.PTR)).answers.map((a) => a.data)).toEqual([{ target: 'db.service.dc1.consul.' }]);
    const v6 = `${'1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2'}.ip6.arpa`;
    expect((await ask(r, v6, RRType.PTR)).answers.map((a) => a.data)).toEqual([{ target: 'six.node.dc1.consul.' }]);
    const nx = await ask(r, '9.9.9.9.in-addr.arpa', RRType.PTR);
    expect([nx.rcode, nx.authority[0]?.name]).toEqual([Rcode.NXDOMAIN, 'consul.']);
  });

  it('answers SOA and NS for the domain, with glue', async () => {
    const r = resolver({ soa: { refresh: 1, retry: 2, expire: 3, minTtl: 4 } });
    const soa = await ask(r, 'consul', RRType.SOA);
    expect(data(soa)).toEqual([
      { name: 'consul.', type: RRType.SOA, ttl: 4, mname: 'ns.consul.', rname: 'hostmaster.consul.', serial: 1_700_000_000, refresh: 1, retry: 2, expire: 3, minimum: 4 },
    ]);
    expect(soa.authority.map((a) => a.data)).toEqual([{ target: 'server1.node.dc1.consul.' }]);
    expect(soa.additional.map((a) => [a.name, a.data])).toEqual([['server1.node.dc1.consul.', { address: '10.0.0.10' }]]);
    const ns = await ask(r, 'consul', RRType.NS);
    expect(data(ns)).toEqual([{ name: 'consul.', type: RRType.NS, ttl: 0, target: 'server1.node.dc1.consul.' }]);
    expect(data(ns, 'additional')).toEqual([{ name: 'server1.node.dc1.consul.', type: RRType.A, ttl: 0, address: '10.0.0.10' }]);
    expect((await ask(r, 'consul', RRType.AXFR)).rcode).toBe(Rcode.NOTIMP);
  });

  it('serves the alt domain and names records in the domain asked', async () => {
    const r = resolver({ altDomain: 'cluster.local' });
    const m = await ask(r, 'web.service.cluster.local', RRType.SRV);
    expect(m.answers.every((a) => (a.data as { target: string }).target.endsWith('.node.dc1.cluster.local.'))).toBe(true);
    const nx = await ask(r, 'nope.node.cluster.local', RRType.A);
    expect(nx.authority[0]?.name).toBe('cluster.local.');
  });
});

describe('recursion, ACLs, bad input, caching', () => {
  const upstreamReply = (query: Uint8Array, rcode: number) => {
    const reply = query.slice();
    reply[2] = 0x81;
    reply[3] = 0x80 | rcode;
    return reply;
  };

  it('refuses outside names without recursors and forwards with them', async () => {
    expect((await ask(resolver(), 'example.com', RRType.A)).rcode).toBe(Rcode.REFUSED);
    const calls: string[] = [];
    const upstream: DnsUpstream = {
      async exchange(recursor, query) {
        calls.push(recursor);
        if (recursor === 'bad') return upstreamReply(query, Rcode.SERVFAIL);
        if (recursor === 'dead') throw new Error('timeout');
        return upstreamReply(query, Rcode.NXDOMAIN);
      },
    };
    const r = resolver({ recursors: ['dead', 'bad', 'good'] }, { upstream });
    const m = await ask(r, 'example.com', RRType.A);
    expect(m.rcode).toBe(Rcode.NXDOMAIN);
    expect(calls).toEqual(['dead', 'bad', 'good']);
    const failing = resolver({ recursors: ['dead'] }, { upstream });
    const sf = await ask(failing, 'example.com', RRType.A);
    expect(sf.rcode).toBe(Rcode.SERVFAIL);
    expect(sf.flags & Flag.RA).toBeTruthy();
    expect((await ask(failing, 'foo.node.consul', RRType.A)).flags & Flag.RA).toBeTruthy();
  });

  it('caps queries waiting on slow upstreams, still serving cached and local answers', async () => {
    const pending: Array<() => void> = [];
    const upstream: DnsUpstream = {
      exchange: (_r, query) => new Promise((resolve) => pending.push(() => resolve(upstreamReply(query, Rcode.NOERROR)))),
    };
    const r = resolver({ recursors: ['hung'] }, { upstream, maxInFlight: 2 });
    const q = (name: string) => r.handle(encodeQuery(name, RRType.A, { id: 1 }), { transport: 'udp' });
    const waiting = [q('a.example.com'), q('b.example.com')];
    const third = q('c.example.com');
    expect(third).toBeInstanceOf(Uint8Array);
    expect(decodeMessage(third as Uint8Array).rcode).toBe(Rcode.SERVFAIL);
    expect(r.stats).toMatchObject({ inFlight: 2, overloaded: 1 });
    expect(decodeMessage((await q('foo.node.consul'))!).rcode).toBe(Rcode.SERVFAIL); // a miss while saturated
    for (const release of pending) release();
    expect((await Promise.all(waiting)).map((b) => decodeMessage(b!).rcode)).toEqual([Rcode.NOERROR, Rcode.NOERROR]);
    expect(r.stats.inFlight).toBe(0);
    expect(decodeMessage((await q('foo.node.consul'))!).answers).toHaveLength(1);
  });

  it('hides nodes and services the ACL hook denies', async () => {
    const r = resolver({ udpAnswerLimit: 8 }, { canRead: (kind, name) => !(kind === 'node' && name === 'foo') && !(kind === 'service' && name === 'db') });
    expect((await ask(r, 'foo.node.consul', RRType.A)).rcode).toBe(Rcode.NXDOMAIN);
    expect((await ask(r, 'db.service.consul', RRType.A)).rcode).toBe(Rcode.NXDOMAIN);
    expect(addresses(await ask(r, 'web.service.consul', RRType.A))).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  it('drops non-queries, FORMERRs garbage, NOTIMPs other opcodes, BADVERS for EDNS > 0', async () => {
    const r = resolver();
    expect(r.handle(new Uint8Array(5), { transport: 'udp' })).toBeUndefined();
    const q = encodeQuery('foo.node.consul', RRType.A, { id: 9 });
    const response = q.slice();
    response[2]! |= 0x80;
    expect(r.handle(response, { transport: 'udp' })).toBeUndefined();
    const cut = decodeMessage((await r.handle(q.subarray(0, 20), { transport: 'udp' }))!);
    expect([cut.id, cut.rcode, cut.flags & Flag.QR]).toEqual([9, Rcode.FORMERR, Flag.QR]);
    const notify = q.slice();
    notify[2] = 0x20; // opcode 4
    expect(decodeMessage((await r.handle(notify, { transport: 'udp' }))!).rcode).toBe(Rcode.NOTIMP);
    const v1 = encodeQuery('foo.node.consul', RRType.A, { ednsUdpSize: 1232 });
    v1[v1.length - 5] = 1; // EDNS version 1
    expect(decodeMessage((await r.handle(v1, { transport: 'udp' }))!).rcode).toBe(16);
  });

  it('sees catalog changes through the index', async () => {
    const catalog = fixtureCatalog();
    const r = new DnsResolver({ catalog, random: new Prng(3), config: { udpAnswerLimit: 8 } });
    expect(addresses(await ask(r, 'web.service.consul', RRType.A))).toHaveLength(3);
    expect(addresses(await ask(r, 'web.service.consul', RRType.A))).toHaveLength(3);
    expect(r.stats.cacheHits).toBe(1);
    catalog.setCheck('dc1', 'bar', { CheckID: 'service:web', ServiceID: 'web', Status: 'critical' });
    expect(addresses(await ask(r, 'web.service.consul', RRType.A))).toEqual(['10.0.0.1', '10.0.0.3']);
  });

  it('works over an asynchronous catalog and maps its errors', async () => {
    const inner = fixtureCatalog();
    const failing = new Set<string>();
    const asyncCatalog: DnsCatalog = {
      datacenter: 'dc1',
      index: () => undefined,
      node: async (n, dc) => {
        if (failing.has(n)) throw new Error('rpc error');
        return inner.node(n, dc);
      },
      serviceInstances: async (s, t, dc) => inner.serviceInstances(s, t, dc),
      preparedQuery: async (q, dc) => inner.preparedQuery(q, dc),
      reverse: async (ip) => inner.reverse(ip),
      servers: async (dc) => {
        throw new NoPathToDatacenter(dc);
      },
    };
    const r = new DnsResolver({ catalog: asyncCatalog, random: new Prng(3) });
    expect(addresses(await ask(r, 'foo.node.consul', RRType.A))).toEqual(['10.0.0.1']);
    expect(addresses(await ask(r, 'db.service.consul', RRType.A))).toEqual(['192.0.2.10']);
    failing.add('foo');
    expect((await ask(r, 'foo.node.consul', RRType.A)).rcode).toBe(Rcode.SERVFAIL);
    expect((await ask(r, 'consul', RRType.NS)).rcode).toBe(Rcode.NXDOMAIN);
  });
});
