/**
 * A small deterministic in-memory network and clock for gossip unit tests and the large-scale
 * dissemination model: one virtual-time event queue, per-host packet and stream transports with
 * latency and loss. (Whole-cluster fault scenarios use core/sim; this exists so that the state
 * machines can be unit-tested in isolation and so that 10,000-node runs stay cheap.)
 */
import type { TimerHandle, TimeSource } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import type { Address, PacketHandler, PacketTransport, Stream, StreamCloseReason, StreamTransport } from '../../ports/transport.ts';

interface Event {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A binary min-heap of events ordered by (time, insertion sequence). */
class EventQueue {
  private heap: Event[] = [];
  private seq = 0;

  push(at: number, fn: () => void): Event {
    const ev: Event = { at, seq: this.seq++, fn, cancelled: false };
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p] as Event, ev)) break;
      h[i] = h[p] as Event;
      i = p;
    }
    h[i] = ev;
    return ev;
  }

  pop(): Event | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let best = last;
        if (l < h.length && less(h[l] as Event, best)) {
          m = l;
          best = h[l] as Event;
        }
        if (r < h.length && less(h[r] as Event, best)) {
          m = r;
          best = h[r] as Event;
        }
        if (m === i) break;
        h[i] = best;
        i = m;
      }
      h[i] = last;
    }
    return top;
  }

  peek(): Event | undefined {
    return this.heap[0];
  }

  get size(): number {
    return this.heap.length;
  }
}

function less(a: Event, b: Event): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export interface LinkConfig {
  /** One-way latency in ms: base plus uniform jitter. */
  latency: number;
  jitter: number;
  /** Packet loss probability. */
  loss: number;
}

export class MemNet {
  now = 0;
  private readonly queue = new EventQueue();
  private readonly packetEndpoints = new Map<Address, MemPacket>();
  private readonly streamEndpoints = new Map<Address, MemStreamTransport>();
  private readonly down = new Set<string>();
  /** Extra per-host processing delay (a "slow node"): added to every packet it receives. */
  readonly slow = new Map<string, number>();
  packetsSent = 0;
  bytesSent = 0;

  constructor(
    readonly random: Random,
    readonly link: LinkConfig = { latency: 1, jitter: 1, loss: 0 },
  ) {}

  schedule(delay: number, fn: () => void): Event {
    return this.queue.push(this.now + Math.max(0, delay), fn);
  }

  /** Runs events until virtual time `until` (inclusive). */
  runUntil(until: number, stop?: () => boolean): boolean {
    for (;;) {
      const ev = this.queue.peek();
      if (!ev || ev.at > until) {
        this.now = until;
        return false;
      }
      this.queue.pop();
      if (ev.cancelled) continue;
      this.now = ev.at;
      ev.fn();
      if (stop?.()) return true;
    }
  }

  runFor(ms: number, stop?: () => boolean): boolean {
    return this.runUntil(this.now + ms, stop);
  }

  time(host: string): TimeSource {
    return {
      now: () => this.now,
      setTimer: (delay: number, cb: () => void): TimerHandle => {
        const ev = this.schedule(Number.isNaN(delay) ? 0 : delay, () => {
          if (!this.down.has(host)) cb();
        });
        return { cancel: () => (ev.cancelled = true) };
      },
    };
  }

  packet(host: string, port: number): PacketTransport {
    const p = new MemPacket(this, `${host}:${port}`, host);
    this.packetEndpoints.set(p.localAddress, p);
    return p;
  }

  stream(host: string, port: number): StreamTransport {
    const s = new MemStreamTransport(this, `${host}:${port}`, host);
    this.streamEndpoints.set(s.localAddress, s);
    return s;
  }

  /** A crashed host: its timers stop and nothing reaches it. */
  crash(host: string): void {
    this.down.add(host);
  }

  isDown(host: string): boolean {
    return this.down.has(host);
  }

  private delay(toHost: string): number {
    return this.link.latency + this.random.float() * this.link.jitter + (this.slow.get(toHost) ?? 0);
  }

  deliverPacket(from: MemPacket, to: Address, data: Uint8Array): void {
    this.packetsSent++;
    this.bytesSent += data.length;
    if (this.down.has(from.host)) return;
    if (this.link.loss > 0 && this.random.chance(this.link.loss)) return;
    const target = this.packetEndpoints.get(to);
    if (!target) return;
    this.schedule(this.delay(target.host), () => {
      if (!this.down.has(target.host)) target.receive(from.localAddress, data);
    });
  }

