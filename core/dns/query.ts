/**
 * Reading an incoming query from untrusted bytes. Every malformation is classified (drop, FORMERR,
 * NOTIMP) instead of thrown to the caller, so a hostile packet costs a bounded amount of work and
 * never takes the server down.
 */
import { EDNS_CLIENT_SUBNET, Flag, RRType } from './constants.ts';
import { DnsFormatError, encodeName, readName } from './name.ts';

/** The one question of a query. `name` is fully qualified text in the sender's case. */
export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

/** EDNS Client Subnet (RFC 7871) as sent by the client. */
export interface ClientSubnet {
  family: number;
  sourcePrefix: number;
  scopePrefix: number;
  address: Uint8Array;
}

/** EDNS(0) data from the query's OPT record. */
export interface EdnsInfo {
  /** Requester's UDP payload size (values below 512 are read as 512, RFC 6891 6.2.3). */
  udpSize: number;
  version: number;
  dnssecOk: boolean;
  clientSubnet?: ClientSubnet;
}

/** A query that parsed cleanly. */
export interface ParsedQuery {
  id: number;
  /** The raw 16-bit flags word (opcode, RD, CD ... ). */
  flags: number;
  /** The question, decoded to text on first use (cache hits never need the text). */
  readonly question: DnsQuestion;
  /** The question section, uncompressed (name, type, class): it is copied to offset 12 of the reply. */
  questionWire: Uint8Array;
  /** FNV-1a hash of the question section with ASCII letters lower-cased: the answer-cache key. */
  questionHash: number;
  edns?: EdnsInfo;
}

/** ParsedQuery with a lazily decoded question. */
class Query implements ParsedQuery {
  edns?: EdnsInfo;
  private decoded: DnsQuestion | undefined;
  constructor(
    readonly id: number,
    readonly flags: number,
    readonly questionWire: Uint8Array,
    readonly questionHash: number,
  ) {}

  get question(): DnsQuestion {
    if (!this.decoded) {
      const w = this.questionWire;
      const n = w.length;
      this.decoded = { name: readName(w, 0).name, type: u16(w, n - 4), class: u16(w, n - 2) };
    }
    return this.decoded;
  }
}

/** Lower-cases an ASCII letter byte. */
export const lowerByte = (c: number): number => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

/** FNV-1a over `bytes[start, end)` with ASCII letters lower-cased. */
export function questionHashOf(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ lowerByte(bytes[i] as number), 0x01000193);
  return h >>> 0;
}

/**
 * Walks an uncompressed name at `offset` and returns the offset after it, or -1 when it uses a
 * compression pointer (the caller then takes the slow path). Throws DnsFormatError when malformed.
 */
function scanPlainName(buf: Uint8Array, offset: number): number {
  let pos = offset;
  for (;;) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the end of the message');
    const len = buf[pos] as number;
    if (len === 0) break;
    if (len >= 0xc0) return -1;
    if (len > 63) throw new DnsFormatError('reserved label type');
    pos += len + 1;
    if (pos - offset + 1 > 255) throw new DnsFormatError('name longer than 255 bytes');
  }
  return pos + 1;
}

/** What to do with a packet that didn't parse. */
export type QueryRejection =
  | { kind: 'drop'; reason: string }
  | { kind: 'error'; id: number; flags: number; rcode: number; reason: string };

/** Outcome of `parseQuery`. */
export type ParseOutcome = { ok: true; query: ParsedQuery } | { ok: false; rejection: QueryRejection };

