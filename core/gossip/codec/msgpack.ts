/**
 * msgpack as HashiCorp's Go codec (`github.com/hashicorp/go-msgpack`, `MsgpackHandle{}` with its
 * defaults) writes and reads it, which is what memberlist and serf put on the wire.
 *
 * Encoding is done here, not with @msgpack/msgpack's Encoder, because byte-compatibility needs the
 * old msgpack spec the Go handle speaks with `WriteExt: false`: strings and `[]byte` are both "raw"
 * (fixstr / str16 / str32, never str8 and never bin), integers take the smallest form, floats are
 * always float64, a nil slice is nil, and a Go struct is a map keyed by field name in sorted order. Decoding uses @msgpack/msgpack with `rawStrings` (so a `[]byte` field holding arbitrary
 * bytes survives), plus a scanner that finds where one value ends inside a stream.
 */
import { Decoder } from '@msgpack/msgpack';

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** UTF-8 of short, repeated strings (field and node names), bounded so it cannot grow forever. */
const utf8Cache = new Map<string, Uint8Array>();
function utf8Cached(s: string): Uint8Array {
  if (s.length > 64) return textEncoder.encode(s);
  let b = utf8Cache.get(s);
  if (!b) {
    if (utf8Cache.size >= 50_000) utf8Cache.clear();
    b = textEncoder.encode(s);
    utf8Cache.set(s, b);
  }
  return b;
}

/** A growable byte buffer that writes msgpack the way Go's MsgpackHandle does. */
export class GoMsgpackWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Appends raw bytes (a message-type prefix, a payload outside msgpack). */
  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  nil(): this {
    return this.byte(0xc0);
  }

  bool(v: boolean): this {
    return this.byte(v ? 0xc3 : 0xc2);
  }

  /** A non-negative integer in its smallest unsigned form (Go's encodeUint). */
  uint(v: number): this {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`msgpack uint: bad value ${v}`);
    this.ensure(9);
    if (v <= 0x7f) this.buf[this.len++] = v;
    else if (v <= 0xff) {
      this.buf[this.len++] = 0xcc;
      this.buf[this.len++] = v;
    } else if (v <= 0xffff) {
      this.buf[this.len++] = 0xcd;
      this.view.setUint16(this.len, v);
      this.len += 2;
    } else if (v <= 0xffffffff) {
      this.buf[this.len++] = 0xce;
      this.view.setUint32(this.len, v);
      this.len += 4;
    } else {
      this.buf[this.len++] = 0xcf;
      this.view.setBigUint64(this.len, BigInt(v));
      this.len += 8;
    }
    return this;
  }

  /** A signed integer (Go's encodeInt: non-negative values use the unsigned forms). */
  int(v: number): this {
    if (!Number.isInteger(v)) throw new RangeError(`msgpack int: bad value ${v}`);
    if (v >= 0) return this.uint(v);
    this.ensure(9);
    if (v >= -32) this.buf[this.len++] = v & 0xff;
    else if (v >= -128) {
      this.buf[this.len++] = 0xd0;
      this.view.setInt8(this.len++, v);
    } else if (v >= -32768) {
      this.buf[this.len++] = 0xd1;
      this.view.setInt16(this.len, v);
      this.len += 2;
    } else if (v >= -2147483648) {
      this.buf[this.len++] = 0xd2;
      this.view.setInt32(this.len, v);
      this.len += 4;
    } else {
      this.buf[this.len++] = 0xd3;
      this.view.setBigInt64(this.len, BigInt(v));
      this.len += 8;
    }
    return this;
  }

  float64(v: number): this {
    this.ensure(9);
    this.buf[this.len++] = 0xcb;
    this.view.setFloat64(this.len, v);
    this.len += 8;
    return this;
  }

  private rawHeader(n: number): void {
    this.ensure(5);
    if (n < 32) this.buf[this.len++] = 0xa0 | n;
    else if (n < 65536) {
      this.buf[this.len++] = 0xda;
      this.view.setUint16(this.len, n);
      this.len += 2;
    } else {
      this.buf[this.len++] = 0xdb;
      this.view.setUint32(this.len, n);
      this.len += 4;
    }
  }

  /** A Go string. */
  str(s: string): this {
    const data = utf8Cached(s);
    this.rawHeader(data.length);
    return this.bytes(data);
  }

  /** A Go []byte: raw like a string; `undefined` is a nil slice. */
  raw(data: Uint8Array | undefined): this {
    if (data === undefined) return this.nil();
    this.rawHeader(data.length);
    return this.bytes(data);
  }

  arrayHeader(n: number): this {
    this.ensure(5);
    if (n < 16) this.buf[this.len++] = 0x90 | n;
    else if (n < 65536) {
      this.buf[this.len++] = 0xdc;
      this.view.setUint16(this.len, n);
      this.len += 2;
    } else {
      this.buf[this.len++] = 0xdd;
      this.view.setUint32(this.len, n);
      this.len += 4;
    }
    return this;
  }

  mapHeader(n: number): this {
    this.ensure(5);
    if (n < 16) this.buf[this.len++] = 0x80 | n;
    else if (n < 65536) {
      this.buf[this.len++] = 0xde;
      this.view.setUint16(this.len, n);
      this.len += 2;
    } else {
      this.buf[this.len++] = 0xdf;
      this.view.setUint32(this.len, n);
      this.len += 4;
    }
    return this;
  }

  /** The bytes written so far (a copy-free view; the writer must not be used afterwards). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  get length(): number {
    return this.len;
  }
}

/** One field of a Go struct: its name and how to write its value. */
export type FieldWriter = [name: string, write: (w: GoMsgpackWriter) => void];

