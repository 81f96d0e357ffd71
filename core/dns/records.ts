/**
 * Resource records pre-encoded as wire fragments. The resolver builds an answer once per catalog
 * index and every reply is then a copy of fragments, which keeps the hot path free of name encoding.
 *
 * A record whose owner is the question name is encoded with the pointer 0xC00C: replies always put
 * the (uncompressed) question at offset 12, so that pointer is always valid and the answer echoes the
 * question's spelling, as Consul does.
 */
import { RRClass, RRType } from './constants.ts';
import { encodeName } from './name.ts';

/** Sentinel owner: "the question name". */
export const QUESTION_OWNER = Symbol('question');

/** Owner of a record: the question name, or an explicit fully qualified name. */
export type Owner = typeof QUESTION_OWNER | string;

/** One encoded resource record. */
export interface Fragment {
  /** The whole RR on the wire (owner, type, class, TTL, rdlength, rdata). */
  readonly bytes: Uint8Array;
  /** True when the owner is the 2-byte pointer to the question (matters for uncompressed size). */
  readonly ownerIsQuestion: boolean;
  readonly type: number;
  /**
   * Scratch stamp used while writing one reply to deduplicate shared additional records without
   * allocating a Set per query (replies are written synchronously, one at a time).
   */
  mark: number;
}

const textEncoder = new TextEncoder();

function build(owner: Owner, type: number, ttl: number, rdata: Uint8Array): Fragment {
  const ownerBytes = owner === QUESTION_OWNER ? Uint8Array.of(0xc0, 0x0c) : encodeName(owner);
  const out = new Uint8Array(ownerBytes.length + 10 + rdata.length);
  out.set(ownerBytes, 0);
  let p = ownerBytes.length;
  const t = Math.max(0, Math.min(0x7fffffff, Math.floor(ttl)));
  out[p++] = type >> 8;
  out[p++] = type & 0xff;
  out[p++] = RRClass.IN >> 8;
  out[p++] = RRClass.IN & 0xff;
  out[p++] = t >>> 24;
  out[p++] = (t >>> 16) & 0xff;
  out[p++] = (t >>> 8) & 0xff;
  out[p++] = t & 0xff;
  out[p++] = rdata.length >> 8;
  out[p++] = rdata.length & 0xff;
  out.set(rdata, p);
  return { bytes: out, ownerIsQuestion: owner === QUESTION_OWNER, type, mark: 0 };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

const u16b = (n: number): Uint8Array => Uint8Array.of((n >> 8) & 0xff, n & 0xff);
const u32b = (n: number): Uint8Array => Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

/** A (4 bytes) or AAAA (16 bytes) for the given address bytes. */
export function addressRecord(owner: Owner, ttl: number, ip: Uint8Array): Fragment {
  return build(owner, ip.length === 4 ? RRType.A : RRType.AAAA, ttl, ip);
}

/** CNAME, PTR or NS: a record whose rdata is one name. */
export function nameRecord(owner: Owner, type: 5 | 12 | 2, ttl: number, target: string): Fragment {
  return build(owner, type, ttl, encodeName(target));
}

/** SRV (RFC 2782). */
export function srvRecord(owner: Owner, ttl: number, priority: number, weight: number, port: number, target: string): Fragment {
  return build(owner, RRType.SRV, ttl, concat([u16b(priority), u16b(weight), u16b(port), encodeName(target)]));
}

/** TXT with one character-string per entry; entries over 255 bytes are split into several strings. */
export function txtRecord(owner: Owner, ttl: number, texts: readonly string[]): Fragment {
  const parts: Uint8Array[] = [];
  for (const text of texts) {
    const b = textEncoder.encode(text);
    if (b.length === 0) parts.push(Uint8Array.of(0));
    for (let i = 0; i < b.length; i += 255) {
      const chunk = b.subarray(i, i + 255);
      parts.push(Uint8Array.of(chunk.length), chunk);
    }
  }
  return build(owner, RRType.TXT, ttl, concat(parts));
}

/** SOA fields (RFC 1035 3.3.13). */
export interface SoaFields {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** Offset of the serial inside an SOA fragment's bytes, so it can be refreshed in place. */
export function soaSerialOffset(fragment: Fragment): number {
  return fragment.bytes.length - 20;
}

/** SOA record. */
export function soaRecord(owner: Owner, ttl: number, f: SoaFields): Fragment {
  return build(
    owner,
    RRType.SOA,
    ttl,
    concat([encodeName(f.mname), encodeName(f.rname), u32b(f.serial), u32b(f.refresh), u32b(f.retry), u32b(f.expire), u32b(f.minimum)]),
  );
}
