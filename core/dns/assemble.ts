/**
 * Writing a reply: shuffling, capping and trimming a ResolvedAnswer the way Consul's
 * trimUDPResponse / trimTCPResponse do, then copying pre-encoded fragments into one buffer.
 *
 * UDP without EDNS: at most min(8, udp_answer_limit) answers, then drop answers (authority first)
 * until the message, measured uncompressed, fits 512-8 bytes. UDP with EDNS: the client's buffer size.
 * TCP: at most 4096 answers (1024 for SRV) and 65523 bytes. At least one answer is always kept.
 * Additional records follow the answers that remain.
 */
import type { AnswerEntry, ResolvedAnswer } from './answer.ts';
import { DEFAULT_UDP_SIZE, Flag, RRType } from './constants.ts';
import type { Random } from '../ports/random.ts';
import type { ParsedQuery } from './query.ts';
import type { Fragment } from './records.ts';
import { allocReply } from './slab.ts';

/** The transport a query came over. */
export type DnsTransport = 'udp' | 'tcp';

/** Largest UDP payload Consul honours from EDNS (65535 minus IP and UDP headers). */
export const MAX_EDNS_UDP_SIZE = 65535 - 68;
/** Largest payload a UDP datagram can carry over IPv4; anything bigger must go over TCP. */
const MAX_UDP_DATAGRAM = 65507;
const MAX_TCP_SIZE = 65523;
const MAX_UDP_ANSWER_LIMIT = 8;

/** Settings the writer needs. */
export interface AssembleOptions {
  transport: DnsTransport;
  random: Random;
  udpAnswerLimit: number;
  aRecordLimit: number;
  enableTruncate: boolean;
  recursionAvailable: boolean;
}

function ecsLength(q: ParsedQuery): number {
  const ecs = q.edns?.clientSubnet;
  return ecs ? 4 + 4 + Math.ceil(ecs.sourcePrefix / 8) : 0;
}

