import type { Random } from '../ports/random.ts';
import type { TraceSink } from '../ports/trace.ts';
import type {
  Address,
  PacketHandler,
  PacketTransport,
  Stream,
  StreamCloseReason,
  StreamTransport,
} from '../ports/transport.ts';
import { drawLatency, type LatencyModel, roundMicros } from './latency.ts';

/** Per-link behaviour. Unset fields fall back to the datacenter pair's, then the network's. */
export interface LinkConfig {
  latency?: LatencyModel;
  /** Probability that a datagram is lost. */
  loss?: number;
  /** Probability that a datagram is delivered twice. */
  duplicate?: number;
  /** Probability that a datagram is held back by up to `reorderMaxMs`, so later ones overtake it. */
  reorder?: number;
}

/** The whole network's behaviour. */
export interface NetworkConfig {
  /** One-way delay between nodes of the same datacenter. */
  latency: LatencyModel;
  /** One-way delay between datacenters, unless `dcLatency` names the pair. */
  wanLatency: LatencyModel;
  /** Per datacenter pair, keyed `dcA|dcB` with the names sorted. */
  dcLatency: Record<string, LatencyModel>;
  loss: number;
  duplicate: number;
  reorder: number;
  reorderMaxMs: number;
  /** Probability that a stream chunk is delivered split in two (exercises framing code). */
  splitChunks: number;
  /** How long a dial into a partition waits before failing with `timeout`. */
  streamTimeoutMs: number;
  /** Largest datagram accepted by `send`. */
  maxPacketSize: number;
}

export const DEFAULT_NETWORK_CONFIG: NetworkConfig = {
  latency: { kind: 'exponential', minMs: 0.2, meanMs: 0.6 },
  wanLatency: { kind: 'uniform', minMs: 20, maxMs: 40 },
  dcLatency: {},
  loss: 0,
  duplicate: 0,
  reorder: 0,
  reorderMaxMs: 20,
  splitChunks: 0,
  streamTimeoutMs: 5000,
  maxPacketSize: 65536,
};

/** What the network needs from a node. */
export interface NetNode {
  readonly id: string;
  readonly dc: string;
  /** Runs `fn` on this node after `delayMs`, unless it crashes first; held while it is paused. */
  post(delayMs: number, fn: () => void): void;
  /** The node's current incarnation; bumps on crash so stale deliveries can be recognised. */
  readonly epoch: number;
}

/** Splits `host:port`. */
export function hostOf(address: Address): string {
  const i = address.lastIndexOf(':');
  return i < 0 ? address : address.slice(0, i);
}

/**
 * The simulated network: datagrams and streams between node ports, with latency, loss,
 * duplication, reordering, partitions (symmetric, one-way, into groups) and clogging.
 * Partitions are checked when a datagram is sent: what is already in flight still arrives.
 */
export class SimNetwork {
  config: NetworkConfig;
  private readonly links = new Map<string, LinkConfig>();
  private readonly blocked = new Set<string>();
  private readonly clogs = new Map<string, number>();
  private readonly packetPorts = new Map<Address, SimPacketTransport>();
  private readonly streamPorts = new Map<Address, SimStreamTransport>();
  private readonly nodes = new Map<string, NetNode>();
  private packetId = 0;
  private streamId = 0;

  constructor(
    config: Partial<NetworkConfig>,
    readonly random: Random,
    readonly trace: TraceSink,
    readonly now: () => number,
    /** World-level scheduling (not tied to a node). */
    readonly schedule: (delayMs: number, fn: () => void) => void,
  ) {
    this.config = { ...DEFAULT_NETWORK_CONFIG, ...config };
  }

  addNode(node: NetNode): void {
    this.nodes.set(node.id, node);
  }

  node(host: string): NetNode | undefined {
    return this.nodes.get(host);
  }

  // ---- faults -------------------------------------------------------------------------------

