/**
 * memberlist's stream (TCP) messages: one message each way per connection, self-delimited by
 * msgpack, optionally wrapped in an LZW compressMsg. Push-pull is a header, N node states and the
 * delegate's raw state bytes; a user message is a header and raw bytes; a ping gets an ack.
 */
import { DecodeError, GoMsgpackWriter, msgpackValueEnd, writeStruct } from '../codec/msgpack.ts';
import { lzwCompress, lzwDecompress } from '../codec/lzw.ts';
import {
  type AckResp,
  type Ping,
  type PushNodeState,
  type PushPullHeader,
  decodeAck,
  decodeCompress,
  decodeErr,
  decodePing,
  decodePushNodeState,
  decodePushPullHeader,
  decodeUserMsgHeader,
  MessageType,
  writePushNodeState,
  writePushPullHeader,
  writeUserMsgHeader,
} from './messages.ts';

export type StreamMessage =
  | { type: 'ping'; ping: Ping }
  | { type: 'ack'; ack: AckResp }
  | { type: 'pushPull'; header: PushPullHeader; nodes: PushNodeState[]; userState: Uint8Array | undefined }
  | { type: 'user'; payload: Uint8Array }
  | { type: 'err'; error: string }
  | { type: 'unknown'; code: number };

/** Wraps a message in compressMsg (Algo 0 = LZW). */
export function compressMessage(msg: Uint8Array): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(MessageType.compress);
  const buf = lzwCompress(msg);
  writeStruct(w, [
    ['Algo', (x) => x.uint(0)],
    ['Buf', (x) => x.raw(buf)],
  ]);
  return w.finish();
}

/** Undoes compressMessage given the bytes after the type byte. */
export function decompressBody(body: Uint8Array): Uint8Array {
  const c = decodeCompress(body);
  if (c.algo !== 0) throw new DecodeError(`Cannot decompress unknown algorithm ${c.algo}`);
  return lzwDecompress(c.buf);
}

export function encodePushPull(header: PushPullHeader, nodes: PushNodeState[], userState: Uint8Array | undefined): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(MessageType.pushPull);
  writePushPullHeader(w, header);
  for (const n of nodes) writePushNodeState(w, n);
  if (userState) w.bytes(userState);
  return w.finish();
}

export function encodeUserStreamMessage(payload: Uint8Array): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(MessageType.user);
  writeUserMsgHeader(w, { userMsgLen: payload.length });
  w.bytes(payload);
  return w.finish();
}

/** Reads one msgpack value at `pos`: its bytes and end, or undefined if incomplete. */
function takeValue(buf: Uint8Array, pos: number): { bytes: Uint8Array; end: number } | undefined {
  const end = msgpackValueEnd(buf, pos);
  if (end < 0) return undefined;
  return { bytes: buf.subarray(pos, end), end };
}

/**
 * Parses one stream message from the start of `buf`. Returns undefined when more bytes are needed;
 * throws DecodeError on malformed input.
 */
export function parseStreamMessage(buf: Uint8Array): { msg: StreamMessage; consumed: number } | undefined {
  if (buf.length === 0) return undefined;
  const type = buf[0] as number;
  if (type === MessageType.compress) {
    const v = takeValue(buf, 1);
    if (!v) return undefined;
    const inner = decompressBody(v.bytes);
    const parsed = parseStreamMessage(inner);
    if (!parsed) throw new DecodeError('truncated message inside compressMsg');
    return { msg: parsed.msg, consumed: v.end };
  }
  switch (type) {
    case MessageType.ping: {
      const v = takeValue(buf, 1);
      return v && { msg: { type: 'ping', ping: decodePing(v.bytes) }, consumed: v.end };
    }
    case MessageType.ackResp: {
      const v = takeValue(buf, 1);
      return v && { msg: { type: 'ack', ack: decodeAck(v.bytes) }, consumed: v.end };
    }
    case MessageType.err: {
      const v = takeValue(buf, 1);
      return v && { msg: { type: 'err', error: decodeErr(v.bytes).error }, consumed: v.end };
    }
    case MessageType.user: {
      const v = takeValue(buf, 1);
      if (!v) return undefined;
      const len = decodeUserMsgHeader(v.bytes).userMsgLen;
      if (buf.length < v.end + len) return undefined;
      return { msg: { type: 'user', payload: buf.slice(v.end, v.end + len) }, consumed: v.end + len };
    }
    case MessageType.pushPull: {
      const h = takeValue(buf, 1);
      if (!h) return undefined;
      const header = decodePushPullHeader(h.bytes);
      if (header.nodes < 0 || header.nodes > 1_000_000) throw new DecodeError(`bad node count ${header.nodes}`);
      let pos = h.end;
      const nodes: PushNodeState[] = [];
      for (let i = 0; i < header.nodes; i++) {
        const v = takeValue(buf, pos);
        if (!v) return undefined;
        nodes.push(decodePushNodeState(v.bytes));
        pos = v.end;
      }
      let userState: Uint8Array | undefined;
      if (header.userStateLen > 0) {
        if (buf.length < pos + header.userStateLen) return undefined;
        userState = buf.slice(pos, pos + header.userStateLen);
        pos += header.userStateLen;
      }
      return { msg: { type: 'pushPull', header, nodes, userState }, consumed: pos };
    }
    default:
      return { msg: { type: 'unknown', code: type }, consumed: buf.length };
  }
}