const u16 = (b: Uint8Array, o: number): number => (((b[o] as number) << 8) | (b[o + 1] as number)) >>> 0;
const u32 = (b: Uint8Array, o: number): number =>
  (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;

function need(buf: Uint8Array, pos: number, n: number): void {
  if (pos + n > buf.length) throw new DnsFormatError('record runs past the end of the message');
}

function parseClientSubnet(buf: Uint8Array, pos: number, len: number): ClientSubnet {
  if (len < 4) throw new DnsFormatError('short client-subnet option');
  const family = u16(buf, pos);
  const sourcePrefix = buf[pos + 2] as number;
  const scopePrefix = buf[pos + 3] as number;
  const maxPrefix = family === 1 ? 32 : family === 2 ? 128 : -1;
  if (maxPrefix < 0 || sourcePrefix > maxPrefix) throw new DnsFormatError('bad client-subnet family or prefix');
  const addrLen = len - 4;
  if (addrLen !== Math.ceil(sourcePrefix / 8)) throw new DnsFormatError('client-subnet address length mismatch');
  const address = new Uint8Array(maxPrefix / 8);
  address.set(buf.subarray(pos + 4, pos + 4 + addrLen));
  return { family, sourcePrefix, scopePrefix, address };
}

function parseOpt(buf: Uint8Array, classValue: number, ttl: number, rdStart: number, rdLen: number): EdnsInfo {
  const info: EdnsInfo = { udpSize: Math.max(512, classValue), version: (ttl >>> 16) & 0xff, dnssecOk: (ttl & 0x8000) !== 0 };
  let pos = rdStart;
  const end = rdStart + rdLen;
  while (pos < end) {
    if (pos + 4 > end) throw new DnsFormatError('truncated EDNS option');
    const code = u16(buf, pos);
    const len = u16(buf, pos + 2);
    if (pos + 4 + len > end) throw new DnsFormatError('EDNS option runs past its record');
    if (code === EDNS_CLIENT_SUBNET) info.clientSubnet = parseClientSubnet(buf, pos + 4, len);
    pos += 4 + len;
  }
  return info;
}

/** Skips (or reads, for OPT) the records after the question; returns the EDNS info if any. */
function parseRecords(buf: Uint8Array, start: number, counts: [number, number, number]): EdnsInfo | undefined {
  let pos = start;
  let edns: EdnsInfo | undefined;
  for (let section = 0; section < 3; section++) {
    for (let i = 0; i < counts[section]!; i++) {
      const owner = readName(buf, pos);
      pos = owner.end;
      need(buf, pos, 10);
      const type = u16(buf, pos);
      const cls = u16(buf, pos + 2);
      const ttl = u32(buf, pos + 4);
      const rdLen = u16(buf, pos + 8);
      pos += 10;
      need(buf, pos, rdLen);
      if (type === RRType.OPT) {
        if (section !== 2 || owner.name !== '.' || edns) throw new DnsFormatError('misplaced or repeated OPT record');
        edns = parseOpt(buf, cls, ttl, pos, rdLen);
      }
      pos += rdLen;
    }
  }
  return edns;
}

/**
 * Parses a query. Contract: never throws; costs O(packet length); responses (QR set) and packets
 * shorter than a header are dropped; a non-QUERY opcode gets NOTIMP; anything else malformed
 * (question count other than 1, bad names, compression loops, records past the end) gets FORMERR.
 */
export function parseQuery(buf: Uint8Array): ParseOutcome {
  if (buf.length < 12) return { ok: false, rejection: { kind: 'drop', reason: 'shorter than a DNS header' } };
  const id = u16(buf, 0);
  const flags = u16(buf, 2);
  if (flags & Flag.QR) return { ok: false, rejection: { kind: 'drop', reason: 'not a query (QR set)' } };
  const reject = (rcode: number, reason: string): ParseOutcome => ({ ok: false, rejection: { kind: 'error', id, flags, rcode, reason } });
  const opcode = (flags >> 11) & 0xf;
  if (opcode !== 0) return reject(4, `opcode ${opcode} not implemented`);
  const qd = u16(buf, 4);
  if (qd !== 1) return reject(1, `expected one question, got ${qd}`);
  try {
    let nameEnd = scanPlainName(buf, 12);
    let questionWire: Uint8Array;
    if (nameEnd >= 0) {
      need(buf, nameEnd, 4);
      questionWire = buf.subarray(12, nameEnd + 4);
    } else {
      const q = readName(buf, 12);
      need(buf, q.end, 4);
      nameEnd = q.end;
      questionWire = withTypeClass(encodeName(q.name), { name: q.name, type: u16(buf, q.end), class: u16(buf, q.end + 2) });
    }
    const query = new Query(id, flags, questionWire, questionHashOf(questionWire, 0, questionWire.length));
    const edns = parseRecords(buf, nameEnd + 4, [u16(buf, 6), u16(buf, 8), u16(buf, 10)]);
    if (edns) query.edns = edns;
    return { ok: true, query };
  } catch (e) {
    if (e instanceof DnsFormatError || e instanceof RangeError) return reject(1, e.message);
    throw e;
  }
}

function withTypeClass(name: Uint8Array, q: DnsQuestion): Uint8Array {
  const out = new Uint8Array(name.length + 4);
  out.set(name);
  out[name.length] = q.type >> 8;
  out[name.length + 1] = q.type & 0xff;
  out[name.length + 2] = q.class >> 8;
  out[name.length + 3] = q.class & 0xff;
  return out;
}
