/**
 * Domain names on the wire and as text. Text names are dotted, fully qualified (trailing dot), with
 * RFC 4343 escaping: `\.` and `\\` inside labels and `\DDD` for bytes outside printable ASCII, so a
 * hostile label never changes how a name splits into labels.
 */
import { MAX_LABEL_LENGTH, MAX_NAME_WIRE_LENGTH } from './constants.ts';

/** A malformed message: the caller answers FORMERR (or drops it when even the header is unusable). */
export class DnsFormatError extends Error {
  override readonly name = 'DnsFormatError';
}

/** At most this many compression pointers per name; together with "pointers go backwards" it stops loops. */
const MAX_POINTERS = 64;

/** A name read from a message: its text, and the offset just after it in the message. */
export interface ReadName {
  name: string;
  end: number;
  /** True when the name used a compression pointer (the raw bytes can't be copied as-is). */
  compressed: boolean;
}

function appendLabel(out: string, buf: Uint8Array, start: number, len: number): string {
  let s = out;
  for (let i = start; i < start + len; i++) {
    const c = buf[i] as number;
    if (c === 0x2e || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c > 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\${c.toString().padStart(3, '0')}`;
  }
  return s;
}

/**
 * Reads a possibly compressed name at `offset`. Throws DnsFormatError on: running off the end,
 * reserved label types (0x40, 0x80), pointers that don't point strictly backwards (loops), too many
 * pointers, or a name longer than 255 bytes.
 */
export function readName(buf: Uint8Array, offset: number): ReadName {
  let pos = offset;
  let end = -1;
  let wire = 0;
  let jumps = 0;
  let out = '';
  let lowest = offset;
  for (;;) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the end of the message');
    const len = buf[pos] as number;
    if (len === 0) {
      if (end < 0) end = pos + 1;
      wire += 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) throw new DnsFormatError('truncated compression pointer');
      const target = ((len & 0x3f) << 8) | (buf[pos + 1] as number);
      if (target >= lowest) throw new DnsFormatError('compression pointer does not point backwards');
      if (++jumps > MAX_POINTERS) throw new DnsFormatError('too many compression pointers');
      if (end < 0) end = pos + 2;
      lowest = target;
      pos = target;
      continue;
    }
    if (kind !== 0) throw new DnsFormatError('reserved label type');
    if (pos + 1 + len > buf.length) throw new DnsFormatError('label runs past the end of the message');
    wire += len + 1;
    if (wire + 1 > MAX_NAME_WIRE_LENGTH) throw new DnsFormatError('name longer than 255 bytes');
    out = appendLabel(out, buf, pos + 1, len);
    out += '.';
    pos += len + 1;
  }
  return { name: out === '' ? '.' : out, end, compressed: jumps > 0 };
}

/** Splits a text name into unescaped-boundary labels (escapes kept inside each label). */
export function splitLabels(name: string): string[] {
  const labels: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i] as string;
    if (c === '\\') {
      cur += c + (name[i + 1] ?? '');
      i++;
    } else if (c === '.') {
      if (cur !== '') labels.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') labels.push(cur);
  return labels;
}

/** Label text (with escapes) to bytes. */
function labelBytes(label: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c !== 0x5c) {
      out.push(c > 0xff ? 0x3f : c);
      continue;
    }
    const d = label.slice(i + 1, i + 4);
    if (/^\d{3}$/.test(d)) {
      out.push(Number(d) & 0xff);
      i += 3;
    } else {
      out.push(label.charCodeAt(i + 1) & 0xff);
      i += 1;
    }
  }
  return out;
}

/**
 * Encodes a text name as uncompressed wire bytes. Throws RangeError for a label over 63 bytes or
 * a name over 255 bytes (a catalog entry that can't be a DNS name must not produce a bad packet).
 */
export function encodeName(name: string): Uint8Array {
  const bytes: number[] = [];
  for (const label of splitLabels(name)) {
    const b = labelBytes(label);
    if (b.length > MAX_LABEL_LENGTH) throw new RangeError(`DNS label longer than 63 bytes in '${name}'`);
    bytes.push(b.length, ...b);
  }
  bytes.push(0);
  if (bytes.length > MAX_NAME_WIRE_LENGTH) throw new RangeError(`DNS name longer than 255 bytes: '${name}'`);
  return Uint8Array.from(bytes);
}

/** Makes `name` fully qualified (trailing dot). */
export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** True when `name` is a syntactically usable DNS name (labels 1..63 bytes, total <= 255). */
export function isEncodableName(name: string): boolean {
  try {
    encodeName(name);
    return true;
  } catch {
    return false;
  }
}
