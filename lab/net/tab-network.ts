/**
 * One tab's end of the lab network: the core's PacketTransport and StreamTransport on virtual
 * ports, multiplexed over a path to each peer tab (a WebRTC data channel pair or the WebSocket
 * relay, see peer-mesh.ts). Addresses are `${host}:${port}` like everywhere else in the core.
 *
 * It also holds the partition hooks: a cut drops every frame to (and, unless one-way, from) a peer,
 * and resets the streams with it, as a broken TCP path would, so that a stream never delivers
 * bytes with a gap in them after a heal.
 */
import type { TimerHandle, Timers } from '../../core/ports/clock.ts';
import type { Address, PacketHandler, PacketTransport, Stream, StreamCloseReason, StreamTransport } from '../../core/ports/transport.ts';
import { decodeFrame, encodeFrame, type Frame } from './frame.ts';

/** Sends one encoded frame to a peer; `reliable` selects the ordered, lossless channel. */
export type FrameSender = (frame: Uint8Array, reliable: boolean) => void;

/** Largest payload per data frame: small enough to interleave streams on one channel. */
export const MAX_DATA_FRAME = 16 * 1024;
/** memberlist's UDP buffer size. */
export const MAX_PACKET = 65_536;
/** How long a dial waits for the peer's accept when the caller gives no timeout. */
export const DEFAULT_DIAL_TIMEOUT_MS = 10_000;

/** Splits `host:port` (the last colon separates the port). */
export function splitAddress(addr: Address): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  const port = Number(addr.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 0xffff) throw new Error(`lab network: bad address "${addr}"`);
  return { host: addr.slice(0, i), port };
}

interface Peer {
  send: FrameSender;
  /** Streams with this peer, keyed by `o<id>` (dialed here) or `i<id>` (dialed there). */
  streams: Map<string, TabStream>;
}

export class TabNetwork {
  private readonly peers = new Map<string, Peer>();
  private readonly packetPorts = new Map<number, TabPacketTransport>();
  private readonly streamPorts = new Map<number, TabStreamTransport>();
  private readonly cutOut = new Set<string>();
  private readonly cutIn = new Set<string>();
  private nextStreamId = 1;
  /** Frames that failed to decode (a buggy or hostile peer); counted, never thrown. */
  badFrames = 0;

  constructor(
    readonly host: string,
    readonly timers: Timers,
  ) {}

  /** A peer tab became reachable (or reconnected as a new session): earlier streams are reset. */
  attach(host: string, send: FrameSender): void {
    this.detach(host);
    this.peers.set(host, { send, streams: new Map() });
  }

  /** A peer tab went away: its streams end with `reset`. */
  detach(host: string): void {
    const peer = this.peers.get(host);
    if (!peer) return;
    this.peers.delete(host);
    for (const s of [...peer.streams.values()]) s.end({ kind: 'reset' }, false);
  }

  /** Hosts with a path. */
  peerHosts(): string[] {
    return [...this.peers.keys()];
  }

  /** Drops frames to `host` and, unless `oneWay`, from it; resets the streams with it. */
  cut(host: string, oneWay = false): void {
    this.cutOut.add(host);
    if (!oneWay) this.cutIn.add(host);
    const peer = this.peers.get(host);
    if (peer) for (const s of [...peer.streams.values()]) s.end({ kind: 'reset' }, true);
  }

  /** Heals the cut with `host`, or every cut when no host is given. */
  heal(host?: string): void {
    if (host === undefined) {
      this.cutOut.clear();
      this.cutIn.clear();
    } else {
      this.cutOut.delete(host);
      this.cutIn.delete(host);
    }
  }

  /** The current cuts, for the page's display and tests. */
  cuts(): { host: string; out: boolean; in: boolean }[] {
    const hosts = [...new Set([...this.cutOut, ...this.cutIn])].sort();
    return hosts.map((host) => ({ host, out: this.cutOut.has(host), in: this.cutIn.has(host) }));
  }

  packet(port: number): PacketTransport {
    let t = this.packetPorts.get(port);
    if (!t) {
      t = new TabPacketTransport(this, port);
      this.packetPorts.set(port, t);
    }
    return t;
  }

  stream(port: number): StreamTransport {
    let t = this.streamPorts.get(port);
    if (!t) {
      t = new TabStreamTransport(this, port);
      this.streamPorts.set(port, t);
    }
    return t;
  }

  /** @internal */
  unbindPacket(port: number, t: TabPacketTransport): void {
    if (this.packetPorts.get(port) === t) this.packetPorts.delete(port);
  }

