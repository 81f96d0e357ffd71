/**
 * The wire format of Raft messages between servers: msgpack frames with a 4-byte big-endian length
 * prefix, over a reliable stream. One frame carries a batch of messages from one sender, with the
 * sender's address so that a server not yet in the configuration (a joining non-voter) can answer.
 *
 * Each message is a positional msgpack array (compact and fast to decode); entries are flattened.
 * WARNING: only append to MSG_TYPES and to the message layout: they are part of the protocol.
 */
import { Decoder, Encoder } from '@msgpack/msgpack';
import type { Entry, Message, MsgType, SnapshotChunk } from './types.ts';
import { NO_ENTRIES } from './types.ts';

const MSG_TYPES: readonly MsgType[] = [
  'MsgHup',
  'MsgBeat',
  'MsgProp',
  'MsgApp',
  'MsgAppResp',
  'MsgVote',
  'MsgVoteResp',
  'MsgPreVote',
  'MsgPreVoteResp',
  'MsgSnap',
  'MsgSnapResp',
  'MsgHeartbeat',
  'MsgHeartbeatResp',
  'MsgTimeoutNow',
  'MsgTransferLeader',
  'MsgReadIndex',
];
const TYPE_CODE = new Map<MsgType, number>(MSG_TYPES.map((t, i) => [t, i]));

/** Frames larger than this are refused (a corrupt length prefix must not allocate gigabytes). */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** A decoded frame: who sent it, from where, and the messages. */
export interface Frame {
  from: string;
  address: string;
  messages: Message[];
}

const encoder = new Encoder();
const decoder = new Decoder();

function encodeChunk(c: SnapshotChunk | null): unknown {
  if (!c) return null;
  const servers = c.configuration.servers.map((s) => [s.id, s.address, s.suffrage === 'voter' ? 1 : 0]);
  return [c.index, c.term, servers, c.offset, c.total, c.data, c.done];
}

function encodeMessage(m: Message): unknown[] {
  const flat: unknown[] = [];
  for (const e of m.entries) flat.push(e.index, e.term, e.type, e.data);
  return [TYPE_CODE.get(m.type), m.to, m.term, m.logTerm, m.index, flat, m.commit, m.reject, m.rejectHint, m.ctx, m.lease, m.force, encodeChunk(m.snapshot)];
}

/** Encodes one frame, length prefix included. */
export function encodeFrame(from: string, address: string, messages: Message[]): Uint8Array {
  const body = encoder.encode([from, address, messages.map(encodeMessage)]);
  if (body.length > MAX_FRAME_BYTES) throw new Error(`raft codec: frame of ${body.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

function fail(why: string): never {
  throw new Error(`raft codec: ${why}`);
}

function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what} is not a number`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') fail(`${what} is not a string`);
  return v;
}

function bytes(v: unknown, what: string): Uint8Array {
  if (!(v instanceof Uint8Array)) fail(`${what} is not bytes`);
  return v;
}

function decodeChunk(v: unknown): SnapshotChunk | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v) || v.length < 7 || !Array.isArray(v[2])) fail('malformed snapshot chunk');
  const servers = (v[2] as unknown[]).map((s) => {
    if (!Array.isArray(s)) fail('malformed server');
    return { id: str(s[0], 'server id'), address: str(s[1], 'server address'), suffrage: s[2] === 1 ? ('voter' as const) : ('nonvoter' as const) };
  });
  return {
    index: num(v[0], 'snapshot index'),
    term: num(v[1], 'snapshot term'),
    configuration: { servers },
    offset: num(v[3], 'offset'),
    total: num(v[4], 'total'),
    data: bytes(v[5], 'snapshot data'),
    done: v[6] === true,
  };
}

function decodeMessage(from: string, v: unknown): Message {
  if (!Array.isArray(v) || v.length < 13) fail('malformed message');
  const type = MSG_TYPES[num(v[0], 'type')];
  if (!type) fail(`unknown message type ${String(v[0])}`);
  const flat = v[5];
  if (!Array.isArray(flat) || flat.length % 4 !== 0) fail('malformed entries');
  let entries: Entry[] = NO_ENTRIES;
  if (flat.length > 0) {
    entries = new Array(flat.length / 4);
    for (let i = 0, k = 0; i < flat.length; i += 4, k++) {
      entries[k] = { index: num(flat[i], 'entry index'), term: num(flat[i + 1], 'entry term'), type: num(flat[i + 2], 'entry type'), data: bytes(flat[i + 3], 'entry data') };
    }
  }
  return {
    type,
    from,
    to: str(v[1], 'to'),
    term: num(v[2], 'term'),
    logTerm: num(v[3], 'logTerm'),
    index: num(v[4], 'index'),
    entries,
    commit: num(v[6], 'commit'),
    reject: v[7] === true,
    rejectHint: num(v[8], 'rejectHint'),
    ctx: num(v[9], 'ctx'),
    lease: num(v[10], 'lease'),
    force: v[11] === true,
    snapshot: decodeChunk(v[12]),
  };
}

/** Decodes one frame body (without the length prefix). Throws a clear error on malformed input. */
export function decodeFrameBody(body: Uint8Array): Frame {
  const v = decoder.decode(body);
  if (!Array.isArray(v) || v.length !== 3 || !Array.isArray(v[2])) fail('malformed frame');
  const from = str(v[0], 'sender');
  return { from, address: str(v[1], 'sender address'), messages: (v[2] as unknown[]).map((m) => decodeMessage(from, m)) };
}

/**
 * Reassembles frames from stream chunks (a stream does not preserve write boundaries). `push`
 * returns every frame completed by the chunk; a malformed frame throws, and the caller closes the
 * stream (nothing partial is ever stepped).
 */
export class FrameReader {
  private buf: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Frame[] {
    this.buf = this.buf.length === 0 ? chunk : concat(this.buf, chunk);
    const out: Frame[] = [];
    let at = 0;
    while (this.buf.length - at >= 4) {
      const len = new DataView(this.buf.buffer, this.buf.byteOffset + at, 4).getUint32(0);
      if (len > MAX_FRAME_BYTES) fail(`frame length ${len} exceeds ${MAX_FRAME_BYTES}`);
      if (this.buf.length - at - 4 < len) break;
      out.push(decodeFrameBody(this.buf.subarray(at + 4, at + 4 + len)));
      at += 4 + len;
    }
    this.buf = at === this.buf.length ? new Uint8Array(0) : this.buf.slice(at);
    return out;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
