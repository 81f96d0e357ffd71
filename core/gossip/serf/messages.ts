/**
 * serf's messages (hashicorp/serf serf/messages.go): a one-byte serf message type then a msgpack Go
 * struct, carried as memberlist user messages. Field names and order mirror Go.
 */
import {
  DecodeError,
  decodeStruct,
  fieldArray,
  fieldBool,
  fieldBytes,
  fieldMap,
  fieldNumber,
  fieldString,
  fromUtf8,
  GoMsgpackWriter,
  writeStruct,
} from '../codec/msgpack.ts';

export const SerfMessageType = {
  leave: 0,
  join: 1,
  pushPull: 2,
  userEvent: 3,
  query: 4,
  queryResponse: 5,
  conflictResponse: 6,
  keyRequest: 7,
  keyResponse: 8,
  relay: 9,
} as const;

export const QUERY_FLAG_ACK = 1;
export const QUERY_FLAG_NO_BROADCAST = 2;

/** Serf's magic byte in front of msgpack-encoded tags (protocol >= 3). */
export const TAG_MAGIC_BYTE = 255;

export interface MessageJoin {
  ltime: number;
  node: string;
}
export interface MessageLeave {
  ltime: number;
  node: string;
  prune: boolean;
}
export interface UserEventRecord {
  name: string;
  payload: Uint8Array;
}
export interface UserEvents {
  ltime: number;
  events: UserEventRecord[];
}
export interface MessagePushPull {
  ltime: number;
  statusLTimes: Map<string, number>;
  leftMembers: string[];
  eventLTime: number;
  /** The event buffer, with undefined for empty slots (Go's nil pointers). */
  events: (UserEvents | undefined)[];
  queryLTime: number;
}
export interface MessageUserEvent {
  ltime: number;
  name: string;
  payload: Uint8Array;
  cc: boolean;
}
export interface MessageQuery {
  ltime: number;
  id: number;
  addr: Uint8Array;
  port: number;
  sourceNode: string;
  filters: Uint8Array[];
  flags: number;
  relayFactor: number;
  /** Go time.Duration: nanoseconds. */
  timeoutNs: number;
  name: string;
  payload: Uint8Array;
}
export interface MessageQueryResponse {
  ltime: number;
  id: number;
  from: string;
  flags: number;
  payload: Uint8Array | undefined;
}

function typed(type: number, write: (w: GoMsgpackWriter) => void): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(type);
  write(w);
  return w.finish();
}

export function encodeJoin(m: MessageJoin): Uint8Array {
  return typed(SerfMessageType.join, (w) =>
    writeStruct(w, [
      ['LTime', (x) => x.uint(m.ltime)],
      ['Node', (x) => x.str(m.node)],
    ]),
  );
}

export function encodeLeave(m: MessageLeave): Uint8Array {
  return typed(SerfMessageType.leave, (w) =>
    writeStruct(w, [
      ['LTime', (x) => x.uint(m.ltime)],
      ['Node', (x) => x.str(m.node)],
      ['Prune', (x) => x.bool(m.prune)],
    ]),
  );
}

export function encodeUserEvent(m: MessageUserEvent): Uint8Array {
  return typed(SerfMessageType.userEvent, (w) =>
    writeStruct(w, [
      ['LTime', (x) => x.uint(m.ltime)],
      ['Name', (x) => x.str(m.name)],
      ['Payload', (x) => x.raw(m.payload)],
      ['CC', (x) => x.bool(m.cc)],
    ]),
  );
}

function writeUserEvents(w: GoMsgpackWriter, e: UserEvents | undefined): void {
  if (!e) {
    w.nil();
    return;
  }
  writeStruct(w, [
    ['LTime', (x) => x.uint(e.ltime)],
    [
      'Events',
      (x) => {
        x.arrayHeader(e.events.length);
        for (const ev of e.events) {
          writeStruct(x, [
            ['Name', (y) => y.str(ev.name)],
            ['Payload', (y) => y.raw(ev.payload)],
          ]);
        }
      },
    ],
  ]);
}