  /** @internal */
  unbindStream(port: number, t: TabStreamTransport): void {
    if (this.streamPorts.get(port) === t) this.streamPorts.delete(port);
    for (const peer of this.peers.values()) for (const s of [...peer.streams.values()]) if (s.localPort === port) s.end({ kind: 'reset' }, true);
  }

  /** @internal A packet this tab sent to itself. */
  deliverLocal(port: number, from: Address, data: Uint8Array): void {
    this.packetPorts.get(port)?.deliver(from, data);
  }

  /** @internal Sends a frame unless the link to `host` is cut or absent. */
  sendFrame(host: string, frame: Frame, reliable: boolean): void {
    if (this.cutOut.has(host)) return;
    this.peers.get(host)?.send(encodeFrame(frame), reliable);
  }

  /** @internal Registers a dialed stream and sends its open frame. */
  openStream(stream: TabStream, remotePort: number): boolean {
    const peer = this.peers.get(stream.remoteHost);
    if (!peer) return false;
    peer.streams.set(stream.key, stream);
    this.sendFrame(stream.remoteHost, { kind: 'open', fromDialer: true, id: stream.id, srcPort: stream.localPort, dstPort: remotePort }, true);
    return true;
  }

  /** @internal */
  forget(stream: TabStream): void {
    const peer = this.peers.get(stream.remoteHost);
    if (peer?.streams.get(stream.key) === stream) peer.streams.delete(stream.key);
  }

  /** @internal */
  allocateStreamId(): number {
    const id = this.nextStreamId;
    this.nextStreamId = id >= 0xffffffff ? 1 : id + 1;
    return id;
  }

  /** A frame arrived from `host` (on any path). Bad frames are counted and dropped. */
  receive(host: string, bytes: Uint8Array): void {
    if (this.cutIn.has(host)) return;
    const peer = this.peers.get(host);
    if (!peer) return;
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch {
      this.badFrames++;
      return;
    }
    if (frame.kind === 'packet') {
      this.packetPorts.get(frame.dstPort)?.deliver(`${host}:${frame.srcPort}`, frame.payload);
      return;
    }
    // The key as seen from here: a frame from the dialer concerns a stream dialed there.
    const key = `${frame.fromDialer ? 'i' : 'o'}${frame.id}`;
    const stream = peer.streams.get(key);
    switch (frame.kind) {
      case 'open':
        return this.accept(host, peer, frame.id, frame.srcPort, frame.dstPort);
      case 'accept':
        return stream?.accepted();
      case 'data':
        if (stream) stream.deliver(frame.payload);
        else this.sendFrame(host, { kind: 'close', fromDialer: !frame.fromDialer, id: frame.id, reason: { kind: 'reset' } }, true);
        return;
      case 'close':
        return stream?.end(frame.reason, false);
    }
  }

  private accept(host: string, peer: Peer, id: number, srcPort: number, dstPort: number): void {
    const listener = this.streamPorts.get(dstPort);
    if (!listener?.acceptHandler) {
      this.sendFrame(host, { kind: 'close', fromDialer: false, id, reason: { kind: 'refused' } }, true);
      return;
    }
    const stream = new TabStream(this, false, id, dstPort, host, srcPort);
    peer.streams.set(stream.key, stream);
    this.sendFrame(host, { kind: 'accept', fromDialer: false, id }, true);
    listener.acceptHandler(stream);
  }
}

class TabPacketTransport implements PacketTransport {
  readonly localAddress: Address;
  readonly maxPacketSize = MAX_PACKET;
  private handler: PacketHandler | undefined;
  private closed = false;

  constructor(
    private readonly net: TabNetwork,
    private readonly port: number,
  ) {
    this.localAddress = `${net.host}:${port}`;
  }

  send(to: Address, data: Uint8Array): void {
    if (data.length > this.maxPacketSize) throw new Error(`packet of ${data.length} bytes exceeds the maximum of ${this.maxPacketSize}`);
    if (this.closed) return;
    const { host, port } = splitAddress(to);
    if (host === this.net.host) {
      // Loopback: still asynchronous, as the contract requires.
      queueMicrotask(() => this.net.deliverLocal(port, this.localAddress, data));
      return;
    }
    this.net.sendFrame(host, { kind: 'packet', srcPort: this.port, dstPort: port, payload: data }, false);
  }

  onPacket(handler: PacketHandler): void {
    this.handler = handler;
  }

  /** @internal */
  deliver(from: Address, data: Uint8Array): void {
    if (!this.closed) this.handler?.(from, data);
  }

  close(): void {
    this.closed = true;
    this.handler = undefined;
    this.net.unbindPacket(this.port, this);
  }
}

class TabStreamTransport implements StreamTransport {
  readonly localAddress: Address;
  acceptHandler: ((stream: Stream) => void) | undefined;
  private closed = false;