  /** Overrides behaviour for the directed link `from -> to` (and back unless `oneWay`). */
  setLink(from: string, to: string, config: LinkConfig, options: { oneWay?: boolean } = {}): void {
    this.links.set(`${from}>${to}`, { ...this.links.get(`${from}>${to}`), ...config });
    if (!options.oneWay) this.links.set(`${to}>${from}`, { ...this.links.get(`${to}>${from}`), ...config });
  }

  /** Cuts the link `from -> to` (and back unless `oneWay`). */
  cut(from: string, to: string, options: { oneWay?: boolean } = {}): void {
    this.blocked.add(`${from}>${to}`);
    if (!options.oneWay) this.blocked.add(`${to}>${from}`);
    this.trace.emit('fault.cut', '', { from, to, oneWay: options.oneWay === true });
  }

  /** Splits the nodes into groups that cannot talk to each other. Unlisted nodes form one more group. */
  partition(groups: string[][]): void {
    const listed = new Set(groups.flat());
    const rest = [...this.nodes.keys()].filter((id) => !listed.has(id));
    const all = rest.length > 0 ? [...groups, rest] : groups;
    const groupOf = new Map<string, number>();
    for (const [i, g] of all.entries()) for (const id of g) groupOf.set(id, i);
    for (const a of this.nodes.keys()) {
      for (const b of this.nodes.keys()) {
        if (a !== b && groupOf.get(a) !== groupOf.get(b)) this.blocked.add(`${a}>${b}`);
      }
    }
    this.trace.emit('fault.partition', '', { groups: all.map((g) => [...g]) });
  }

  /** Isolates one node from all others, both ways. */
  isolate(id: string): void {
    this.partition([[id]]);
  }

  /** Removes every cut, partition and clog (link settings stay). */
  heal(): void {
    this.blocked.clear();
    this.clogs.clear();
    this.trace.emit('fault.heal', '', {});
  }

  /** Holds every datagram and stream chunk on `from -> to` until virtual time `untilMs`. */
  clog(from: string, to: string, untilMs: number): void {
    this.clogs.set(`${from}>${to}`, untilMs);
    this.trace.emit('fault.clog', '', { from, to, untilMs });
  }

  isBlocked(from: string, to: string): boolean {
    return this.blocked.has(`${from}>${to}`);
  }

  // ---- delays -------------------------------------------------------------------------------

  private linkConfig(from: string, to: string): Required<LinkConfig> {
    const link = this.links.get(`${from}>${to}`) ?? {};
    return {
      latency: link.latency ?? this.pairLatency(from, to),
      loss: link.loss ?? this.config.loss,
      duplicate: link.duplicate ?? this.config.duplicate,
      reorder: link.reorder ?? this.config.reorder,
    };
  }

  private pairLatency(from: string, to: string): LatencyModel {
    const a = this.nodes.get(from)?.dc ?? '';
    const b = this.nodes.get(to)?.dc ?? '';
    if (a === b) return this.config.latency;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    return this.config.dcLatency[key] ?? this.config.wanLatency;
  }

  /** One-way delay for a datagram or chunk on `from -> to`, including clogging. */
  private delay(from: string, to: string, link: Required<LinkConfig>): number {
    let d = drawLatency(link.latency, this.random);
    if (link.reorder > 0 && this.random.chance(link.reorder)) d += this.random.float() * this.config.reorderMaxMs;
    const clog = this.clogs.get(`${from}>${to}`);
    if (clog !== undefined && clog > this.now() + d) d = clog - this.now();
    return roundMicros(d);
  }

  // ---- datagrams ----------------------------------------------------------------------------

  /** Binds a packet port on `node`. Throws if the address is taken (a programming error). */
  bindPacket(node: NetNode, port: number): SimPacketTransport {
    const address = `${node.id}:${port}`;
    if (this.packetPorts.has(address)) throw new Error(`SimNetwork: packet address ${address} already bound`);
    const transport = new SimPacketTransport(this, node, address);
    this.packetPorts.set(address, transport);
    return transport;
  }

  /** @internal */
  unbindPacket(address: Address, transport: SimPacketTransport): void {
    if (this.packetPorts.get(address) === transport) this.packetPorts.delete(address);
  }