export function encodePushPull(m: MessagePushPull): Uint8Array {
  return typed(SerfMessageType.pushPull, (w) =>
    writeStruct(w, [
      ['LTime', (x) => x.uint(m.ltime)],
      [
        'StatusLTimes',
        (x) => {
          x.mapHeader(m.statusLTimes.size);
          for (const [k, v] of m.statusLTimes) x.str(k).uint(v);
        },
      ],
      [
        'LeftMembers',
        (x) => {
          x.arrayHeader(m.leftMembers.length);
          for (const n of m.leftMembers) x.str(n);
        },
      ],
      ['EventLTime', (x) => x.uint(m.eventLTime)],
      [
        'Events',
        (x) => {
          x.arrayHeader(m.events.length);
          for (const e of m.events) writeUserEvents(x, e);
        },
      ],
      ['QueryLTime', (x) => x.uint(m.queryLTime)],
    ]),
  );
}

export function encodeQuery(m: MessageQuery): Uint8Array {
  return typed(SerfMessageType.query, (w) =>
    writeStruct(w, [
      ['LTime', (x) => x.uint(m.ltime)],
      ['ID', (x) => x.uint(m.id)],
      ['Addr', (x) => x.raw(m.addr)],
      ['Port', (x) => x.uint(m.port)],
      ['SourceNode', (x) => x.str(m.sourceNode)],
      [
        'Filters',
        (x) => {
          if (m.filters.length === 0) {
            x.nil();
            return;
          }
          x.arrayHeader(m.filters.length);
          for (const f of m.filters) x.raw(f);
        },
      ],
      ['Flags', (x) => x.uint(m.flags)],
      ['RelayFactor', (x) => x.uint(m.relayFactor)],
      ['Timeout', (x) => x.int(m.timeoutNs)],
      ['Name', (x) => x.str(m.name)],
      ['Payload', (x) => x.raw(m.payload)],
    ]),
  );
}

export function encodeQueryResponse(m: MessageQueryResponse): Uint8Array {
  return typed(SerfMessageType.queryResponse, (w) => writeQueryResponseBody(w, m));
}

function writeQueryResponseBody(w: GoMsgpackWriter, m: MessageQueryResponse): void {
  writeStruct(w, [
    ['LTime', (x) => x.uint(m.ltime)],
    ['ID', (x) => x.uint(m.id)],
    ['From', (x) => x.str(m.from)],
    ['Flags', (x) => x.uint(m.flags)],
    ['Payload', (x) => x.raw(m.payload)],
  ]);
}

/**
 * A relayed response: relayHeader {DestAddr net.UDPAddr{IP, Port, Zone}, DestName}, then the
 * typed inner message.
 */
export function encodeRelay(destAddr: Uint8Array, destPort: number, destName: string, inner: Uint8Array): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(SerfMessageType.relay);
  writeStruct(w, [
    [
      'DestAddr',
      (x) =>
        writeStruct(x, [
          ['IP', (y) => y.raw(destAddr)],
          ['Port', (y) => y.int(destPort)],
          ['Zone', (y) => y.str('')],
        ]),
    ],
    ['DestName', (x) => x.str(destName)],
  ]);
  w.bytes(inner);
  return w.finish();
}

export function decodeJoin(body: Uint8Array): MessageJoin {
  const r = decodeStruct(body);
  return { ltime: fieldNumber(r, 'LTime'), node: fieldString(r, 'Node') };
}

export function decodeLeave(body: Uint8Array): MessageLeave {
  const r = decodeStruct(body);
  return { ltime: fieldNumber(r, 'LTime'), node: fieldString(r, 'Node'), prune: fieldBool(r, 'Prune') };
}

export function decodeUserEvent(body: Uint8Array): MessageUserEvent {
  const r = decodeStruct(body);
  return { ltime: fieldNumber(r, 'LTime'), name: fieldString(r, 'Name'), payload: fieldBytes(r, 'Payload'), cc: fieldBool(r, 'CC') };
}

function asRecord(v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) throw new DecodeError('expected a struct');
  return v as Record<string, unknown>;
}

export function decodePushPull(body: Uint8Array): MessagePushPull {
  const r = decodeStruct(body);
  const statusLTimes = new Map<string, number>();
  for (const [k, v] of Object.entries(fieldMap(r, 'StatusLTimes'))) {
    if (typeof v !== 'number') throw new DecodeError('StatusLTimes: expected numbers');
    statusLTimes.set(k, v);
  }
  const leftMembers = fieldArray(r, 'LeftMembers').map((v) => (v instanceof Uint8Array ? fromUtf8(v) : String(v)));
  const events = fieldArray(r, 'Events').map((v): UserEvents | undefined => {
    if (v === null || v === undefined) return undefined;
    const e = asRecord(v);
    return {
      ltime: fieldNumber(e, 'LTime'),
      events: fieldArray(e, 'Events').map((x) => {
        const ev = asRecord(x);
        return { name: fieldString(ev, 'Name'), payload: fieldBytes(ev, 'Payload') };
      }),
    };
  });
  return {
    ltime: fieldNumber(r, 'LTime'),
    statusLTimes,
    leftMembers,
    eventLTime: fieldNumber(r, 'EventLTime'),
    events,
    queryLTime: fieldNumber(r, 'QueryLTime'),
  };
}

