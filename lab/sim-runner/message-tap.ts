import { RpcType } from '../../core/agent/rpc/codec.ts';
import type { TraceEvent } from '../../core/ports/trace.ts';
import type { PacketTransport, Stream, StreamCloseReason, StreamTransport } from '../../core/ports/transport.ts';
import { FrameReader } from '../../core/raft/codec.ts';
import type { Message } from '../../core/raft/types.ts';
import type { NodeEnv } from '../../core/sim/sim-node.ts';
import { type Classified, classifyPacket, type MessageKind, raftKind } from './classify.ts';

/** One message the lab saw: who sent it to whom, when it left and when it arrived (or was lost). */
export interface LabMessage {
  /** Increases by one per message; views ask for everything after the last seq they drew. */
  seq: number;
  kind: MessageKind;
  label: string;
  from: string;
  to: string;
  sentAt: number;
  /** Virtual time of delivery or loss; undefined while in flight. */
  doneAt?: number;
  lost?: boolean;
}

const RING = 4000;
/** Stream data that has not arrived after this long went down with its connection. */
const STREAM_GIVE_UP_MS = 6000;
const PACKET_GIVE_UP_MS = 2000;

const hostOf = (address: string): string => {
  const i = address.lastIndexOf(':');
  return i < 0 ? address : address.slice(0, i);
};

/**
 * Watches every datagram and stream chunk of the simulated cluster and turns them into messages
 * with a kind the views can filter and animate. It only observes: the wrapped transports pass
 * every call through unchanged and draw no randomness, so a run's trace hash is the same with the
 * tap on or off. Datagrams are matched to the simulator's `net.*` trace events by their id; stream
 * chunks to their arrival by order per direction of a connection (the simulator keeps order).
 */
export class MessageTap {
  /** When false, nothing is decoded (benchmarks with the views closed). */
  enabled = true;
  private seqNo = 0;
  private readonly ring: LabMessage[] = [];
  private pendingPacket: Classified | undefined;
  private readonly packets = new Map<number, LabMessage>();
  private readonly streams = new Map<string, LabMessage[][]>();
  private readonly open = new Set<LabMessage>();
  private lastSweep = 0;

  constructor(private readonly now: () => number) {}

  /** Feeds the tap the simulator's trace (net.send / net.deliver / net.drop). */
  onTrace(ev: TraceEvent): void {
    if (ev.kind === 'net.send') {
      const c = this.pendingPacket;
      this.pendingPacket = undefined;
      if (c) this.packets.set(ev.id, this.record(c, hostOf(ev.from), hostOf(ev.to)));
    } else if (ev.kind === 'net.deliver' || ev.kind === 'net.drop') {
      const m = this.packets.get(ev.id);
      if (!m) return;
      this.packets.delete(ev.id);
      this.finish(m, ev.kind === 'net.drop');
    }
  }

  /** Messages with seq greater than `seq`, oldest first (at most the last 4,000). */
  since(seq: number): LabMessage[] {
    const first = this.ring[0]?.seq ?? seq + 1;
    return this.ring.slice(Math.max(0, seq + 1 - first, this.ring.length - RING));
  }

  /** Messages sent and not yet delivered or lost. */
  inFlight(): LabMessage[] {
    return [...this.open];
  }

  get lastSeq(): number {
    return this.seqNo;
  }

  /** An environment whose transports report to this tap. */
  wrapEnv(env: NodeEnv): NodeEnv {
    return {
      ...env,
      packet: (port) => this.wrapPacket(env.packet(port)),
      stream: (port) => this.wrapStreams(env.stream(port), port),
    } as NodeEnv;
  }

  private wrapPacket(inner: PacketTransport): PacketTransport {
    return {
      get localAddress() {
        return inner.localAddress;
      },
      get maxPacketSize() {
        return inner.maxPacketSize;
      },
      send: (to, data) => {
        if (this.enabled) this.pendingPacket = safe(() => classifyPacket(data));
        inner.send(to, data);
        this.pendingPacket = undefined;
      },
      onPacket: (h) => inner.onPacket(h),
      close: () => inner.close(),
    };
  }

  private wrapStreams(inner: StreamTransport, port: number): StreamTransport {
    const gossip = port !== 0 && port !== 8300;
    return {
      get localAddress() {
        return inner.localAddress;
      },
      dial: (to, timeoutMs) => new TappedStream(inner.dial(to, timeoutMs), this, gossip),
      onAccept: (h) => inner.onAccept((s) => h(new TappedStream(s, this, gossip))),
      close: () => inner.close(),
    };
  }

  /** @internal A chunk was written on `s`. */
  wrote(s: TappedStream, chunk: Uint8Array): void {
    const key = `${s.localAddress}>${s.remoteAddress}`;
    let queue = this.streams.get(key);
    if (!queue) this.streams.set(key, (queue = []));
    queue.push(this.enabled ? (safe(() => this.classifyChunk(s, chunk)) ?? []) : []);
  }

