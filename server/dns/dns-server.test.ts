import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsCatalog } from '../../core/dns/catalog.ts';
import type { DnsConfig } from '../../core/dns/config.ts';
import { Rcode, RRType } from '../../core/dns/constants.ts';
import { BIG_INSTANCES, fixtureCatalog } from '../../core/dns/fixture.ts';
import { decodeMessage, encodeQuery } from '../../core/dns/message.ts';
import { DnsResolver } from '../../core/dns/resolver.ts';
import { Prng } from '../../core/lib/prng.ts';
import { DnsServer, type DnsServerOptions } from './dns-server.ts';
import { dig, startUpstream, tcpExchange, udpExchange } from './test-helpers.ts';
import { SocketUpstream } from './socket-upstream.ts';

const servers: DnsServer[] = [];

async function serve(config: Partial<DnsConfig> = {}, catalog: DnsCatalog = fixtureCatalog(), extra: Partial<DnsServerOptions> = {}) {
  const resolver = new DnsResolver({ catalog, random: new Prng(7), config, upstream: new SocketUpstream(), wallSeconds: () => 1_700_000_000 });
  const server = new DnsServer({ resolver, port: 0, ...extra });
  servers.push(server);
  return server.start();
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const lines = (s: string) => s.trim().split('\n').filter(Boolean).sort();

describe('DNS server answers dig', () => {
  let port = 0;
  beforeAll(async () => {
    port = await serve({ altDomain: 'alt.test' });
  });

  it('node lookups: A, TXT, AAAA, CNAME, datacenter forms', async () => {
    expect(lines(await dig(port, 'foo.node.consul', 'A', '+short'))).toEqual(['10.0.0.1']);
    expect(lines(await dig(port, 'foo.node.dc1.consul', 'TXT', '+short'))).toEqual(['"plain text"', '"rack=r1"']);
    expect(lines(await dig(port, 'six.node.consul', 'AAAA', '+short'))).toEqual(['2001:db8::1']);
    expect(lines(await dig(port, 'named.node.consul', 'A', '+short'))).toEqual(['host.example.com.']);
    expect(lines(await dig(port, 'far.node.dc2.dc.consul', 'A', '+short'))).toEqual(['10.1.0.1']);
  });

  it('service lookups: A with health filtering, tags, SRV and RFC 2782', async () => {
    expect(lines(await dig(port, 'web.service.consul', 'A', '+short'))).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(lines(await dig(port, 'primary.web.service.consul', 'A', '+short'))).toEqual(['10.0.0.1']);
    expect(lines(await dig(port, 'web.service.consul', 'SRV', '+short'))).toEqual([
      '1 1 80 baz.node.dc1.consul.',
      '1 10 80 bar.node.dc1.consul.',
      '1 10 80 foo.node.dc1.consul.',
    ]);
    expect(lines(await dig(port, '_web._v1.service.consul', 'SRV', '+short'))).toHaveLength(3);
    const full = await dig(port, '_db._tcp.service.dc1.consul', 'SRV');
    expect(full).toMatch(/_db\._tcp\.service\.dc1\.consul\.\s+0\s+IN\s+SRV\s+1 1 5432 c000020a\.addr\.dc1\.consul\./);
    expect(full).toMatch(/c000020a\.addr\.dc1\.consul\.\s+0\s+IN\s+A\s+192\.0\.2\.10/);
    expect(await dig(port, 'down.service.consul', 'A')).toContain('status: NXDOMAIN');
  });

  it('prepared queries, addr, PTR, SOA, NS, ANY and the alt domain', async () => {
    expect(lines(await dig(port, 'pq-web.query.consul', 'A', '+short'))).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(lines(await dig(port, 'geo.query.consul', 'SRV', '+short'))).toEqual(['1 1 9000 far.node.dc2.consul.']);
    expect(lines(await dig(port, 'c000020a.addr.dc1.consul', 'A', '+short'))).toEqual(['192.0.2.10']);
    expect(lines(await dig(port, '-x', '10.0.0.1', '+short'))).toEqual(['foo.node.dc1.consul.']);
    expect(lines(await dig(port, '-x', '2001:db8::1', '+short'))).toEqual(['six.node.dc1.consul.']);
    expect(lines(await dig(port, 'consul', 'SOA', '+short'))).toEqual(['ns.consul. hostmaster.consul. 1700000000 3600 600 86400 0']);
    expect(lines(await dig(port, 'consul', 'NS', '+short'))).toEqual(['server1.node.dc1.consul.']);
    expect(lines(await dig(port, 'foo.node.consul', 'ANY', '+short'))).toEqual(['"plain text"', '"rack=r1"', '10.0.0.1']);
    expect(lines(await dig(port, 'web.service.alt.test', 'SRV', '+short'))[0]).toMatch(/\.node\.dc1\.alt\.test\.$/);
  });

  it('negative answers: NXDOMAIN and NODATA carry the SOA, outside names are REFUSED', async () => {
    const nx = await dig(port, 'nope.node.consul', 'A');
    expect(nx).toContain('status: NXDOMAIN');
    expect(nx).toMatch(/AUTHORITY SECTION:\nconsul\.\s+0\s+IN\s+SOA\s+ns\.consul\. hostmaster\.consul\./);
    const nodata = await dig(port, 'api.service.consul', 'A');
    expect(nodata).toContain('status: NOERROR');
    expect(nodata).toContain('ANSWER: 0, AUTHORITY: 1');
    expect(await dig(port, 'example.com', 'A')).toContain('status: REFUSED');
    expect(await dig(port, 'consul', 'AXFR', '+notcp')).toMatch(/NOTIMP|Transfer failed/);
  });

  it('caps UDP at 3 answers silently; TCP and EDNS carry all', async () => {
    const udp = await dig(port, 'big.service.consul', 'A', '+noedns', '+ignore');
    expect(udp).toContain('ANSWER: 3,');
    expect(udp).not.toMatch(/flags:[^;]* tc/);
    expect(lines(await dig(port, 'big.service.consul', 'A', '+tcp', '+short'))).toHaveLength(BIG_INSTANCES);
    expect(lines(await dig(port, 'big.service.consul', 'SRV', '+tcp', '+short'))).toHaveLength(BIG_INSTANCES);
    expect(lines(await dig(port, 'big.service.consul', 'A', '+bufsize=4096', '+short'))).toHaveLength(BIG_INSTANCES);
  });
});

describe('DNS server answers a DNS client library (node:dns, c-ares)', () => {
  let client: Resolver;
  beforeAll(async () => {
    const port = await serve({ enableTruncate: true });
    client = new Resolver({ timeout: 2000, tries: 1 });
    client.setServers([`127.0.0.1:${port}`]);
  });

  it('resolves every record type', async () => {
    expect(await client.resolve4('foo.node.consul')).toEqual(['10.0.0.1']);
    expect(await client.resolve6('six.node.consul')).toEqual(['2001:db8::1']);
    expect(await client.resolveCname('cache.service.consul')).toEqual(['host.example.com']);
    expect((await client.resolveTxt('foo.node.consul')).sort()).toEqual([['plain text'], ['rack=r1']]);
    const srv = await client.resolveSrv('web.service.consul');
    expect(srv.map((s) => `${s.priority} ${s.weight} ${s.port} ${s.name}`).sort()).toEqual([
      '1 1 80 baz.node.dc1.consul',
      '1 10 80 bar.node.dc1.consul',
      '1 10 80 foo.node.dc1.consul',
    ]);
    expect(await client.reverse('192.0.2.10')).toEqual(['db.service.dc1.consul']);
    expect(await client.resolveNs('consul')).toEqual(['server1.node.dc1.consul']);
    expect((await client.resolveSoa('consul')).hostmaster).toBe('hostmaster.consul');
    await expect(client.resolve4('nope.service.consul')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('retries over TCP after a truncated UDP answer and gets everything', async () => {
    expect(await client.resolveSrv('big.service.consul')).toHaveLength(BIG_INSTANCES);
    expect(await client.resolve4('big.service.consul')).toHaveLength(BIG_INSTANCES);
  });
});

describe('truncation with enable_truncate', () => {
  it('sets TC on UDP so dig retries over TCP', async () => {
    const port = await serve({ enableTruncate: true });
    const udp = await dig(port, 'big.service.consul', 'A', '+noedns', '+ignore');
    expect(udp).toMatch(/flags: qr aa rd tc;|flags: qr tc aa rd;|flags:[^;]*\btc\b/);
    expect(udp).toContain('ANSWER: 3,');
    const retried = await dig(port, 'big.service.consul', 'A', '+noedns');
    expect(retried).toContain('Truncated, retrying in TCP mode');
    expect(retried).toContain(`ANSWER: ${BIG_INSTANCES},`);
  });

  it('answers length-framed pipelined queries over one TCP connection', async () => {
    const port = await serve();
    const queries = [1, 2, 3].map((id) => encodeQuery('big.service.consul', RRType.SRV, { id }));
    const replies = (await tcpExchange(port, queries)).map((b) => decodeMessage(b));
    expect(replies.map((m) => m.id).sort()).toEqual([1, 2, 3]);
    expect(replies.every((m) => m.answers.length === BIG_INSTANCES)).toBe(true);
  });
});

describe('recursion to a loopback upstream', () => {
  it('forwards outside names over the client\'s transport, passes NXDOMAIN through, skips a recursor that times out, SERVFAILs when all fail', async () => {
    const upstream = await startUpstream({ 'example.com.': '93.184.216.34' });
    const silent = createSocket('udp4');
    try {
      // A recursor that never answers. It stays bound for the whole test, so no other socket (our
      // own servers on port 0 included) can take its port and answer in its place.
      await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
      const deadPort = silent.address().port;
      const port = await serve({ recursors: [`127.0.0.1:${deadPort}`, `127.0.0.1:${upstream.port}`], recursorTimeoutMs: 300 });
      const answer = await dig(port, 'example.com', 'A');
      expect(answer).toContain('status: NOERROR');
      expect(answer).toMatch(/flags:[^;]*\bra\b/);
      expect(lines(await dig(port, 'example.com', 'A', '+short'))).toEqual(['93.184.216.34']);
      expect(await dig(port, 'missing.example.org', 'A')).toContain('status: NXDOMAIN');
      expect(lines(await dig(port, 'foo.node.consul', 'A', '+short'))).toEqual(['10.0.0.1']);
      expect(upstream.udpQueries()).toBe(3);
      expect(lines(await dig(port, 'example.com', 'A', '+tcp', '+short'))).toEqual(['93.184.216.34']);
      expect(upstream.tcpQueries()).toBe(1);
      const allDead = await serve({ recursors: [`127.0.0.1:${deadPort}`], recursorTimeoutMs: 300 });
      expect(await dig(allDead, 'example.com', 'A')).toContain('status: SERVFAIL');
    } finally {
      silent.close();
      await upstream.close();
    }
  });
});

describe('isolation', () => {
  it('a slow remote read does not block other queries', async () => {
    const inner = fixtureCatalog();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const catalog: DnsCatalog = {
      datacenter: 'dc1',
      index: (dc) => (dc === 'dc1' ? inner.index(dc) : undefined),
      node: (n, dc) => (dc === 'dc2' ? gate.then(() => inner.node(n, dc)) : inner.node(n, dc)),
      serviceInstances: (s, t, dc) => inner.serviceInstances(s, t, dc),
      preparedQuery: (q, dc) => inner.preparedQuery(q, dc),
      reverse: (ip) => inner.reverse(ip),
      servers: (dc) => inner.servers(dc),
    };
    const port = await serve({}, catalog);
    const slow = udpExchange(port, encodeQuery('far.node.dc2.consul', RRType.A, { id: 1 }), 5000);
    const fast = await udpExchange(port, encodeQuery('foo.node.consul', RRType.A, { id: 2 }));
    expect(decodeMessage(fast!).answers).toHaveLength(1);
    release();
    const late = decodeMessage((await slow)!);
    expect([late.id, late.rcode, late.answers.length]).toEqual([1, Rcode.NOERROR, 1]);
  });

  it('closes TCP connections over the limit and idle ones', async () => {
    const port = await serve({}, fixtureCatalog(), { maxTcpConnections: 2, tcpIdleTimeoutMs: 300 });
    const closed = (s: ReturnType<typeof connect>) => new Promise<void>((r) => s.on('close', () => r()));
    const a = connect(port, '127.0.0.1');
    const b = connect(port, '127.0.0.1');
    await Promise.all([new Promise((r) => a.on('connect', r)), new Promise((r) => b.on('connect', r))]);
    await new Promise((r) => setTimeout(r, 50));
    const c = connect(port, '127.0.0.1');
    c.on('error', () => {});
    await closed(c); // over the limit
    await Promise.all([closed(a), closed(b)]); // idle timeout
  });
});