  /** @internal Sends one datagram. */
  sendPacket(fromAddress: Address, to: Address, data: Uint8Array): void {
    const from = hostOf(fromAddress);
    const toHost = hostOf(to);
    const id = ++this.packetId;
    this.trace.emit('net.send', from, { from: fromAddress, to, bytes: data.length, id });
    if (this.blocked.has(`${from}>${toHost}`)) return this.dropPacket(from, fromAddress, to, id, 'partition');
    const link = this.linkConfig(from, toHost);
    if (this.random.chance(link.loss)) return this.dropPacket(from, fromAddress, to, id, 'loss');
    this.schedulePacket(fromAddress, to, data, id, this.delay(from, toHost, link));
    if (this.random.chance(link.duplicate)) {
      this.trace.emit('net.duplicate', from, { from: fromAddress, to, id });
      this.schedulePacket(fromAddress, to, data.slice(), id, this.delay(from, toHost, link));
    }
  }

  private dropPacket(node: string, from: Address, to: Address, id: number, reason: string): void {
    this.trace.emit('net.drop', node, { from, to, id, reason });
  }

  private schedulePacket(from: Address, to: Address, data: Uint8Array, id: number, delayMs: number): void {
    this.schedule(delayMs, () => {
      const target = this.packetPorts.get(to);
      const node = this.nodes.get(hostOf(to));
      if (!target || !node) return this.dropPacket(hostOf(to), from, to, id, 'unbound');
      node.post(0, () => target.deliver(from, data, id));
    });
  }

  // ---- streams ------------------------------------------------------------------------------

  bindStream(node: NetNode, port: number): SimStreamTransport {
    const address = `${node.id}:${port}`;
    if (this.streamPorts.has(address)) throw new Error(`SimNetwork: stream address ${address} already bound`);
    const transport = new SimStreamTransport(this, node, address);
    this.streamPorts.set(address, transport);
    return transport;
  }

  /** @internal */
  unbindStream(address: Address, transport: SimStreamTransport): void {
    if (this.streamPorts.get(address) === transport) this.streamPorts.delete(address);
  }

  /** @internal Opens a connection from `dialer` to `to`. */
  connect(dialer: SimStreamEnd, to: Address, timeoutMs: number): void {
    const from = hostOf(dialer.localAddress);
    const toHost = hostOf(to);
    const id = ++this.streamId;
    dialer.connectionId = id;
    if (this.blocked.has(`${from}>${toHost}`) || !this.nodes.has(toHost)) {
      this.schedule(timeoutMs, () => dialer.closeWith({ kind: 'timeout' }));
      return;
    }
    const there = this.delay(from, toHost, this.linkConfig(from, toHost));
    this.schedule(there, () => {
      const listener = this.streamPorts.get(to);
      const node = this.nodes.get(toHost);
      if (!listener || !node || this.blocked.has(`${toHost}>${from}`)) {
        const reason: StreamCloseReason = listener ? { kind: 'timeout' } : { kind: 'refused' };
        const back = listener ? timeoutMs - there : this.delay(toHost, from, this.linkConfig(toHost, from));
        this.schedule(Math.max(0, back), () => dialer.closeWith(reason));
        return;
      }
      const acceptor = new SimStreamEnd(this, node, to, dialer.localAddress);
      acceptor.connectionId = id;
      acceptor.peer = dialer;
      dialer.peer = acceptor;
      this.trace.emit('stream.open', from, { from: dialer.localAddress, to, id });
      acceptor.established = true;
      node.post(0, () => listener.accept(acceptor));
      // The dialer learns of the connection one return trip later; queued writes flow then.
      this.schedule(this.delay(toHost, from, this.linkConfig(toHost, from)), () => dialer.establish());
    });
  }