/** Shuffles only the first `k` positions (a uniformly random ordered k-subset): cheaper than a full shuffle. */
function partialShuffle(order: number[], k: number, random: Random): void {
  const n = order.length;
  for (let i = 0; i < k && i < n - 1; i++) {
    const j = i + random.int(n - i);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
}

/** Stamp for deduplicating additional records within one reply (see Fragment.mark). */
let stamp = 0;
const nextStamp = (): number => (stamp = (stamp + 1) | 0);

/** Entry order scratch, reused across replies: writing a reply is synchronous. */
const scratchOrder: number[] = [];

const fragLen = (f: Fragment, ownerExtra: number): number => f.bytes.length + (f.ownerIsQuestion ? ownerExtra : 0);

/** Bytes of the first `count` entries' answers and (deduplicated) extras. */
function entriesSize(entries: readonly AnswerEntry[], order: number[], count: number, ownerExtra: number): number {
  const mark = nextStamp();
  let total = 0;
  for (let k = 0; k < count; k++) {
    const e = entries[order[k] as number] as AnswerEntry;
    for (const f of e.answers) total += fragLen(f, ownerExtra);
    for (const f of e.extra) {
      if (f.mark === mark) continue;
      f.mark = mark;
      total += fragLen(f, ownerExtra);
    }
  }
  return total;
}

/** prefix[k] = bytes of the first k entries (only computed when trimming is needed). */
function prefixSizes(entries: readonly AnswerEntry[], order: number[], count: number, ownerExtra: number): number[] {
  const mark = nextStamp();
  const prefix = [0];
  let total = 0;
  for (let k = 0; k < count; k++) {
    const e = entries[order[k] as number] as AnswerEntry;
    for (const f of e.answers) total += fragLen(f, ownerExtra);
    for (const f of e.extra) {
      if (f.mark === mark) continue;
      f.mark = mark;
      total += fragLen(f, ownerExtra);
    }
    prefix.push(total);
  }
  return prefix;
}

/** Largest k in [1, count] whose size fits `limit` (1 if none does, as Consul still sends one). */
function bestFit(prefix: number[], count: number, fixed: number, limit: number): number {
  let lo = 1;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fixed + (prefix[mid] as number) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function sumLen(fs: readonly Fragment[]): number {
  let n = 0;
  for (const f of fs) n += f.bytes.length;
  return n;
}

/** Chooses which entries go into the reply and in what order (in the shared scratch array). */
/** What `choose` decided (module scratch, to keep the hot path free of per-reply objects). */
const chosen = { count: 0, authority: [] as readonly Fragment[], trimmed: false };

function choose(q: ParsedQuery, ans: ResolvedAnswer, o: AssembleOptions): typeof chosen {
  const n = ans.entries.length;
  const order = scratchOrder;
  order.length = n;
  for (let i = 0; i < n; i++) order[i] = i;
  let cap = n;
  if (ans.limit === 'ns') cap = Math.min(cap, 3);
  if (ans.limit === 'address' && o.aRecordLimit > 0) cap = Math.min(cap, o.aRecordLimit);
  const isSrv = q.questionWire[q.questionWire.length - 3] === RRType.SRV && q.questionWire[q.questionWire.length - 4] === 0;
  const udp = o.transport === 'udp';
  const maxSize = udp ? (q.edns ? Math.min(q.edns.udpSize, MAX_EDNS_UDP_SIZE) : DEFAULT_UDP_SIZE) : MAX_TCP_SIZE;
  const classic = udp && maxSize === DEFAULT_UDP_SIZE;
  let count = Math.min(cap, udp ? (isSrv ? 640 : 4096) : isSrv ? 1024 : 4096);
  if (classic) count = Math.min(count, Math.min(MAX_UDP_ANSWER_LIMIT, Math.max(1, o.udpAnswerLimit)));
  if (ans.shuffle) partialShuffle(order, count, o.random);
  const ownerExtra = classic ? q.questionWire.length - 6 : 0;
  const fixed = 12 + q.questionWire.length + (q.edns ? 11 + ecsLength(q) : 0);
  const limit = udp ? maxSize - 8 : maxSize; // 8: the UDP header
  let authority = ans.authority;
  if (count > 1 && fixed + sumLen(authority) + entriesSize(ans.entries, order, count, ownerExtra) > limit) {
    authority = [];
    count = bestFit(prefixSizes(ans.entries, order, count, ownerExtra), count, fixed, limit);
  }
  chosen.count = count;
  chosen.authority = authority;
  chosen.trimmed = count < cap;
  return chosen;
}

/** Copies a fragment; a byte loop beats TypedArray.set's call overhead for the usual 16-60 bytes. */
function copy(out: Uint8Array, src: Uint8Array, p: number): number {
  const n = src.length;
  if (n > 64) out.set(src, p);
  else for (let i = 0; i < n; i++) out[p + i] = src[i] as number;
  return p + n;
}

/** Writes the header's flags word for a reply. */
function replyFlags(q: ParsedQuery, rcode: number, aa: boolean, tc: boolean, ra: boolean): number {
  return (
    Flag.QR |
    (q.flags & (Flag.RD | Flag.CD)) |
    (aa ? Flag.AA : 0) |
    (tc ? Flag.TC : 0) |
    (ra ? Flag.RA : 0) |
    (rcode & 0xf)
  );
}

function put16(out: Uint8Array, p: number, v: number): void {
  out[p] = (v >> 8) & 0xff;
  out[p + 1] = v & 0xff;
}

/** Writes the OPT record echoing the requester's UDP size (and client subnet) at `p`. */
function writeOpt(out: Uint8Array, p: number, q: ParsedQuery, extendedRcode: number, ecsScope: number | undefined): number {
  const edns = q.edns!;
  out[p] = 0;
  put16(out, p + 1, RRType.OPT);
  put16(out, p + 3, edns.udpSize);
  out[p + 5] = extendedRcode;
  out[p + 6] = 0;
  put16(out, p + 7, 0);
  const ecs = edns.clientSubnet;
  const optLen = ecsLength(q);
  put16(out, p + 9, optLen);
  let w = p + 11;
  if (ecs) {
    const addrLen = Math.ceil(ecs.sourcePrefix / 8);
    put16(out, w, 8);
    put16(out, w + 2, 4 + addrLen);
    put16(out, w + 4, ecs.family);
    out[w + 6] = ecs.sourcePrefix;
    out[w + 7] = ecsScope ?? 0;
    out.set(ecs.address.subarray(0, addrLen), w + 8);
    w += 8 + addrLen;
  }
  return w;
}

/** Fits `ans` to the transport and writes it. */
export function assembleReply(q: ParsedQuery, ans: ResolvedAnswer, o: AssembleOptions): Uint8Array {
  const { count, authority, trimmed } = choose(q, ans, o);
  const order = scratchOrder;
  const mark = nextStamp();
  let size = 12 + q.questionWire.length + sumLen(authority) + (q.edns ? 11 + ecsLength(q) : 0);
  let answers = 0;
  let extras = 0;
  for (let k = 0; k < count; k++) {
    const e = ans.entries[order[k] as number] as AnswerEntry;
    answers += e.answers.length;
    size += sumLen(e.answers);
    for (const f of e.extra) {
      if (f.mark === mark) continue;
      f.mark = mark;
      extras++;
      size += f.bytes.length;
    }
  }
  if (size > (o.transport === 'udp' ? MAX_UDP_DATAGRAM : 65535)) {
    // Even one entry can't be carried: tell the client to use TCP (or that the answer is too big).
    return headerOnly(q, ans.rcode, ans.authoritative, true, o.recursionAvailable);
  }
  const out = allocReply(size);
  put16(out, 0, q.id);
  // Consul sets TC whenever it trimmed (TCP only trims past 64 KiB) and enable_truncate is on.
  put16(out, 2, replyFlags(q, ans.rcode, ans.authoritative, trimmed && o.enableTruncate, o.recursionAvailable));
  put16(out, 4, 1);
  put16(out, 6, answers);
  put16(out, 8, authority.length);
  put16(out, 10, extras + (q.edns ? 1 : 0));
  let p = copy(out, q.questionWire, 12);
  for (let k = 0; k < count; k++) {
    for (const f of (ans.entries[order[k] as number] as AnswerEntry).answers) p = copy(out, f.bytes, p);
  }
  for (const f of authority) p = copy(out, f.bytes, p);
  const extraMark = nextStamp();
  for (let k = 0; k < count; k++) {
    for (const f of (ans.entries[order[k] as number] as AnswerEntry).extra) {
      if (f.mark === extraMark) continue;
      f.mark = extraMark;
      p = copy(out, f.bytes, p);
    }
  }
  if (q.edns) writeOpt(out, p, q, 0, ans.ecsScopeFromSource ? q.edns.clientSubnet?.sourcePrefix : 0);
  return out;
}

/** A reply with the question echoed and no records (errors, REFUSED, BADVERS). */
export function headerOnly(q: ParsedQuery, rcode: number, aa: boolean, tc: boolean, ra: boolean): Uint8Array {
  const opt = q.edns ? 11 + ecsLength(q) : 0;
  const out = new Uint8Array(12 + q.questionWire.length + opt);
  put16(out, 0, q.id);
  put16(out, 2, replyFlags(q, rcode, aa, tc, ra));
  put16(out, 4, 1);
  put16(out, 10, q.edns ? 1 : 0);
  out.set(q.questionWire, 12);
  if (q.edns) writeOpt(out, 12 + q.questionWire.length, q, rcode >> 4, 0);
  return out;
}

/** FORMERR / NOTIMP for a packet whose question couldn't be used: header only, no question. */
export function rejectionReply(id: number, flags: number, rcode: number): Uint8Array {
  const out = new Uint8Array(12);
  put16(out, 0, id);
  put16(out, 2, Flag.QR | (flags & (0xf << 11)) | (flags & Flag.RD) | (rcode & 0xf));
  return out;
}
