/**
 * Fuzz: 100,000 random, mutated and hand-crafted hostile packets at the real UDP server, hostile
 * frames at the TCP server, then checks that it still answers correctly. Seeded, so a failure
 * replays with the same seed (DNS_FUZZ_SEED).
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Flag, Rcode, RRType } from '../../core/dns/constants.ts';
import { fixtureCatalog } from '../../core/dns/fixture.ts';
import { decodeMessage, encodeQuery } from '../../core/dns/message.ts';
import { DnsResolver } from '../../core/dns/resolver.ts';
import { Prng } from '../../core/lib/prng.ts';
import { DnsServer } from './dns-server.ts';
import { tcpExchange, udpExchange } from './test-helpers.ts';

const SEED = Number(process.env.DNS_FUZZ_SEED ?? 8600);
const PACKETS = 100_000;

const seeds = [
  encodeQuery('web.service.consul', RRType.SRV),
  encodeQuery('foo.node.dc1.consul', RRType.ANY, { ednsUdpSize: 4096 }),
  encodeQuery('_web._tcp.service.consul', RRType.SRV, { ednsUdpSize: 1232 }),
  encodeQuery('1.0.0.10.in-addr.arpa', RRType.PTR),
  encodeQuery('pq-web.query.consul', RRType.A),
  encodeQuery('big.service.consul', RRType.A),
  encodeQuery('c000020a.addr.consul', RRType.A),
  encodeQuery('consul', RRType.NS),
];

/** Hand-made hostile packets: loops, bad labels, lying counts, huge sizes. */
function crafted(random: Prng): Uint8Array {
  const h = [random.int(256), random.int(256), 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
  const kinds = [
    () => [...h, 0xc0, 12, 0, 1, 0, 1], // self pointer
    () => [...h, 3, 97, 98, 99, 0xc0, 12, 0, 1, 0, 1], // loop back to start
    () => [...h, 64, ...new Array(64).fill(97), 0, 0, 1, 0, 1], // label > 63
    () => [...h, 0x7f, 97, 0, 0, 1], // label past the end
    () => [...h.slice(0, 4), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 97, 0, 0, 1, 0, 1], // lying counts
    () => [...h.slice(0, 10), 0, 1, 1, 97, 0, 0, 1, 0, 1, 0, 0, 41, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff], // OPT rdlen past end
    () => [...h, ...new Array(random.int(3000)).fill(1)], // labels of length 1 forever
    () => [...h, ...Array.from({ length: 130 }, () => [1, 97]).flat(), 0, 0, 1, 0, 1], // name > 255
  ];
  return Uint8Array.from(kinds[random.int(kinds.length)]!());
}

function mutate(random: Prng): Uint8Array {
  const base = seeds[random.int(seeds.length)]!;
  let p = base.slice();
  const ops = random.range(1, 4);
  for (let i = 0; i < ops; i++) {
    switch (random.int(4)) {
      case 0:
        if (p.length) p[random.int(p.length)] = random.uint32() & 0xff;
        break;
      case 1:
        if (p.length) p[random.int(p.length)]! ^= 1 << random.int(8);
        break;
      case 2:
        p = p.slice(0, random.int(p.length + 1));
        break;
      default: {
        const tail = random.bytes(new Uint8Array(random.int(40)));
        const q = new Uint8Array(p.length + tail.length);
        q.set(p);
        q.set(tail, p.length);
        p = q;
      }
    }
  }
  return p;
}

function packet(random: Prng, i: number): Uint8Array {
  switch (i % 4) {
    case 0:
      return random.bytes(new Uint8Array(random.chance(0.01) ? random.int(9000) : random.int(600)));
    case 1:
      return crafted(random);
    default:
      return mutate(random);
  }
}

describe(`DNS fuzz (seed ${SEED})`, () => {
  let server: DnsServer;
  let resolver: DnsResolver;
  let port = 0;
  beforeAll(async () => {
    resolver = new DnsResolver({ catalog: fixtureCatalog(), random: new Prng(SEED) });
    server = new DnsServer({ resolver, port: 0, tcpIdleTimeoutMs: 1000 });
    port = await server.start();
  });
  afterAll(() => server.close());

  it(`survives ${PACKETS} hostile UDP packets and every reply is a well-formed response`, async () => {
    const random = new Prng(SEED);
    const client = createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    client.setRecvBufferSize(8 * 1024 * 1024);
    let replies = 0;
    let malformed = 0;
    client.on('message', (m) => {
      replies++;
      try {
        const msg = decodeMessage(m);
        if (!(msg.flags & Flag.QR)) malformed++;
      } catch {
        malformed++;
      }
    });
    const before = resolver.stats.queries;
    const batch = 1000;
    for (let sent = 0; sent < PACKETS; sent += batch) {
      await Promise.all(
        Array.from({ length: batch }, (_, k) => new Promise<void>((r) => client.send(packet(random, sent + k), port, '127.0.0.1', () => r()))),
      );
      // Let the server drain this batch before sending the next, so the kernel buffer never overflows.
      for (let spins = 0; spins < 200 && resolver.stats.queries - before < sent + batch; spins++) {
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    await new Promise((r) => setTimeout(r, 100));
    client.close();
    const handled = resolver.stats.queries - before;
    console.log(
      `fuzz seed ${SEED}: ${handled} handled, ${replies} replies, ${resolver.stats.dropped} dropped, ${resolver.stats.formErrors} FORMERR/NOTIMP`,
    );
    expect(handled).toBeGreaterThan(PACKETS * 0.98);
    expect(malformed).toBe(0);
    expect(resolver.stats.formErrors).toBeGreaterThan(PACKETS / 10);
  });

  it('survives hostile TCP streams', async () => {
    const random = new Prng(SEED + 1);
    await Promise.all(
      Array.from({ length: 20 }, (_, c) =>
        new Promise<void>((resolve) => {
          const s = connect(port, '127.0.0.1');
          s.on('error', () => resolve());
          s.on('close', () => resolve());
          s.resume(); // drain replies so the stream can reach its end
          s.on('connect', () => {
            for (let i = 0; i < 100; i++) {
              const p = packet(random, c * 100 + i);
              const frame = Buffer.alloc(p.length + 2);
              frame.writeUInt16BE(c === 0 ? 0xffff : p.length, 0); // connection 0 lies about lengths
              frame.set(p, 2);
              s.write(frame);
            }
            s.end(Buffer.from([0x01])); // half a length prefix, then close
          });
        }),
      ),
    );
  });

  it('still answers correctly afterwards, on UDP and TCP', async () => {
    const udp = decodeMessage((await udpExchange(port, encodeQuery('foo.node.consul', RRType.A, { id: 77 })))!);
    expect([udp.id, udp.rcode, udp.answers.map((a) => a.data)]).toEqual([77, Rcode.NOERROR, [{ address: '10.0.0.1' }]]);
    const srv = decodeMessage((await udpExchange(port, encodeQuery('web.service.consul', RRType.SRV, { id: 78 })))!);
    expect(srv.answers).toHaveLength(3);
    const [tcp] = await tcpExchange(port, [encodeQuery('big.service.consul', RRType.A, { id: 79 })]);
    expect(decodeMessage(tcp!).answers).toHaveLength(40);
  });
});