  /** @internal Carries one chunk (or a FIN when `chunk` is undefined) from `end` to its peer. */
  carry(end: SimStreamEnd, chunk: Uint8Array | undefined): void {
    const peer = end.peer;
    if (!peer) return;
    const from = hostOf(end.localAddress);
    const to = hostOf(end.remoteAddress);
    if (this.blocked.has(`${from}>${to}`)) {
      this.breakConnection(end, peer);
      return;
    }
    const at = Math.max(end.lastArrival, this.now() + this.delay(from, to, this.linkConfig(from, to)));
    end.lastArrival = at;
    const parts =
      chunk && chunk.length > 1 && this.random.chance(this.config.splitChunks)
        ? splitAt(chunk, 1 + this.random.int(chunk.length - 1))
        : [chunk];
    this.schedule(at - this.now(), () => {
      for (const part of parts) peer.receive(part);
    });
  }

  /** A partition under an open stream: both ends fail after the stream timeout. */
  private breakConnection(a: SimStreamEnd, b: SimStreamEnd): void {
    a.peer = undefined;
    b.peer = undefined;
    this.schedule(this.config.streamTimeoutMs, () => a.closeWith({ kind: 'timeout' }));
    this.schedule(this.config.streamTimeoutMs, () => b.closeWith({ kind: 'timeout' }));
  }

  /** @internal A node crashed: its peers see their connections reset. */
  resetPeer(end: SimStreamEnd): void {
    const peer = end.peer;
    end.peer = undefined;
    if (!peer) return;
    peer.peer = undefined;
    const delay = this.delay(hostOf(end.localAddress), hostOf(peer.localAddress), this.linkConfig(hostOf(end.localAddress), hostOf(peer.localAddress)));
    this.schedule(Math.max(delay, peer.lastArrival - this.now()), () => peer.closeWith({ kind: 'reset' }));
  }

  /** @internal */
  traceClose(end: SimStreamEnd, reason: StreamCloseReason): void {
    this.trace.emit('stream.close', hostOf(end.localAddress), {
      from: end.localAddress,
      to: end.remoteAddress,
      id: end.connectionId,
      reason: reason ? reason.kind : 'closed',
    });
  }
}

function splitAt(chunk: Uint8Array, at: number): Uint8Array[] {
  return [chunk.subarray(0, at), chunk.subarray(at)];
}

/** A node's datagram port. */
export class SimPacketTransport implements PacketTransport {
  private handler: PacketHandler | undefined;
  private closed = false;
  readonly maxPacketSize: number;

  constructor(
    private readonly net: SimNetwork,
    private readonly node: NetNode,
    readonly localAddress: Address,
  ) {
    this.maxPacketSize = net.config.maxPacketSize;
  }

  send(to: Address, data: Uint8Array): void {
    if (data.length > this.maxPacketSize) {
      throw new RangeError(`packet of ${data.length} bytes exceeds ${this.maxPacketSize}`);
    }
    if (!this.closed) this.net.sendPacket(this.localAddress, to, data);
  }

  onPacket(handler: PacketHandler): void {
    this.handler = handler;
  }

  /** @internal */
  deliver(from: Address, data: Uint8Array, id: number): void {
    if (this.closed || !this.handler) return;
    this.net.trace.emit('net.deliver', this.node.id, { from, to: this.localAddress, bytes: data.length, id });
    this.handler(from, data);
  }

  close(): void {
    this.closed = true;
    this.net.unbindPacket(this.localAddress, this);
  }
}

/** A node's stream port: dials out and accepts. */
export class SimStreamTransport implements StreamTransport {
  private acceptHandler: ((stream: Stream) => void) | undefined;
  private closed = false;
  private readonly ends = new Set<SimStreamEnd>();
  private ephemeral = 40000;

  constructor(
    private readonly net: SimNetwork,
    private readonly node: NetNode,
    readonly localAddress: Address,
  ) {}

  dial(to: Address, timeoutMs = this.net.config.streamTimeoutMs): Stream {
    const end = new SimStreamEnd(this.net, this.node, `${this.node.id}:${this.ephemeral++}`, to);
    this.track(end);
    if (this.closed) end.closeWith({ kind: 'error', message: 'transport closed' });
    else this.net.connect(end, to, timeoutMs);
    return end;
  }

  onAccept(handler: (stream: Stream) => void): void {
    this.acceptHandler = handler;
  }

