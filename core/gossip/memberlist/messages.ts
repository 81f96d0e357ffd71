/**
 * memberlist's wire messages (hashicorp/memberlist net.go): a one-byte message type followed by a
 * msgpack-encoded Go struct. Field names, order and types mirror the Go structs exactly so that a
 * real memberlist decodes what we send.
 */
import {
  DecodeError,
  decodeStruct,
  fieldArray,
  fieldBool,
  fieldBytes,
  fieldNumber,
  fieldString,
  GoMsgpackWriter,
  writeStruct,
} from '../codec/msgpack.ts';

/** memberlist's messageType values. */
export const MessageType = {
  ping: 0,
  indirectPing: 1,
  ackResp: 2,
  suspect: 3,
  alive: 4,
  dead: 5,
  pushPull: 6,
  compound: 7,
  user: 8,
  compress: 9,
  encrypt: 10,
  nackResp: 11,
  hasCrc: 12,
  err: 13,
  /** memberlist 0.3+: a label header (`[244, len, label...]`) in front of a packet or stream. */
  hasLabel: 244,
} as const;

/** Node states as memberlist numbers them (NodeStateType). */
export const NodeStateType = { alive: 0, suspect: 1, dead: 2, left: 3 } as const;
export type NodeStateNumber = (typeof NodeStateType)[keyof typeof NodeStateType];

/** memberlist protocol versions we understand (ProtocolVersionMin..ProtocolVersionMax). */
export const PROTOCOL_VERSION_MIN = 1;
export const PROTOCOL_VERSION_MAX = 5;
/** The version memberlist speaks by default (ProtocolVersion2Compatible). */
export const PROTOCOL_VERSION_DEFAULT = 2;
/** Largest node metadata memberlist accepts (MetaMaxSize). */
export const META_MAX_SIZE = 512;

export interface Ping {
  seqNo: number;
  node: string;
  sourceAddr?: Uint8Array | undefined;
  sourcePort?: number | undefined;
  sourceNode?: string | undefined;
}

export interface IndirectPingReq {
  seqNo: number;
  target: Uint8Array;
  port: number;
  node: string;
  nack: boolean;
  sourceAddr?: Uint8Array | undefined;
  sourcePort?: number | undefined;
  sourceNode?: string | undefined;
}

export interface AckResp {
  seqNo: number;
  payload: Uint8Array | undefined;
}

export interface NackResp {
  seqNo: number;
}

export interface ErrResp {
  error: string;
}

export interface Suspect {
  incarnation: number;
  node: string;
  from: string;
}

export interface Alive {
  incarnation: number;
  node: string;
  addr: Uint8Array;
  port: number;
  meta: Uint8Array;
  /** pmin, pmax, pcur, dmin, dmax, dcur. */
  vsn: Uint8Array;
}

export interface Dead {
  incarnation: number;
  node: string;
  from: string;
}

export interface PushPullHeader {
  nodes: number;
  userStateLen: number;
  join: boolean;
}

export interface PushNodeState {
  name: string;
  addr: Uint8Array;
  port: number;
  meta: Uint8Array;
  incarnation: number;
  state: number;
  vsn: Uint8Array;
}

export interface UserMsgHeader {
  userMsgLen: number;
}

export interface Compress {
  algo: number;
  buf: Uint8Array;
}

function withType(type: number, write: (w: GoMsgpackWriter) => void): Uint8Array {
  const w = new GoMsgpackWriter();
  w.byte(type);
  write(w);
  return w.finish();
}

/** `omitempty` fields are left out when zero, as Go does. */
function sourceFields(m: { sourceAddr?: Uint8Array | undefined; sourcePort?: number | undefined; sourceNode?: string | undefined }) {
  const out: [string, (w: GoMsgpackWriter) => void][] = [];
  if (m.sourceAddr && m.sourceAddr.length > 0) out.push(['SourceAddr', (w) => w.raw(m.sourceAddr)]);
  if (m.sourcePort) out.push(['SourcePort', (w) => w.uint(m.sourcePort ?? 0)]);
  if (m.sourceNode) out.push(['SourceNode', (w) => w.str(m.sourceNode ?? '')]);
  return out;
}

