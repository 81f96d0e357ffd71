/**
 * Byte-level compatibility with HashiCorp's Go codec. The expected hex strings were produced by
 * encoding the same Go structs with github.com/hashicorp/go-msgpack (MsgpackHandle{}), Go's
 * compress/lzw (LSB, 8) and crypto/cipher GCM, from Debian's packages.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../lib/prng.ts';
import { decodeCoordinate, writeCoordinate } from '../coordinate/coordinate.ts';
import { decodeAlive, decodePing, encodeAck, encodeAlive, encodePing, type PushNodeState, writePushNodeState } from '../memberlist/messages.ts';
import { decryptPayload, encryptPayload } from '../security/aes-gcm.ts';
import { Keyring } from '../security/keyring.ts';
import { decodeQuery, decodeTags, encodeQuery, encodeTags } from '../serf/messages.ts';
import { addCrc, checkCrc, decodeCompoundMessage, makeCompoundMessage } from './compound.ts';
import { crc32 } from './crc32.ts';
import { lzwCompress, lzwDecompress } from './lzw.ts';
import { GoMsgpackWriter, msgpackValueEnd, utf8 } from './msgpack.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => Number.parseInt(x, 16));

const GO = {
  ping: '85a44e6f6465a66e6f64652d61a55365714e6fcd012caa536f7572636541646472a47f000001aa536f757263654e6f6465a66e6f64652d62aa536f75726365506f7274cd1f0a',
  pingmin: '82a44e6f6465a178a55365714e6f01',
  alive:
    '86a441646472a40a00c801ab496e6361726e6174696f6ece00011170a44d657461a2ff80a44e6f6465da0030612d6e6f64652d6e616d652d746861742d69732d6c6f6e6765722d7468616e2d7468697274792d74776f2d6279746573a4506f7274cd206da356736ea6010502020504',
  acknil: '82a75061796c6f6164c0a55365714e6f05',
  pns: '87a441646472a401020304ab496e6361726e6174696f6e00a44d657461c0a44e616d65a16ea4506f727401a5537461746503a356736ea6010502020504',
  query:
    '8ba441646472a47f000001a746696c74657273c0a5466c61677301a24944ce0001e240a54c54696d6509a44e616d65a171a75061796c6f6164a170a4506f7274cd1f0aab52656c6179466163746f7200aa536f757263654e6f6465a173a754696d656f7574ceb2d05e00',
  coord:
    '84aa41646a7573746d656e74cb0000000000000000a54572726f72cb3ff8000000000000a6486569676874cb3ee4f8b588e368f1a356656392cb0000000000000000cb3ff8000000000000',
  tags: '81a4726f6c65a6636f6e73756c',
  lzw: '00a93c1152e48914274fa80824687061c183094738348850e1c0871321520908',
  gcm: '016e6f6e63652d313262797465caf61f4dd2c4aa201bed71b364182c0aa360f13ea8bf9ab1a0ddebc83628a7e0',
};

describe('Go msgpack compatibility', () => {
  it('encodes memberlist messages byte-for-byte as go-msgpack', () => {
    const ping = encodePing({ seqNo: 300, node: 'node-a', sourceAddr: Uint8Array.from([127, 0, 0, 1]), sourcePort: 7946, sourceNode: 'node-b' });
    expect(hex(ping.subarray(1))).toBe(GO.ping);
    expect(ping[0]).toBe(0);
    expect(hex(encodePing({ seqNo: 1, node: 'x' }).subarray(1))).toBe(GO.pingmin);
    const alive = encodeAlive({
      incarnation: 70000,
      node: 'a-node-name-that-is-longer-than-thirty-two-bytes',
      addr: Uint8Array.from([10, 0, 200, 1]),
      port: 8301,
      meta: Uint8Array.from([255, 0x80]),
      vsn: Uint8Array.from([1, 5, 2, 2, 5, 4]),
    });
    expect(hex(alive.subarray(1))).toBe(GO.alive);
    expect(hex(encodeAck({ seqNo: 5, payload: undefined }).subarray(1))).toBe(GO.acknil);
    const w = new GoMsgpackWriter();
    const pns: PushNodeState = { name: 'n', addr: Uint8Array.from([1, 2, 3, 4]), port: 1, meta: undefined as unknown as Uint8Array, incarnation: 0, state: 3, vsn: Uint8Array.from([1, 5, 2, 2, 5, 4]) };
    writePushNodeState(w, pns);
    expect(hex(w.finish())).toBe(GO.pns);
  });

  it('decodes what Go encodes, including non-UTF-8 byte fields', () => {
    const a = decodeAlive(unhex(GO.alive));
    expect(a.incarnation).toBe(70000);
    expect(Array.from(a.meta)).toEqual([255, 0x80]);
    expect(Array.from(a.vsn)).toEqual([1, 5, 2, 2, 5, 4]);
    const p = decodePing(unhex(GO.ping));
    expect(p).toMatchObject({ seqNo: 300, node: 'node-a', sourcePort: 7946, sourceNode: 'node-b' });
  });

  it('encodes serf queries, tags and coordinates as Go does', () => {
    const q = {
      ltime: 9,
      id: 123456,
      addr: Uint8Array.from([127, 0, 0, 1]),
      port: 7946,
      sourceNode: 's',
      filters: [],
      flags: 1,
      relayFactor: 0,
      timeoutNs: 3e9,
      name: 'q',
      payload: utf8('p'),
    };
    expect(hex(encodeQuery(q).subarray(1))).toBe(GO.query);
    expect(decodeQuery(unhex(GO.query))).toMatchObject({ ltime: 9, id: 123456, timeoutNs: 3e9, name: 'q' });
    expect(hex(encodeTags({ role: 'consul' }).subarray(1))).toBe(GO.tags);
    expect(decodeTags(encodeTags({ role: 'consul', dc: 'dc1' }))).toEqual({ role: 'consul', dc: 'dc1' });
    const cw = new GoMsgpackWriter();
    writeCoordinate(cw, { vec: [0, 1.5], error: 1.5, adjustment: 0, height: 1e-5 });
    expect(hex(cw.finish())).toBe(GO.coord);
    expect(decodeCoordinate(unhex(GO.coord))).toEqual({ vec: [0, 1.5], error: 1.5, adjustment: 0, height: 1e-5 });
  });

  it('finds value boundaries in a stream and reports incomplete input', () => {
    const two = unhex(GO.alive + GO.pingmin);
    const end = msgpackValueEnd(two, 0);
    expect(end).toBe(GO.alive.length / 2);
    expect(msgpackValueEnd(two, end)).toBe(two.length);
    expect(msgpackValueEnd(two.subarray(0, 10), 0)).toBe(-1);
    expect(() => msgpackValueEnd(Uint8Array.from([0xc1]), 0)).toThrow(/invalid type byte/);
  });
});

describe('LZW as Go compress/lzw (LSB, 8)', () => {
  const text = utf8('TOBEORNOTTOBEORTOBEORNOT#TOBEORNOTTOBEORTOBEORNOT');
  it('compresses to the same bytes as Go and decompresses Go output', () => {
    expect(hex(lzwCompress(text))).toBe(GO.lzw);
    expect(lzwDecompress(unhex(GO.lzw))).toEqual(text);
  });

  it('round-trips large inputs across table resets (Go: 20000 bytes -> 4219)', () => {
    const big = new Uint8Array(20000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    const c = lzwCompress(big);
    expect(c.length).toBe(4219);
    expect(hex(c.subarray(c.length - 16))).toBe('5bbefb1bc127dcc3539cc67ffc500101');
    expect(lzwDecompress(c)).toEqual(big);
    const rnd = new Prng(3).bytes(new Uint8Array(50_000));
    expect(lzwDecompress(lzwCompress(rnd))).toEqual(rnd);
  });

  it('rejects truncated input', () => {
    expect(() => lzwDecompress(unhex(GO.lzw).subarray(0, 5))).toThrow(/lzw/);
  });
});

describe('framing', () => {
  it('compound messages round-trip and report truncation', () => {
    const msgs = [utf8('a'), utf8('bcd'), new Uint8Array(0)];
    const c = makeCompoundMessage(msgs);
    expect(c[0]).toBe(7);
    expect(decodeCompoundMessage(c.subarray(1))).toEqual({ parts: msgs, truncated: 0 });
    const cut = decodeCompoundMessage(c.subarray(1, c.length - 2));
    expect(cut.truncated).toBe(2);
  });

  it('CRC-32 matches IEEE and a corrupted packet is rejected', () => {
    expect(crc32(utf8('123456789'))).toBe(0xcbf43926);
    const framed = addCrc(utf8('hello'));
    expect(checkCrc(framed)).toEqual(utf8('hello'));
    framed[7] = (framed[7] as number) ^ 1;
    expect(checkCrc(framed)).toBeUndefined();
  });
});

describe('AES-GCM in memberlist format', () => {
  it('decrypts Go-sealed payloads and round-trips our own with label as additional data', async () => {
    const keyring = new Keyring([utf8('0123456789abcdef')]);
    const plain = await decryptPayload(keyring, unhex(GO.gcm), utf8('label'));
    expect(new TextDecoder().decode(plain)).toBe('hello memberlist');
    await expect(decryptPayload(keyring, unhex(GO.gcm), utf8('other'))).rejects.toThrow(/No installed keys/);
    const sealed = await encryptPayload(keyring, utf8('0123456789abcdef'), utf8('x'), new Uint8Array(0), new Prng(1));
    expect(sealed.length).toBe(1 + 12 + 1 + 16);
    expect(await decryptPayload(keyring, sealed, new Uint8Array(0))).toEqual(utf8('x'));
  });

  it('keyring install/use/remove/list', () => {
    const k1 = utf8('0123456789abcdef');
    const k2 = new Uint8Array(32).fill(7);
    const ring = new Keyring([k1]);
    ring.install(k2);
    expect(ring.list()).toEqual([k1, k2]);
    ring.use(k2);
    expect(ring.primary()).toEqual(k2);
    expect(() => ring.remove(k2)).toThrow(/primary/);
    ring.remove(k1);
    expect(ring.list()).toEqual([k2]);
    expect(() => ring.install(new Uint8Array(5))).toThrow(/16, 24 or 32/);
    expect(() => ring.use(k1)).toThrow(/not in the keyring/);
  });
});