  /** @internal */
  accept(end: SimStreamEnd): void {
    this.track(end);
    if (this.closed || !this.acceptHandler) {
      end.close();
      return;
    }
    this.acceptHandler(end);
  }

  private track(end: SimStreamEnd): void {
    this.ends.add(end);
    end.onCloseInternal = () => this.ends.delete(end);
  }

  /** Closes the port and, as a crash does, resets every open connection without callbacks here. */
  close(): void {
    this.closed = true;
    this.net.unbindStream(this.localAddress, this);
    for (const end of this.ends) end.abandon();
    this.ends.clear();
  }
}

/** One end of a simulated connection. */
export class SimStreamEnd implements Stream {
  peer: SimStreamEnd | undefined;
  connectionId = 0;
  established = false;
  lastArrival = 0;
  onCloseInternal: (() => void) | undefined;
  private queued: Array<Uint8Array | undefined> = [];
  private dataHandler: ((chunk: Uint8Array) => void) | undefined;
  private closeHandler: ((reason: StreamCloseReason) => void) | undefined;
  private inbox: Uint8Array[] = [];
  private closedReason: { reason: StreamCloseReason } | undefined;
  private localClosed = false;
  private done = false;

  constructor(
    private readonly net: SimNetwork,
    private readonly node: NetNode,
    readonly localAddress: Address,
    readonly remoteAddress: Address,
  ) {}

  write(chunk: Uint8Array): void {
    if (this.localClosed || this.done) return;
    if (this.established) this.net.carry(this, chunk);
    else this.queued.push(chunk);
  }

  close(): void {
    if (this.localClosed || this.done) return;
    this.localClosed = true;
    if (this.established) this.finish();
    else this.queued.push(undefined); // the FIN goes out after the queued data, once connected
  }

  /** Sends the FIN and reports our own clean close once it is on its way. */
  private finish(): void {
    this.net.carry(this, undefined);
    this.node.post(0, () => this.closeWith(undefined));
  }

  onData(handler: (chunk: Uint8Array) => void): void {
    this.dataHandler = handler;
    if (this.inbox.length > 0) this.node.post(0, () => this.flushInbox());
  }

  onClose(handler: (reason: StreamCloseReason) => void): void {
    this.closeHandler = handler;
    if (this.closedReason && this.done) this.node.post(0, () => handler(this.closedReason?.reason));
  }

  /** @internal The dialer learns that the connection is up. */
  establish(): void {
    if (this.done || !this.peer) return;
    this.established = true;
    const queued = this.queued;
    this.queued = [];
    for (const chunk of queued) {
      if (chunk === undefined) this.finish();
      else this.net.carry(this, chunk);
    }
  }

  /** @internal A chunk, or a FIN (undefined), arrives from the peer. */
  receive(chunk: Uint8Array | undefined): void {
    if (this.done) return;
    this.node.post(0, () => {
      if (this.done) return;
      if (chunk === undefined) {
        this.closeWith(undefined);
        return;
      }
      if (this.dataHandler && this.inbox.length === 0) this.dataHandler(chunk);
      else this.inbox.push(chunk);
    });
  }

  private flushInbox(): void {
    const inbox = this.inbox;
    this.inbox = [];
    for (const chunk of inbox) this.dataHandler?.(chunk);
  }

  /** @internal Ends the stream on this side, reporting `reason` once. */
  closeWith(reason: StreamCloseReason): void {
    if (this.done) return;
    this.done = true;
    this.closedReason = { reason };
    this.onCloseInternal?.();
    this.net.traceClose(this, reason);
    if (reason !== undefined && this.peer) this.net.resetPeer(this);
    if (reason === undefined && this.peer && !this.localClosed) this.net.carry(this, undefined);
    this.peer = undefined;
    const handler = this.closeHandler;
    if (handler) this.node.post(0, () => handler(reason));
  }

  /** @internal The owning node crashed or closed its port: drop silently, reset the peer. */
  abandon(): void {
    if (this.done) return;
    this.done = true;
    this.net.resetPeer(this);
  }
}