  /** @internal A chunk arrived on `s`. */
  received(s: TappedStream): void {
    const key = `${s.remoteAddress}>${s.localAddress}`;
    const queue = this.streams.get(key);
    const msgs = queue?.shift();
    if (queue && queue.length === 0) this.streams.delete(key);
    if (msgs) for (const m of msgs) this.finish(m, false);
  }

  private classifyChunk(s: TappedStream, chunk: Uint8Array): LabMessage[] {
    const from = hostOf(s.localAddress);
    const to = hostOf(s.remoteAddress);
    if (s.gossip) return [this.record({ kind: 'pushpull', label: 'push-pull' }, from, to)];
    if (s.type === undefined) {
      s.type = chunk[0];
      if (chunk.length === 1) return [];
      chunk = chunk.subarray(1);
    }
    if (s.type !== RpcType.Raft) return [this.record({ kind: 'rpc', label: 'rpc' }, from, to)];
    s.reader ??= new FrameReader();
    const out: LabMessage[] = [];
    for (const frame of s.reader.push(chunk)) {
      for (const m of frame.messages) out.push(this.record({ kind: raftKind(m.type), label: raftLabel(m) }, from, to));
    }
    return out;
  }

  private record(c: Classified, from: string, to: string): LabMessage {
    const m: LabMessage = { seq: ++this.seqNo, kind: c.kind, label: c.label, from, to, sentAt: this.now() };
    this.ring.push(m);
    // Trimmed in batches: dropping the oldest on every message moved 4,000 entries per message.
    if (this.ring.length >= 2 * RING) this.ring.splice(0, this.ring.length - RING);
    this.open.add(m);
    this.sweep();
    return m;
  }

  private finish(m: LabMessage, lost: boolean): void {
    if (m.doneAt !== undefined) return;
    m.doneAt = this.now();
    if (lost) m.lost = true;
    this.open.delete(m);
  }

  /** Gives up on messages whose delivery can no longer come (crashed receivers, broken streams). */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const m of this.open) {
      const limit = m.kind === 'ping' || m.kind === 'ack' || m.kind === 'suspect' || m.kind === 'broadcast' ? PACKET_GIVE_UP_MS : STREAM_GIVE_UP_MS;
      if (now - m.sentAt > limit) this.finish(m, true);
    }
    for (const [id, m] of this.packets) if (m.doneAt !== undefined) this.packets.delete(id);
    for (const [key, queue] of this.streams) if (queue.every((msgs) => msgs.every((m) => m.doneAt !== undefined))) this.streams.delete(key);
  }
}

/** A stream that tells the tap about each chunk written and received; otherwise the stream itself. */
class TappedStream implements Stream {
  type: number | undefined;
  reader: FrameReader | undefined;

  constructor(
    private readonly inner: Stream,
    private readonly tap: MessageTap,
    readonly gossip: boolean,
  ) {}

  get localAddress(): string {
    return this.inner.localAddress;
  }

  get remoteAddress(): string {
    return this.inner.remoteAddress;
  }

  write(chunk: Uint8Array): void {
    this.tap.wrote(this, chunk);
    this.inner.write(chunk);
  }

  onData(handler: (chunk: Uint8Array) => void): void {
    this.inner.onData((chunk) => {
      if (this.type === undefined && !this.gossip) this.type = chunk[0];
      this.tap.received(this);
      handler(chunk);
    });
  }

  onClose(handler: (reason: StreamCloseReason) => void): void {
    this.inner.onClose(handler);
  }

  close(): void {
    this.inner.close();
  }
}

function raftLabel(m: Message): string {
  switch (m.type) {
    case 'MsgApp':
      return m.entries.length > 0 ? `append ${m.index + 1}..${m.index + m.entries.length} (t${m.term})` : `append commit ${m.commit} (t${m.term})`;
    case 'MsgAppResp':
      return m.reject ? `append rejected at ${m.index}` : `append ok up to ${m.index}`;
    case 'MsgVote':
      return `vote for me? term ${m.term}`;
    case 'MsgPreVote':
      return `pre-vote? term ${m.term}`;
    case 'MsgVoteResp':
    case 'MsgPreVoteResp':
      return `${m.type === 'MsgPreVoteResp' ? 'pre-vote' : 'vote'} ${m.reject ? 'denied' : 'granted'} (t${m.term})`;
    case 'MsgHeartbeat':
      return `heartbeat commit ${m.commit}`;
    case 'MsgHeartbeatResp':
      return 'heartbeat ack';
    case 'MsgSnap':
      return `snapshot @${m.snapshot?.index ?? '?'}`;
    default:
      return m.type;
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