export function encodePingBody(w: GoMsgpackWriter, m: Ping): void {
  writeStruct(w, [['SeqNo', (x) => x.uint(m.seqNo)], ['Node', (x) => x.str(m.node)], ...sourceFields(m)]);
}

export function encodePing(m: Ping): Uint8Array {
  return withType(MessageType.ping, (w) => encodePingBody(w, m));
}

export function encodeIndirectPing(m: IndirectPingReq): Uint8Array {
  return withType(MessageType.indirectPing, (w) =>
    writeStruct(w, [
      ['SeqNo', (x) => x.uint(m.seqNo)],
      ['Target', (x) => x.raw(m.target)],
      ['Port', (x) => x.uint(m.port)],
      ['Node', (x) => x.str(m.node)],
      ['Nack', (x) => x.bool(m.nack)],
      ...sourceFields(m),
    ]),
  );
}

export function encodeAck(m: AckResp): Uint8Array {
  return withType(MessageType.ackResp, (w) =>
    writeStruct(w, [
      ['SeqNo', (x) => x.uint(m.seqNo)],
      ['Payload', (x) => x.raw(m.payload)],
    ]),
  );
}

export function encodeNack(m: NackResp): Uint8Array {
  return withType(MessageType.nackResp, (w) => writeStruct(w, [['SeqNo', (x) => x.uint(m.seqNo)]]));
}

export function encodeErr(m: ErrResp): Uint8Array {
  return withType(MessageType.err, (w) => writeStruct(w, [['Error', (x) => x.str(m.error)]]));
}

export function encodeSuspect(m: Suspect): Uint8Array {
  return withType(MessageType.suspect, (w) =>
    writeStruct(w, [
      ['Incarnation', (x) => x.uint(m.incarnation)],
      ['Node', (x) => x.str(m.node)],
      ['From', (x) => x.str(m.from)],
    ]),
  );
}

export function encodeAlive(m: Alive): Uint8Array {
  return withType(MessageType.alive, (w) =>
    writeStruct(w, [
      ['Incarnation', (x) => x.uint(m.incarnation)],
      ['Node', (x) => x.str(m.node)],
      ['Addr', (x) => x.raw(m.addr)],
      ['Port', (x) => x.uint(m.port)],
      ['Meta', (x) => x.raw(m.meta)],
      ['Vsn', (x) => x.raw(m.vsn)],
    ]),
  );
}

export function encodeDead(m: Dead): Uint8Array {
  return withType(MessageType.dead, (w) =>
    writeStruct(w, [
      ['Incarnation', (x) => x.uint(m.incarnation)],
      ['Node', (x) => x.str(m.node)],
      ['From', (x) => x.str(m.from)],
    ]),
  );
}

export function writePushPullHeader(w: GoMsgpackWriter, m: PushPullHeader): void {
  writeStruct(w, [
    ['Nodes', (x) => x.uint(m.nodes)],
    ['UserStateLen', (x) => x.uint(m.userStateLen)],
    ['Join', (x) => x.bool(m.join)],
  ]);
}

export function writePushNodeState(w: GoMsgpackWriter, m: PushNodeState): void {
  writeStruct(w, [
    ['Name', (x) => x.str(m.name)],
    ['Addr', (x) => x.raw(m.addr)],
    ['Port', (x) => x.uint(m.port)],
    ['Meta', (x) => x.raw(m.meta)],
    ['Incarnation', (x) => x.uint(m.incarnation)],
    ['State', (x) => x.int(m.state)],
    ['Vsn', (x) => x.raw(m.vsn)],
  ]);
}

export function writeUserMsgHeader(w: GoMsgpackWriter, m: UserMsgHeader): void {
  writeStruct(w, [['UserMsgLen', (x) => x.uint(m.userMsgLen)]]);
}

