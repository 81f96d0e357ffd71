/**
 * memberlist's packet framing: compound messages (several messages in one datagram), the CRC
 * header and the label header. Facts from hashicorp/memberlist util.go and net.go.
 */
import { crc32 } from './crc32.ts';

const COMPOUND = 7;
const HAS_CRC = 12;
const HAS_LABEL = 244;

/** Per-message overhead inside a compound message (a uint16 length), as memberlist assumes. */
export const COMPOUND_OVERHEAD = 2;
/** Header overhead of a compound message (type byte and count byte). */
export const COMPOUND_HEADER_OVERHEAD = 2;
/** memberlist's userMsgOverhead: the type byte it prepends to a delegate broadcast. */
export const USER_MSG_OVERHEAD = 1;
/** Most messages one compound message can carry (its count is one byte). */
export const MAX_COMPOUND_PARTS = 255;

/** `[7, count, len1 (u16 BE), ..., msg1, ...]`. */
export function makeCompoundMessage(msgs: Uint8Array[]): Uint8Array {
  if (msgs.length > MAX_COMPOUND_PARTS) throw new RangeError(`compound message: ${msgs.length} parts`);
  let total = 2 + msgs.length * 2;
  for (const m of msgs) {
    if (m.length > 0xffff) throw new RangeError(`compound message: part of ${m.length} bytes`);
    total += m.length;
  }
  const out = new Uint8Array(total);
  out[0] = COMPOUND;
  out[1] = msgs.length;
  let p = 2;
  for (const m of msgs) {
    out[p++] = m.length >>> 8;
    out[p++] = m.length & 0xff;
  }
  for (const m of msgs) {
    out.set(m, p);
    p += m.length;
  }
  return out;
}

/**
 * Splits a compound message body (after the type byte). Returns the complete parts and how many
 * were truncated; throws on a header that does not fit.
 */
export function decodeCompoundMessage(buf: Uint8Array): { parts: Uint8Array[]; truncated: number } {
  if (buf.length < 1) throw new Error('missing compound length byte');
  const n = buf[0] as number;
  if (buf.length < 1 + n * 2) throw new Error('truncated len slice');
  const parts: Uint8Array[] = [];
  let p = 1 + n * 2;
  for (let i = 0; i < n; i++) {
    const len = ((buf[1 + i * 2] as number) << 8) | (buf[2 + i * 2] as number);
    if (buf.length - p < len) return { parts, truncated: n - i };
    parts.push(buf.subarray(p, p + len));
    p += len;
  }
  return { parts, truncated: 0 };
}

/** `[12, crc32 (u32 BE), msg...]`, sent to peers that speak protocol 5 or later. */
export function addCrc(msg: Uint8Array): Uint8Array {
  const out = new Uint8Array(msg.length + 5);
  out[0] = HAS_CRC;
  new DataView(out.buffer).setUint32(1, crc32(msg));
  out.set(msg, 5);
  return out;
}

/**
 * Strips and checks a CRC header if present. Returns the message, or undefined when the checksum
 * does not match (the packet must be dropped).
 */
export function checkCrc(buf: Uint8Array): Uint8Array | undefined {
  if (buf.length < 5 || buf[0] !== HAS_CRC) return buf;
  const expected = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(1);
  const body = buf.subarray(5);
  return crc32(body) === expected ? body : undefined;
}

/** `[244, len, label...]` in front of a packet or at the start of a stream (memberlist 0.3+). */
export function addLabelHeader(label: Uint8Array, msg: Uint8Array): Uint8Array {
  if (label.length === 0) return msg;
  if (label.length > 255) throw new RangeError('label longer than 255 bytes');
  const out = new Uint8Array(2 + label.length + msg.length);
  out[0] = HAS_LABEL;
  out[1] = label.length;
  out.set(label, 2);
  out.set(msg, 2 + label.length);
  return out;
}

/**
 * Splits a label header off a packet: `{ label, rest }`, with an empty label when there is none.
 * Returns undefined for a malformed header.
 */
export function removeLabelHeader(buf: Uint8Array): { label: Uint8Array; rest: Uint8Array } | undefined {
  if (buf.length === 0 || buf[0] !== HAS_LABEL) return { label: new Uint8Array(0), rest: buf };
  if (buf.length < 2) return undefined;
  const len = buf[1] as number;
  if (len < 1 || buf.length < 2 + len) return undefined;
  return { label: buf.subarray(2, 2 + len), rest: buf.subarray(2 + len) };
}