/**
 * Writes a Go struct as go-msgpack does: a map of field name to value, with the fields sorted by
 * name bytewise (the codec keeps its struct field table sorted and encodes in that order).
 */
export function writeStruct(w: GoMsgpackWriter, fields: FieldWriter[]): GoMsgpackWriter {
  w.mapHeader(fields.length);
  const sorted = fields.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [name, write] of sorted) {
    w.str(name);
    write(w);
  }
  return w;
}

/** A decode failure: the bytes are not the message they claim to be. */
export class DecodeError extends Error {
  override name = 'DecodeError';
}

const decoder = new Decoder({ rawStrings: true, useBigInt64: false });

/** Decodes exactly one msgpack value (raw strings come back as Uint8Array). */
export function decodeValue(data: Uint8Array): unknown {
  try {
    return decoder.decode(data);
  } catch (err) {
    throw new DecodeError(`msgpack: ${(err as Error).message}`);
  }
}

/** Decodes a Go struct (a map) into a plain record. */
export function decodeStruct(data: Uint8Array): Record<string, unknown> {
  const v = decodeValue(data);
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array || v instanceof Map) {
    throw new DecodeError('msgpack: expected a map (Go struct)');
  }
  return v as Record<string, unknown>;
}

/** A Go string field: raw bytes as UTF-8; nil or missing is "". */
export function fieldString(rec: Record<string, unknown>, name: string): string {
  const v = rec[name];
  if (v === undefined || v === null) return '';
  if (v instanceof Uint8Array) return textDecoder.decode(v);
  if (typeof v === 'string') return v;
  throw new DecodeError(`field ${name}: expected a string`);
}