export function decodePing(body: Uint8Array): Ping {
  const r = decodeStruct(body);
  return {
    seqNo: fieldNumber(r, 'SeqNo'),
    node: fieldString(r, 'Node'),
    sourceAddr: fieldBytes(r, 'SourceAddr'),
    sourcePort: fieldNumber(r, 'SourcePort'),
    sourceNode: fieldString(r, 'SourceNode'),
  };
}

export function decodeIndirectPing(body: Uint8Array): IndirectPingReq {
  const r = decodeStruct(body);
  return {
    seqNo: fieldNumber(r, 'SeqNo'),
    target: fieldBytes(r, 'Target'),
    port: fieldNumber(r, 'Port'),
    node: fieldString(r, 'Node'),
    nack: fieldBool(r, 'Nack'),
    sourceAddr: fieldBytes(r, 'SourceAddr'),
    sourcePort: fieldNumber(r, 'SourcePort'),
    sourceNode: fieldString(r, 'SourceNode'),
  };
}

export function decodeAck(body: Uint8Array): AckResp {
  const r = decodeStruct(body);
  const payload = r['Payload'] === null || r['Payload'] === undefined ? undefined : fieldBytes(r, 'Payload');
  return { seqNo: fieldNumber(r, 'SeqNo'), payload };
}

export function decodeNack(body: Uint8Array): NackResp {
  return { seqNo: fieldNumber(decodeStruct(body), 'SeqNo') };
}

export function decodeErr(body: Uint8Array): ErrResp {
  return { error: fieldString(decodeStruct(body), 'Error') };
}

export function decodeSuspect(body: Uint8Array): Suspect {
  const r = decodeStruct(body);
  return { incarnation: fieldNumber(r, 'Incarnation'), node: fieldString(r, 'Node'), from: fieldString(r, 'From') };
}

export function decodeDead(body: Uint8Array): Dead {
  const r = decodeStruct(body);
  return { incarnation: fieldNumber(r, 'Incarnation'), node: fieldString(r, 'Node'), from: fieldString(r, 'From') };
}

export function decodeAlive(body: Uint8Array): Alive {
  const r = decodeStruct(body);
  return {
    incarnation: fieldNumber(r, 'Incarnation'),
    node: fieldString(r, 'Node'),
    addr: fieldBytes(r, 'Addr'),
    port: fieldNumber(r, 'Port'),
    meta: fieldBytes(r, 'Meta'),
    vsn: fieldBytes(r, 'Vsn'),
  };
}

export function decodePushPullHeader(body: Uint8Array): PushPullHeader {
  const r = decodeStruct(body);
  return { nodes: fieldNumber(r, 'Nodes'), userStateLen: fieldNumber(r, 'UserStateLen'), join: fieldBool(r, 'Join') };
}

export function decodePushNodeState(body: Uint8Array): PushNodeState {
  const r = decodeStruct(body);
  return {
    name: fieldString(r, 'Name'),
    addr: fieldBytes(r, 'Addr'),
    port: fieldNumber(r, 'Port'),
    meta: fieldBytes(r, 'Meta'),
    incarnation: fieldNumber(r, 'Incarnation'),
    state: fieldNumber(r, 'State'),
    vsn: fieldBytes(r, 'Vsn'),
  };
}

export function decodeUserMsgHeader(body: Uint8Array): UserMsgHeader {
  return { userMsgLen: fieldNumber(decodeStruct(body), 'UserMsgLen') };
}

export function decodeCompress(body: Uint8Array): Compress {
  const r = decodeStruct(body);
  return { algo: fieldNumber(r, 'Algo'), buf: fieldBytes(r, 'Buf') };
}

/** Validates a Vsn array as memberlist's aliveNode does; returns an error message or undefined. */
export function checkVsn(vsn: Uint8Array): string | undefined {
  if (vsn.length === 0) return undefined;
  if (vsn.length < 6) return `short Vsn (${vsn.length} bytes)`;
  const [pmin, pmax] = [vsn[0] as number, vsn[1] as number];
  if (pmin === 0 || pmax === 0 || pmin > pmax) return `protocol version(s) are wrong: ${pmin}..${pmax}`;
  return undefined;
}

export { DecodeError, fieldArray };