  openStream(from: MemStreamTransport, to: Address, timeoutMs: number): Stream {
    const local = new MemStream(this, from.localAddress, to, from.host);
    const target = this.streamEndpoints.get(to);
    const toHost = to.slice(0, to.lastIndexOf(':'));
    if (!target || this.down.has(toHost) || this.down.has(from.host)) {
      this.schedule(target ? timeoutMs : this.delay(toHost), () => local.end(target ? { kind: 'timeout' } : { kind: 'refused' }));
      return local;
    }
    const remote = new MemStream(this, to, from.localAddress, target.host);
    local.peer = remote;
    remote.peer = local;
    this.schedule(this.delay(toHost), () => target.accept(remote));
    return local;
  }

  streamDelay(toHost: string): number {
    return this.delay(toHost);
  }
}

class MemPacket implements PacketTransport {
  readonly maxPacketSize = 65_536;
  private handler: PacketHandler | undefined;
  private closed = false;

  constructor(
    private readonly net: MemNet,
    readonly localAddress: Address,
    readonly host: string,
  ) {}

  send(to: Address, data: Uint8Array): void {
    if (this.closed) return;
    if (data.length > this.maxPacketSize) throw new RangeError('packet too large');
    this.net.deliverPacket(this, to, data);
  }

  receive(from: Address, data: Uint8Array): void {
    if (!this.closed) this.handler?.(from, data);
  }

  onPacket(handler: PacketHandler): void {
    this.handler = handler;
  }

  close(): void {
    this.closed = true;
  }
}

class MemStream implements Stream {
  peer: MemStream | undefined;
  private dataHandler: ((c: Uint8Array) => void) | undefined;
  private closeHandler: ((r: StreamCloseReason) => void) | undefined;
  private pending: Uint8Array[] = [];
  private ended: { reason: StreamCloseReason } | undefined;
  private closedLocal = false;
  private delivered = false;
  /** Deliveries are ordered: each one is scheduled no earlier than the previous. */
  private lastDeliveryAt = 0;

  constructor(
    private readonly net: MemNet,
    readonly localAddress: Address,
    readonly remoteAddress: Address,
    private readonly host: string,
  ) {}

  write(chunk: Uint8Array): void {
    if (this.closedLocal || !this.peer) return;
    this.net.bytesSent += chunk.length;
    this.peer.enqueue(() => this.peer?.receive(chunk));
  }

  enqueue(fn: () => void): void {
    const at = Math.max(this.net.now + this.net.streamDelay(this.host), this.lastDeliveryAt);
    this.lastDeliveryAt = at;
    this.net.schedule(at - this.net.now, () => {
      if (!this.net.isDown(this.host)) fn();
    });
  }

  private receive(chunk: Uint8Array): void {
    if (this.ended) return;
    if (this.dataHandler) this.dataHandler(chunk);
    else this.pending.push(chunk);
  }

  end(reason: StreamCloseReason): void {
    if (this.ended) return;
    this.ended = { reason };
    if (this.closeHandler && !this.delivered) {
      this.delivered = true;
      this.closeHandler(reason);
    }
  }

  onData(handler: (c: Uint8Array) => void): void {
    this.dataHandler = handler;
    const p = this.pending;
    this.pending = [];
    for (const c of p) handler(c);
  }

  onClose(handler: (r: StreamCloseReason) => void): void {
    this.closeHandler = handler;
    if (this.ended && !this.delivered) {
      this.delivered = true;
      const r = this.ended.reason;
      this.net.schedule(0, () => handler(r));
    }
  }

  close(): void {
    if (this.closedLocal) return;
    this.closedLocal = true;
    const peer = this.peer;
    if (peer) peer.enqueue(() => peer.end(undefined));
    this.net.schedule(0, () => this.end(undefined));
  }
}

class MemStreamTransport implements StreamTransport {
  private handler: ((s: Stream) => void) | undefined;
  private closed = false;

  constructor(
    private readonly net: MemNet,
    readonly localAddress: Address,
    readonly host: string,
  ) {}

  dial(to: Address, timeoutMs = 10_000): Stream {
    return this.net.openStream(this, to, timeoutMs);
  }

  accept(s: MemStream): void {
    if (this.closed || !this.handler) {
      s.close();
      return;
    }
    this.handler(s);
  }

  onAccept(handler: (s: Stream) => void): void {
    this.handler = handler;
  }

  close(): void {
    this.closed = true;
  }
}
