/**
 * How a RaftServer exchanges messages with its peers. `StreamRaftTransport` sends msgpack frames
 * (codec.ts) over the StreamTransport port: one outgoing stream per peer, dialled on demand and
 * re-dialled after it closes. `MemoryRaftNetwork` passes message objects between servers in one
 * process (benchmarks, unit tests), through an injected `defer`, never synchronously.
 */
import type { Address, PacketTransport, Stream, StreamTransport } from '../ports/transport.ts';
import { decodeFrameBody, encodeFrame, FrameReader } from './codec.ts';
import type { Defer } from './memory-storage.ts';
import type { Message } from './types.ts';

/** Receives a batch of messages from one sender, with the sender's address when known. */
export type MessagesHandler = (messages: Message[], fromAddress?: Address) => void;

/**
 * The transport contract: `send` never throws for network reasons and never blocks; messages may
 * be lost (Raft retries), and are delivered in order per peer while a connection lasts.
 * `onUnreachable` reports a peer whose connection failed, so replication can stop pipelining.
 */
export interface RaftTransport {
  send(to: string, address: Address, messages: Message[]): void;
  onMessages(handler: MessagesHandler): void;
  onUnreachable(handler: (id: string) => void): void;
  close(): void;
}

/**
 * When to give up on an outgoing stream that has stopped delivering: the receiver writes a byte
 * back on each stream it reads from (at most every `silentAfterMs / 4`), and a stream whose oldest
 * unacknowledged write is older than `silentAfterMs` is replaced on the next send. A silently cut
 * TCP connection otherwise keeps buffering, and after the cut heals the kernel's retransmission
 * back-off (doubling towards minutes) delays replication long after the network is back; a new
 * connection starts over. (HashiCorp's raft transport gets the same from a deadline per RPC.)
 */
export interface StreamLiveness {
  now(): number;
  silentAfterMs: number;
}

const ACK = new Uint8Array([0]);

/** Raft over a StreamTransport (TCP in Node, simulated streams in the simulator). */
export class StreamRaftTransport implements RaftTransport {
  private readonly out = new Map<string, Stream>();
  private readonly inbound = new Set<Stream>();
  /** Per peer: when the oldest write not yet acknowledged by the receiver was made. */
  private readonly unackedSince = new Map<string, number>();
  private handler: MessagesHandler = () => {};
  private unreachable: (id: string) => void = () => {};
  private closed = false;

  constructor(
    private readonly id: string,
    private readonly streams: StreamTransport,
    private readonly dialTimeoutMs = 10_000,
    private readonly liveness?: StreamLiveness,
  ) {
    streams.onAccept((s) => this.accept(s));
  }

  /** True when the stream to `to` has not acknowledged a write for so long that it should be replaced. */
  private stalled(to: string): boolean {
    const since = this.unackedSince.get(to);
    return this.liveness !== undefined && since !== undefined && this.liveness.now() - since > this.liveness.silentAfterMs;
  }

  get address(): Address {
    return this.streams.localAddress;
  }

  send(to: string, address: Address, messages: Message[]): void {
    if (this.closed || messages.length === 0) return;
    let s = this.out.get(to);
    if (!s || s.remoteAddress !== address || this.stalled(to)) {
      s?.close();
      this.unackedSince.delete(to);
      s = this.streams.dial(address, this.dialTimeoutMs);
      const stream = s;
      this.out.set(to, stream);
      stream.onData(() => {
        if (this.out.get(to) === stream) this.unackedSince.delete(to);
      });
      stream.onClose(() => {
        if (this.out.get(to) === stream) this.out.delete(to);
        if (!this.closed) this.unreachable(to);
      });
    }
    if (this.liveness && !this.unackedSince.has(to)) this.unackedSince.set(to, this.liveness.now());
    s.write(encodeFrame(this.id, this.streams.localAddress, messages));
  }

  private accept(s: Stream): void {
    if (this.closed) {
      s.close();
      return;
    }
    this.inbound.add(s);
    const reader = new FrameReader();
    s.onData((chunk) => {
      let frames: ReturnType<FrameReader['push']>;
      try {
        frames = reader.push(chunk);
      } catch {
        s.close(); // malformed input: drop the connection, keep the server
        return;
      }
      this.acknowledge(s);
      for (const f of frames) this.handler(f.messages, f.address);
    });
    s.onClose(() => this.inbound.delete(s));
  }

  private readonly lastAck = new WeakMap<Stream, number>();

  /** Tells the sender its stream delivers (one byte back, throttled): see StreamLiveness. */
  private acknowledge(s: Stream): void {
    const l = this.liveness;
    if (!l) return;
    const now = l.now();
    if (now - (this.lastAck.get(s) ?? Number.NEGATIVE_INFINITY) < l.silentAfterMs / 4) return;
    this.lastAck.set(s, now);
    s.write(ACK);
  }

  onMessages(handler: MessagesHandler): void {
    this.handler = handler;
  }

  onUnreachable(handler: (id: string) => void): void {
    this.unreachable = handler;
  }

  close(): void {
    this.closed = true;
    for (const s of this.out.values()) s.close();
    for (const s of this.inbound) s.close();
    this.out.clear();
    this.inbound.clear();
  }
}

/** An in-process network of Raft transports keyed by address. */
export class MemoryRaftNetwork {
  private readonly handlers = new Map<Address, MessagesHandler>();

  constructor(private readonly defer: Defer) {}

  /** A transport for the server listening at `address`. */
  transport(address: Address): RaftTransport {
    const net = this;
    return {
      send(_to, to, messages) {
        net.defer(() => net.handlers.get(to)?.(messages, address));
      },
      onMessages(handler) {
        net.handlers.set(address, handler);
      },
      onUnreachable() {},
      close() {
        net.handlers.delete(address);
      },
    };
  }
}

/**
 * Raft over datagrams (PacketTransport): each send is one or more datagrams, each a frame of whole
 * messages. Raft tolerates the loss, duplication and reordering this exposes (it retries and every
 * message carries its term and indexes), which is why the simulator uses it to test exactly that.
 * A single message larger than the datagram limit is dropped: keep `maxMsgBytes` and
 * `snapshotChunkBytes` well below `maxPacketSize`.
 */
export class PacketRaftTransport implements RaftTransport {
  private handler: MessagesHandler = () => {};

  constructor(
    private readonly id: string,
    private readonly packets: PacketTransport,
  ) {
    packets.onPacket((from, data) => {
      let frame: ReturnType<typeof decodeFrameBody>;
      try {
        frame = decodeFrameBody(data.subarray(4));
      } catch {
        return; // malformed datagram: ignore it
      }
      this.handler(frame.messages, frame.address || from);
    });
  }

  send(_to: string, address: Address, messages: Message[]): void {
    const limit = this.packets.maxPacketSize;
    let batch: Message[] = [];
    let frame: Uint8Array | undefined;
    for (const m of messages) {
      const next = [...batch, m];
      const encoded = encodeFrame(this.id, this.packets.localAddress, next);
      if (encoded.length <= limit) {
        batch = next;
        frame = encoded;
        continue;
      }
      if (frame) this.packets.send(address, frame);
      const alone = encodeFrame(this.id, this.packets.localAddress, [m]);
      if (alone.length <= limit) {
        batch = [m];
        frame = alone;
      } else {
        batch = [];
        frame = undefined;
      }
    }
    if (frame) this.packets.send(address, frame);
  }

  onMessages(handler: MessagesHandler): void {
    this.handler = handler;
  }

  onUnreachable(): void {}

  close(): void {
    this.packets.close();
  }
}