/** A Go []byte field; nil or missing is an empty array. */
export function fieldBytes(rec: Record<string, unknown>, name: string): Uint8Array {
  const v = rec[name];
  if (v === undefined || v === null) return new Uint8Array(0);
  // A copy: the decoder hands out views into the whole packet or push-pull buffer, and a retained
  // view (a node's meta, say) would keep that entire buffer alive.
  if (v instanceof Uint8Array) return v.slice();
  if (typeof v === 'string') return textEncoder.encode(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return Uint8Array.from(v as number[]);
  throw new DecodeError(`field ${name}: expected bytes`);
}

/** A Go integer field (any width); missing is 0. */
export function fieldNumber(rec: Record<string, unknown>, name: string): number {
  const v = rec[name];
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new DecodeError(`field ${name}: expected a number`);
}

export function fieldBool(rec: Record<string, unknown>, name: string): boolean {
  const v = rec[name];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  throw new DecodeError(`field ${name}: expected a bool`);
}

export function fieldArray(rec: Record<string, unknown>, name: string): unknown[] {
  const v = rec[name];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  throw new DecodeError(`field ${name}: expected an array`);
}

export function fieldMap(rec: Record<string, unknown>, name: string): Record<string, unknown> {
  const v = rec[name];
  if (v === undefined || v === null) return {};
  if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) return v as Record<string, unknown>;
  throw new DecodeError(`field ${name}: expected a map`);
}

export function utf8(s: string): Uint8Array {
  return textEncoder.encode(s);
}

export function fromUtf8(b: Uint8Array): string {
  return textDecoder.decode(b);
}

/**
 * Where the msgpack value starting at `pos` ends (exclusive), or -1 when `buf` does not hold all of
 * it yet. Used to split a stream into values without decoding them. Throws DecodeError on a byte
 * that is not msgpack.
 */
export function msgpackValueEnd(buf: Uint8Array, pos: number): number {
  let pending = 1; // values still to skip
  let p = pos;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const need = (n: number): boolean => p + n <= buf.length;
  while (pending > 0) {
    if (!need(1)) return -1;
    const b = buf[p] as number;
    p++;
    pending--;
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) continue;
    if ((b & 0xf0) === 0x80) {
      pending += 2 * (b & 0x0f);
      continue;
    }
    if ((b & 0xf0) === 0x90) {
      pending += b & 0x0f;
      continue;
    }
    if ((b & 0xe0) === 0xa0) {
      p += b & 0x1f;
      continue;
    }
    let skip: number;
    switch (b) {
      case 0xcc:
      case 0xd0:
        skip = 1;
        break;
      case 0xcd:
      case 0xd1:
        skip = 2;
        break;
      case 0xca:
      case 0xce:
      case 0xd2:
        skip = 4;
        break;
      case 0xcb:
      case 0xcf:
      case 0xd3:
        skip = 8;
        break;
      case 0xd4:
        skip = 2;
        break;
      case 0xd5:
        skip = 3;
        break;
      case 0xd6:
        skip = 5;
        break;
      case 0xd7:
        skip = 9;
        break;
      case 0xd8:
        skip = 17;
        break;
      case 0xc4:
      case 0xd9:
        if (!need(1)) return -1;
        skip = 1 + (buf[p] as number);
        break;
      case 0xc5:
      case 0xda:
        if (!need(2)) return -1;
        skip = 2 + view.getUint16(p);
        break;
      case 0xc6:
      case 0xdb:
        if (!need(4)) return -1;
        skip = 4 + view.getUint32(p);
        break;
      case 0xc7:
        if (!need(1)) return -1;
        skip = 2 + (buf[p] as number);
        break;
      case 0xc8:
        if (!need(2)) return -1;
        skip = 3 + view.getUint16(p);
        break;
      case 0xc9:
        if (!need(4)) return -1;
        skip = 5 + view.getUint32(p);
        break;
      case 0xdc:
        if (!need(2)) return -1;
        pending += view.getUint16(p);
        skip = 2;
        break;
      case 0xdd:
        if (!need(4)) return -1;
        pending += view.getUint32(p);
        skip = 4;
        break;
      case 0xde:
        if (!need(2)) return -1;
        pending += 2 * view.getUint16(p);
        skip = 2;
        break;
      case 0xdf:
        if (!need(4)) return -1;
        pending += 2 * view.getUint32(p);
        skip = 4;
        break;
      default:
        throw new DecodeError(`msgpack: invalid type byte 0x${b.toString(16)}`);
    }
    p += skip;
  }
  return p <= buf.length ? p : -1;
}
