/**
 * Decoding and encoding whole DNS messages as plain objects: for clients (tests, the browser lab's
 * DNS panel, checking upstream replies) rather than the server's hot path. Decoding is as defensive
 * as the query parser: malformed input throws DnsFormatError, never anything else.
 */
import { RRType } from './constants.ts';
import { DnsFormatError, encodeName, readName } from './name.ts';
import { formatIP } from './ip.ts';
import type { DnsQuestion } from './query.ts';

/** Decoded rdata for the types we know; `raw` for the rest. */
export type RecordData =
  | { address: string }
  | { target: string }
  | { priority: number; weight: number; port: number; target: string }
  | { texts: string[] }
  | { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { raw: Uint8Array };

/** One decoded resource record. */
export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: RecordData;
}

/** A decoded message. `rcode` includes EDNS extended bits. */
export interface DnsMessage {
  id: number;
  flags: number;
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  /** The OPT record's UDP size, when present. */
  ednsUdpSize?: number;
}

const textDecoder = new TextDecoder();
const u16 = (b: Uint8Array, o: number): number => (((b[o] as number) << 8) | (b[o + 1] as number)) >>> 0;
const u32 = (b: Uint8Array, o: number): number => ((u16(b, o) << 16) | u16(b, o + 2)) >>> 0;

function decodeData(buf: Uint8Array, type: number, start: number, len: number): RecordData {
  const end = start + len;
  const nameAt = (p: number): { name: string; end: number } => {
    const n = readName(buf, p);
    if (n.end > end) throw new DnsFormatError('name runs past its record');
    return n;
  };
  switch (type) {
    case RRType.A:
    case RRType.AAAA:
      if (len !== (type === RRType.A ? 4 : 16)) throw new DnsFormatError('bad address length');
      return { address: formatIP(buf.subarray(start, end)) };
    case RRType.CNAME:
    case RRType.NS:
    case RRType.PTR:
      return { target: nameAt(start).name };
    case RRType.SRV:
      if (len < 7) throw new DnsFormatError('short SRV');
      return { priority: u16(buf, start), weight: u16(buf, start + 2), port: u16(buf, start + 4), target: nameAt(start + 6).name };
    case RRType.TXT: {
      const texts: string[] = [];
      for (let p = start; p < end; ) {
        const l = buf[p] as number;
        if (p + 1 + l > end) throw new DnsFormatError('TXT string runs past its record');
        texts.push(textDecoder.decode(buf.subarray(p + 1, p + 1 + l)));
        p += 1 + l;
      }
      return { texts };
    }
    case RRType.SOA: {
      const m = nameAt(start);
      const r = nameAt(m.end);
      if (r.end + 20 !== end) throw new DnsFormatError('bad SOA length');
      const p = r.end;
      return { mname: m.name, rname: r.name, serial: u32(buf, p), refresh: u32(buf, p + 4), retry: u32(buf, p + 8), expire: u32(buf, p + 12), minimum: u32(buf, p + 16) };
    }
    default:
      return { raw: buf.slice(start, end) };
  }
}

/** Decodes a whole message. Throws DnsFormatError on malformed input. */
export function decodeMessage(buf: Uint8Array): DnsMessage {
  if (buf.length < 12) throw new DnsFormatError('shorter than a DNS header');
  const flags = u16(buf, 2);
  const msg: DnsMessage = { id: u16(buf, 0), flags, rcode: flags & 0xf, questions: [], answers: [], authority: [], additional: [] };
  let pos = 12;
  for (let i = 0; i < u16(buf, 4); i++) {
    const n = readName(buf, pos);
    if (n.end + 4 > buf.length) throw new DnsFormatError('truncated question');
    msg.questions.push({ name: n.name, type: u16(buf, n.end), class: u16(buf, n.end + 2) });
    pos = n.end + 4;
  }
  const sections = [msg.answers, msg.authority, msg.additional];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < u16(buf, 6 + s * 2); i++) {
      const n = readName(buf, pos);
      pos = n.end;
      if (pos + 10 > buf.length) throw new DnsFormatError('truncated record header');
      const type = u16(buf, pos);
      const cls = u16(buf, pos + 2);
      const ttl = u32(buf, pos + 4);
      const len = u16(buf, pos + 8);
      pos += 10;
      if (pos + len > buf.length) throw new DnsFormatError('truncated rdata');
      if (type === RRType.OPT) {
        msg.ednsUdpSize = cls;
        msg.rcode |= (ttl >>> 24) << 4;
      } else sections[s]!.push({ name: n.name, type, class: cls, ttl, data: decodeData(buf, type, pos, len) });
      pos += len;
    }
  }
  return msg;
}

/** Options for `encodeQuery`. */
export interface QueryOptions {
  id?: number;
  recursionDesired?: boolean;
  /** Adds an OPT record advertising this UDP size. */
  ednsUdpSize?: number;
  class?: number;
}

/** Encodes a one-question query (for clients and tests). */
export function encodeQuery(name: string, type: number, o: QueryOptions = {}): Uint8Array {
  const qname = encodeName(name);
  const opt = o.ednsUdpSize !== undefined ? 11 : 0;
  const out = new Uint8Array(12 + qname.length + 4 + opt);
  const id = o.id ?? 0;
  out[0] = id >> 8;
  out[1] = id & 0xff;
  out[2] = o.recursionDesired === false ? 0 : 1;
  out[5] = 1;
  out[11] = opt ? 1 : 0;
  out.set(qname, 12);
  let p = 12 + qname.length;
  const cls = o.class ?? 1;
  out.set([type >> 8, type & 0xff, cls >> 8, cls & 0xff], p);
  p += 4;
  if (opt) out.set([0, 0, RRType.OPT, (o.ednsUdpSize! >> 8) & 0xff, o.ednsUdpSize! & 0xff, 0, 0, 0, 0, 0, 0], p);
  return out;
}