  constructor(
    private readonly net: TabNetwork,
    private readonly port: number,
  ) {
    this.localAddress = `${net.host}:${port}`;
  }

  dial(to: Address, timeoutMs = DEFAULT_DIAL_TIMEOUT_MS): Stream {
    const { host, port } = splitAddress(to);
    const stream = new TabStream(this.net, true, this.net.allocateStreamId(), this.port, host, port);
    if (this.closed || host === this.net.host || !this.net.openStream(stream, port)) {
      // Dialing ourselves is not needed by the core (it calls its own server directly); an
      // unknown host has no tab behind it.
      stream.end({ kind: 'refused' }, false);
      return stream;
    }
    stream.startConnectTimer(timeoutMs);
    return stream;
  }

  onAccept(handler: (stream: Stream) => void): void {
    this.acceptHandler = handler;
  }

  close(): void {
    this.closed = true;
    this.acceptHandler = undefined;
    this.net.unbindStream(this.port, this);
  }
}

/** One virtual stream. Data is delivered in the receiving event; a local close is deferred. */
export class TabStream implements Stream {
  readonly localAddress: Address;
  readonly remoteAddress: Address;
  readonly key: string;
  private dataHandler: ((chunk: Uint8Array) => void) | undefined;
  private closeHandler: ((reason: StreamCloseReason) => void) | undefined;
  private pending: Uint8Array[] = [];
  private closed = false;
  private closeReason: StreamCloseReason | null = null;
  private connectTimer: TimerHandle | undefined;

  constructor(
    private readonly net: TabNetwork,
    private readonly dialer: boolean,
    readonly id: number,
    readonly localPort: number,
    readonly remoteHost: string,
    remotePort: number,
  ) {
    this.localAddress = `${net.host}:${localPort}`;
    this.remoteAddress = `${remoteHost}:${remotePort}`;
    this.key = `${dialer ? 'o' : 'i'}${id}`;
  }

  /** @internal */
  startConnectTimer(ms: number): void {
    this.connectTimer = this.net.timers.setTimer(ms, () => this.end({ kind: 'timeout' }, true));
  }

  /** @internal */
  accepted(): void {
    this.connectTimer?.cancel();
    this.connectTimer = undefined;
  }

  write(chunk: Uint8Array): void {
    if (this.closed) return;
    for (let off = 0; off < chunk.length; off += MAX_DATA_FRAME) {
      const payload = chunk.subarray(off, Math.min(chunk.length, off + MAX_DATA_FRAME));
      this.net.sendFrame(this.remoteHost, { kind: 'data', fromDialer: this.dialer, id: this.id, payload }, true);
    }
  }

  onData(handler: (chunk: Uint8Array) => void): void {
    this.dataHandler = handler;
    const queued = this.pending;
    this.pending = [];
    if (queued.length > 0) queueMicrotask(() => this.flushPending(queued));
  }

  onClose(handler: (reason: StreamCloseReason) => void): void {
    this.closeHandler = handler;
    // Already closed before the handler was set: it still hears about it, once, asynchronously.
    if (this.closeReason !== null) {
      const reason = this.closeReason;
      queueMicrotask(() => this.fireClose(reason));
    }
  }

  close(): void {
    if (this.closed) return;
    this.net.sendFrame(this.remoteHost, { kind: 'close', fromDialer: this.dialer, id: this.id, reason: undefined }, true);
    this.end(undefined, true);
  }

  /** @internal */
  deliver(chunk: Uint8Array): void {
    if (this.closed) return;
    if (this.dataHandler) this.dataHandler(chunk);
    else this.pending.push(chunk);
  }

  /**
   * @internal Ends the stream. `deferred` when called from inside a caller's `close()` or a
   * timer, so that onClose never runs inside `close`.
   */
  end(reason: StreamCloseReason, deferred: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.connectTimer?.cancel();
    this.net.forget(this);
    if (reason !== undefined && deferred && reason.kind !== 'timeout') {
      // A local reset (cut, unbind): tell the peer, if the path still carries frames.
      this.net.sendFrame(this.remoteHost, { kind: 'close', fromDialer: this.dialer, id: this.id, reason }, true);
    }
    this.closeReason = reason ?? undefined;
    if (deferred || !this.closeHandler) queueMicrotask(() => this.fireClose(reason));
    else this.fireClose(reason);
  }

  private flushPending(chunks: Uint8Array[]): void {
    for (const c of chunks) this.dataHandler?.(c);
  }

  private fired = false;

  private fireClose(reason: StreamCloseReason): void {
    if (this.fired || !this.closeHandler) return;
    this.fired = true;
    this.closeHandler(reason);
  }
}