export function decodeQuery(body: Uint8Array): MessageQuery {
  const r = decodeStruct(body);
  return {
    ltime: fieldNumber(r, 'LTime'),
    id: fieldNumber(r, 'ID'),
    addr: fieldBytes(r, 'Addr'),
    port: fieldNumber(r, 'Port'),
    sourceNode: fieldString(r, 'SourceNode'),
    filters: fieldArray(r, 'Filters').map((f) => {
      if (!(f instanceof Uint8Array)) throw new DecodeError('Filters: expected bytes');
      return f;
    }),
    flags: fieldNumber(r, 'Flags'),
    relayFactor: fieldNumber(r, 'RelayFactor'),
    timeoutNs: fieldNumber(r, 'Timeout'),
    name: fieldString(r, 'Name'),
    payload: fieldBytes(r, 'Payload'),
  };
}

export function decodeQueryResponse(body: Uint8Array): MessageQueryResponse {
  const r = decodeStruct(body);
  return {
    ltime: fieldNumber(r, 'LTime'),
    id: fieldNumber(r, 'ID'),
    from: fieldString(r, 'From'),
    flags: fieldNumber(r, 'Flags'),
    payload: fieldBytes(r, 'Payload'),
  };
}

/** Splits a relay message body into its destination and the inner message. */
export function decodeRelay(body: Uint8Array, headerEnd: number): { addr: Uint8Array; port: number; name: string; inner: Uint8Array } {
  const r = decodeStruct(body.subarray(0, headerEnd));
  const dest = asRecord(r['DestAddr']);
  return { addr: fieldBytes(dest, 'IP'), port: fieldNumber(dest, 'Port'), name: fieldString(r, 'DestName'), inner: body.subarray(headerEnd) };
}

/** serf's encodeTags: magic byte, then msgpack map[string]string (keys sorted for determinism). */
export function encodeTags(tags: Record<string, string>): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(TAG_MAGIC_BYTE);
  const keys = Object.keys(tags).sort();
  w.mapHeader(keys.length);
  for (const k of keys) w.str(k).str(tags[k] ?? '');
  return w.finish();
}

/** serf's decodeTags: without the magic byte the whole meta is the "role" tag (protocol < 3). */
export function decodeTags(buf: Uint8Array): Record<string, string> {
  if (buf.length === 0 || buf[0] !== TAG_MAGIC_BYTE) return buf.length > 0 ? { role: fromUtf8(buf) } : {};
  const r = decodeStruct(buf.subarray(1));
  const out: Record<string, string> = {};
  for (const k of Object.keys(r)) out[k] = fieldString(r, k);
  return out;
}

/** Query filters: a type byte (0 node list, 1 tag regexp) then msgpack. */
export function encodeNodeFilter(nodes: string[]): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(0);
  w.arrayHeader(nodes.length);
  for (const n of nodes) w.str(n);
  return w.finish();
}

export function encodeTagFilter(tag: string, expr: string): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(1);
  writeStruct(w, [
    ['Tag', (x) => x.str(tag)],
    ['Expr', (x) => x.str(expr)],
  ]);
  return w.finish();
}

export type QueryFilter = { type: 'node'; nodes: string[] } | { type: 'tag'; tag: string; expr: string };

export function decodeFilter(buf: Uint8Array): QueryFilter {
  if (buf.length === 0) throw new DecodeError('empty filter');
  const body = buf.subarray(1);
  if (buf[0] === 0) {
    const w = decodeStructOrArray(body);
    return { type: 'node', nodes: w.map((v) => (v instanceof Uint8Array ? fromUtf8(v) : String(v))) };
  }
  if (buf[0] === 1) {
    const r = decodeStruct(body);
    return { type: 'tag', tag: fieldString(r, 'Tag'), expr: fieldString(r, 'Expr') };
  }
  throw new DecodeError(`unknown filter type ${buf[0]}`);
}

function decodeStructOrArray(body: Uint8Array): unknown[] {
  const r = decodeStruct(new Uint8Array([0x81, 0xa1, 0x78, ...body]));
  return fieldArray(r, 'x');
}
