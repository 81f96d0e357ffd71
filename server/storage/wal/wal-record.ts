import { crc32 } from 'node:zlib';

/**
 * The write-ahead log's record format. Each record is `u32 payload length | u32 CRC-32 of the
 * payload | payload`; the payload is `u8 op | u16 store-name length | store name | op fields`.
 * A torn or corrupt tail (a crash mid-write) fails the length or CRC check, and reading stops
 * there: what survives is always a prefix of the records written.
 */
export const OP_APPEND = 1;
export const OP_TRUNCATE = 2;
export const OP_COMPACT = 3;
export const OP_SET = 4;

export type WalOp =
  | { op: typeof OP_APPEND; store: string; index: number; term: number; type: number; data: Uint8Array }
  | { op: typeof OP_TRUNCATE; store: string; index: number }
  | { op: typeof OP_COMPACT; store: string; index: number }
  | { op: typeof OP_SET; store: string; key: string; value: Uint8Array };

const HEADER = 8;

/** Encodes one operation as a framed record. */
export function encodeRecord(o: WalOp): Buffer {
  const name = Buffer.from(o.store, 'utf8');
  let body: Buffer;
  switch (o.op) {
    case OP_APPEND: {
      body = Buffer.allocUnsafe(17 + o.data.length);
      body.writeDoubleBE(o.index, 0);
      body.writeDoubleBE(o.term, 8);
      body.writeUInt8(o.type, 16);
      body.set(o.data, 17);
      break;
    }
    case OP_TRUNCATE:
    case OP_COMPACT: {
      body = Buffer.allocUnsafe(8);
      body.writeDoubleBE(o.index, 0);
      break;
    }
    case OP_SET: {
      const key = Buffer.from(o.key, 'utf8');
      body = Buffer.allocUnsafe(2 + key.length + o.value.length);
      body.writeUInt16BE(key.length, 0);
      key.copy(body, 2);
      body.set(o.value, 2 + key.length);
      break;
    }
  }
  const payloadLen = 3 + name.length + body.length;
  const out = Buffer.allocUnsafe(HEADER + payloadLen);
  out.writeUInt32BE(payloadLen, 0);
  out.writeUInt8(o.op, HEADER);
  out.writeUInt16BE(name.length, HEADER + 1);
  name.copy(out, HEADER + 3);
  body.copy(out, HEADER + 3 + name.length);
  out.writeUInt32BE(crc32(out.subarray(HEADER)), 4);
  return out;
}

/**
 * Where the data of an append record for log `store` starts, counted from the record's first byte:
 * the frame header, op, store name, index, term and type come before it.
 */
export function appendDataOffset(store: string): number {
  return HEADER + 3 + Buffer.byteLength(store, 'utf8') + 17;
}

/** The framed size of an append record for log `store` with `dataLength` bytes of data. */
export function appendRecordSize(store: string, dataLength: number): number {
  return appendDataOffset(store) + dataLength;
}

/**
 * Decodes records from the start of `buf`. Returns the operations, the byte offset at which each
 * one's record starts, and the byte length of the valid prefix; anything after it is a torn or
 * corrupt tail.
 */
export function decodeRecords(buf: Buffer): { ops: WalOp[]; offsets: number[]; validLength: number } {
  const ops: WalOp[] = [];
  const offsets: number[] = [];
  let at = 0;
  while (at + HEADER <= buf.length) {
    const len = buf.readUInt32BE(at);
    const end = at + HEADER + len;
    if (len < 3 || end > buf.length) break;
    const payload = buf.subarray(at + HEADER, end);
    if (crc32(payload) !== buf.readUInt32BE(at + 4)) break;
    const op = decodePayload(payload);
    if (!op) break;
    ops.push(op);
    offsets.push(at);
    at = end;
  }
  return { ops, offsets, validLength: at };
}

function decodePayload(p: Buffer): WalOp | undefined {
  const op = p.readUInt8(0);
  const nameLen = p.readUInt16BE(1);
  if (3 + nameLen > p.length) return undefined;
  const store = p.toString('utf8', 3, 3 + nameLen);
  const b = p.subarray(3 + nameLen);
  switch (op) {
    case OP_APPEND:
      if (b.length < 17) return undefined;
      return { op, store, index: b.readDoubleBE(0), term: b.readDoubleBE(8), type: b.readUInt8(16), data: new Uint8Array(b.subarray(17)) };
    case OP_TRUNCATE:
    case OP_COMPACT:
      if (b.length < 8) return undefined;
      return { op, store, index: b.readDoubleBE(0) };
    case OP_SET: {
      if (b.length < 2) return undefined;
      const keyLen = b.readUInt16BE(0);
      if (2 + keyLen > b.length) return undefined;
      return { op, store, key: b.toString('utf8', 2, 2 + keyLen), value: new Uint8Array(b.subarray(2 + keyLen)) };
    }
    default:
      return undefined;
  }
}
