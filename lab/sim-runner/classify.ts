import { checkCrc, decodeCompoundMessage } from '../../core/gossip/codec/compound.ts';
import { MessageType } from '../../core/gossip/memberlist/messages.ts';
import { decompressBody } from '../../core/gossip/memberlist/stream-codec.ts';
import type { MsgType } from '../../core/raft/types.ts';

/** What the lab draws a message as. Every message in flight has exactly one kind. */
export type MessageKind = 'vote' | 'append' | 'heartbeat' | 'snapshot' | 'rpc' | 'ping' | 'ack' | 'suspect' | 'broadcast' | 'pushpull';

/** Every kind, in the order the filter bar lists them. */
export const MESSAGE_KINDS: readonly MessageKind[] = ['vote', 'append', 'heartbeat', 'snapshot', 'rpc', 'ping', 'ack', 'suspect', 'broadcast', 'pushpull'];

/** A classified message: its kind and a short label (e.g. `MsgApp 4..6`, `ping+alive`). */
export interface Classified {
  kind: MessageKind;
  label: string;
}

const HAS_LABEL = MessageType.hasLabel;
const PART_NAMES: Record<number, string> = {
  [MessageType.ping]: 'ping',
  [MessageType.indirectPing]: 'indirect-ping',
  [MessageType.ackResp]: 'ack',
  [MessageType.nackResp]: 'nack',
  [MessageType.suspect]: 'suspect',
  [MessageType.alive]: 'alive',
  [MessageType.dead]: 'dead',
  [MessageType.user]: 'user',
  [MessageType.pushPull]: 'push-pull',
  [MessageType.compress]: 'compressed',
  [MessageType.err]: 'err',
};

function partKind(type: number): MessageKind {
  switch (type) {
    case MessageType.ping:
    case MessageType.indirectPing:
      return 'ping';
    case MessageType.ackResp:
    case MessageType.nackResp:
      return 'ack';
    case MessageType.suspect:
      return 'suspect';
    default:
      return 'broadcast';
  }
}

/** Message types in a memberlist packet after its label and CRC headers (compressed and compound messages unpacked). */
function packetParts(data: Uint8Array): number[] {
  let buf = data;
  if (buf[0] === HAS_LABEL && buf.length > 2) buf = buf.subarray(2 + (buf[1] ?? 0));
  const body = checkCrc(buf);
  if (!body || body.length === 0) return [];
  try {
    return messageTypes(body, 0);
  } catch {
    return [];
  }
}

function messageTypes(msg: Uint8Array, depth: number): number[] {
  const type = msg[0] as number;
  if (depth > 3) return [type];
  // Big gossip packets travel LZW-compressed: look inside, or piggybacked suspicions would hide.
  if (type === MessageType.compress) return messageTypes(decompressBody(msg.subarray(1)), depth + 1);
  if (type === MessageType.compound) return decodeCompoundMessage(msg.subarray(1)).parts.flatMap((p) => messageTypes(p, depth + 1));
  return [type];
}

/**
 * Classifies a gossip datagram. A compound packet is drawn by its most telling part: suspicion
 * first (the thing learners look for), then the probe it carries, then piggybacked broadcasts.
 */
export function classifyPacket(data: Uint8Array): Classified {
  const parts = packetParts(data);
  if (parts.length === 0) return { kind: 'broadcast', label: 'gossip' };
  const kinds = parts.map(partKind);
  const order: MessageKind[] = ['suspect', 'ping', 'ack', 'broadcast'];
  const kind = order.find((k) => kinds.includes(k)) ?? 'broadcast';
  const counts = new Map<string, number>();
  for (const t of parts) {
    const name = PART_NAMES[t] ?? `type ${t}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const label = [...counts].map(([name, n]) => (n > 1 ? `${name}×${n}` : name)).join('+');
  return { kind, label };
}

/** Maps a Raft message type to what the lab draws. Empty appends are heartbeats' cousins but stay appends. */
export function raftKind(type: MsgType): MessageKind {
  switch (type) {
    case 'MsgVote':
    case 'MsgVoteResp':
    case 'MsgPreVote':
    case 'MsgPreVoteResp':
    case 'MsgTimeoutNow':
      return 'vote';
    case 'MsgHeartbeat':
    case 'MsgHeartbeatResp':
      return 'heartbeat';
    case 'MsgSnap':
    case 'MsgSnapResp':
      return 'snapshot';
    default:
      return 'append';
  }
}
