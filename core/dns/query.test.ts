import { describe, expect, it } from 'vitest';
import { Prng } from '../lib/prng.ts';
import { RRType } from './constants.ts';
import { decodeMessage, encodeQuery } from './message.ts';
import { DnsFormatError, encodeName, readName, splitLabels } from './name.ts';
import { parseQuery } from './query.ts';

const header = (qd: number, an = 0, ns = 0, ar = 0, flags = 0x0100) =>
  [0x12, 0x34, flags >> 8, flags & 0xff, 0, qd, 0, an, 0, ns, 0, ar];

function rejection(bytes: number[] | Uint8Array) {
  const out = parseQuery(Uint8Array.from(bytes));
  if (out.ok) throw new Error('parsed unexpectedly');
  return out.rejection;
}

describe('parseQuery on hostile input', () => {
  it('parses a plain query and its EDNS record', () => {
    const out = parseQuery(encodeQuery('Web.Service.consul', RRType.SRV, { id: 77, ednsUdpSize: 4096 }));
    expect(out.ok && out.query.question).toEqual({ name: 'Web.Service.consul.', type: RRType.SRV, class: 1 });
    expect(out.ok && out.query.edns?.udpSize).toBe(4096);
    expect(out.ok && out.query.id).toBe(77);
  });

  it('drops short packets and responses', () => {
    expect(rejection([1, 2, 3]).kind).toBe('drop');
    expect(rejection([...header(1, 0, 0, 0, 0x8100), 0, 0, 1, 0, 1]).kind).toBe('drop');
  });

  it('gives FORMERR for a compression loop, a forward pointer and a self pointer', () => {
    for (const name of [
      [0xc0, 12], // points at itself
      [0xc0, 14], // points forward
      [1, 0x61, 0xc0, 12], // loops back to its own start
    ]) {
      const r = rejection([...header(1), ...name, 0, 1, 0, 1]);
      expect(r.kind === 'error' && r.rcode).toBe(1);
    }
  });

  it('gives FORMERR for reserved label types, overlong names and truncation', () => {
    const cases: number[][] = [
      [...header(1), 0x40, 0x61, 0, 0, 1, 0, 1], // extended label type
      [...header(1), 0x80, 0x61, 0, 0, 1, 0, 1], // reserved 10 label type
      [...header(1), 5, 0x61, 0x62], // label runs off the end
      [...header(1), 1, 0x61, 0, 0, 1], // missing class
      [...header(1), ...Array.from({ length: 5 }, () => [63, ...new Array(63).fill(0x61)]).flat(), 0, 0, 1, 0, 1], // > 255 bytes
      [...header(2), 0, 0, 1, 0, 1], // two questions
      [...header(0)], // no question
      [...header(1, 1), 0, 0, 1, 0, 1, 0xc0, 12, 0, 1], // answer record truncated
      [...header(1, 0, 0, 2), 0, 0, 1, 0, 1, 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0], // two OPTs
    ];
    for (const c of cases) {
      const r = rejection(c);
      expect(r.kind === 'error' && r.rcode, JSON.stringify(c.slice(12, 20))).toBe(1);
    }
  });

  it('follows compression pointers in later records', () => {
    // An additional record whose owner is a pointer to the question name: pointers resolve backwards.
    const bytes = [...header(1, 0, 0, 1), 1, 0x61, 0, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4];
    const out = parseQuery(Uint8Array.from(bytes));
    expect(out.ok && out.query.question.name).toBe('a.');
  });

  it('classifies 100k random and mutated packets without throwing', () => {
    const random = new Prng(20261121);
    const seed = encodeQuery('web.service.dc1.consul', RRType.SRV, { ednsUdpSize: 1232 });
    let ok = 0;
    for (let i = 0; i < 100_000; i++) {
      let packet: Uint8Array;
      if (i % 2 === 0) packet = random.bytes(new Uint8Array(random.int(600)));
      else {
        packet = seed.slice(0, Math.max(0, seed.length - random.int(8)));
        for (let k = random.range(1, 4); k > 0; k--) if (packet.length) packet[random.int(packet.length)] = random.uint32() & 0xff;
      }
      if (parseQuery(packet).ok) ok++;
    }
    expect(ok).toBeGreaterThan(1000);
  });
});

describe('names', () => {
  it('escapes dots and binary bytes inside labels so they never split', () => {
    const wire = Uint8Array.from([3, 0x61, 0x2e, 0x00, 1, 0x62, 0]);
    const { name } = readName(wire, 0);
    expect(name).toBe('a\\.\\000.b.');
    expect(splitLabels(name)).toEqual(['a\\.\\000', 'b']);
    expect(encodeName(name)).toEqual(wire);
  });

  it('refuses to encode labels over 63 bytes', () => {
    expect(() => encodeName(`${'x'.repeat(64)}.consul.`)).toThrow(RangeError);
  });

  it('decodes whole messages defensively', () => {
    expect(() => decodeMessage(Uint8Array.from([...header(0, 1), 0xc0, 12]))).toThrow(DnsFormatError);
  });
});
