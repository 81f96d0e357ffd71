/**
 * memberlist as a synchronous, port-driven state machine: SWIM failure detection with Lifeguard
 * (awareness, suspicion with confirmations, buddy system, nacks), piggybacked gossip with a
 * transmit-limited queue, and push-pull anti-entropy over streams. Wire behaviour follows
 * hashicorp/memberlist (net.go, state.go); time, randomness and IO come through core/ports.
 *
 * Contract: every method runs to completion synchronously; network input arrives through the
 * transports' handlers, timers through TimeSource. Nothing here awaits.
 */
import type { TimerHandle, TimeSource } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Random } from '../../ports/random.ts';
import type { TraceSink } from '../../ports/trace.ts';
import type { PacketTransport, Stream, StreamCloseReason, StreamTransport } from '../../ports/transport.ts';
import '../trace-events.ts';
import {
  addCrc,
  checkCrc,
  COMPOUND_HEADER_OVERHEAD,
  COMPOUND_OVERHEAD,
  decodeCompoundMessage,
  makeCompoundMessage,
  USER_MSG_OVERHEAD,
} from '../codec/compound.ts';
import { lzwCompress } from '../codec/lzw.ts';
import { GoMsgpackWriter, writeStruct } from '../codec/msgpack.ts';
import { bytesToHost, hostToBytes, joinHostPort, splitHostPort } from './address.ts';
import { Awareness } from './awareness.ts';
import { type Broadcast, TransmitLimitedQueue } from './broadcast-queue.ts';
import { type MemberlistConfig, pushPullScale, suspicionTimeout } from './config.ts';
import {
  type Alive,
  checkVsn,
  type Dead,
  decodeAck,
  decodeAlive,
  decodeDead,
  decodeIndirectPing,
  decodeNack,
  decodePing,
  decodeSuspect,
  encodeAck,
  encodeAlive,
  encodeDead,
  encodeIndirectPing,
  encodeNack,
  encodePing,
  encodeSuspect,
  META_MAX_SIZE,
  MessageType,
  NodeStateType,
  type Ping,
  PROTOCOL_VERSION_MAX,
  PROTOCOL_VERSION_MIN,
  type PushNodeState,
  type Suspect,
} from './messages.ts';
import { compressMessage, decompressBody, encodePushPull, encodeUserStreamMessage, parseStreamMessage, type StreamMessage } from './stream-codec.ts';
import { Suspicion } from './suspicion.ts';
import type { ConflictDelegate, EventDelegate, MemberlistDelegate, NodeState, NodeStatus, PingDelegate } from './types.ts';

export interface MemberlistOptions {
  config: MemberlistConfig;
  packet: PacketTransport;
  stream: StreamTransport;
  time: TimeSource;
  random: Random;
  logger: Logger;
  trace: TraceSink;
  /** Address advertised to peers; defaults to the packet transport's local address. */
  advertiseAddress?: string;
  delegate?: MemberlistDelegate;
  events?: EventDelegate;
  ping?: PingDelegate;
  conflict?: ConflictDelegate;
  /** Bytes the transport edge adds per packet (encryption), subtracted from gossip room. */
  packetOverhead?: number;
}

interface AckHandler {
  onAck(payload: Uint8Array | undefined, at: number): void;
  onNack?(): void;
  timer: TimerHandle;
}

const STATUS_TO_NUMBER: Record<NodeStatus, number> = {
  alive: NodeStateType.alive,
  suspect: NodeStateType.suspect,
  dead: NodeStateType.dead,
  left: NodeStateType.left,
};

/** Cap on concurrent inbound push-pulls, as memberlist's maxPushPullRequests. */
const MAX_PUSH_PULL_REQUESTS = 128;
/** Packets shorter than this are sent uncompressed. */
const COMPRESS_MIN_BYTES = 256;
/** memberlist's maxPushStateBytes: refuse larger remote states. */
const MAX_PUSH_STATE_BYTES = 20 * 1024 * 1024;

export class Memberlist {
  readonly config: MemberlistConfig;
  private readonly packet: PacketTransport;
  private readonly streams: StreamTransport;
  private readonly time: TimeSource;
  private readonly random: Random;
  private readonly logger: Logger;
  private readonly trace: TraceSink;
  private readonly delegate: MemberlistDelegate | undefined;
  private readonly events: EventDelegate | undefined;
  private readonly pingDelegate: PingDelegate | undefined;
  private readonly conflict: ConflictDelegate | undefined;
  private readonly packetOverhead: number;

  private readonly advertiseHost: string;
  private readonly advertisePort: number;
  private readonly advertiseBytes: Uint8Array;

  /** Probe order: shuffled, includes self and dead nodes until reaped (Go's m.nodes). */
  private nodes: NodeState[] = [];
  /**
   * address -> the first node in `nodes` with it (what a scan of `nodes` finds), built on demand
   * and dropped whenever `nodes` or an address changes: a scan per packet sent was a visible cost
   * with 200 members.
   */
  private byAddress: Map<string, NodeState> | undefined;
  private readonly nodeMap = new Map<string, NodeState>();
  private readonly nodeTimers = new Map<string, Suspicion>();
  private readonly ackHandlers = new Map<number, AckHandler>();
  readonly awareness: Awareness;
  readonly broadcasts: TransmitLimitedQueue;

  private sequenceNum = 0;
  private incarnation = 0;
  private probeIndex = 0;
  private probing = false;
  private pendingProbeTick = false;
  private leaving = false;
  private shutdownFlag = false;
  private pushPullInbound = 0;
  private readonly timers: TimerHandle[] = [];
  private readonly openStreams = new Set<Stream>();

  constructor(opts: MemberlistOptions) {
    this.config = opts.config;
    this.packet = opts.packet;
    this.streams = opts.stream;
    this.time = opts.time;
    this.random = opts.random;
    this.logger = opts.logger.named('memberlist');
    this.trace = opts.trace;
    this.delegate = opts.delegate;
    this.events = opts.events;
    this.pingDelegate = opts.ping;
    this.conflict = opts.conflict;
    this.packetOverhead = opts.packetOverhead ?? 0;
    const adv = splitHostPort(opts.advertiseAddress ?? this.packet.localAddress);
    this.advertiseHost = adv.host;
    this.advertisePort = adv.port;
    this.advertiseBytes = hostToBytes(adv.host);
    this.awareness = new Awareness(this.config.awarenessMaxMultiplier);
    this.broadcasts = new TransmitLimitedQueue(() => this.estNumNodes(), this.config.retransmitMult);
    this.packet.onPacket((from, data) => this.ingestPacket(from, data));
    this.streams.onAccept((s) => this.handleConn(s));
    this.setAlive();
    this.schedule();
  }

  // ---------------------------------------------------------------- public API

  get name(): string {
    return this.config.name;
  }

  /** `host:port` we advertise. */
  get advertiseAddress(): string {
    return joinHostPort(this.advertiseHost, this.advertisePort);
  }

  /** Our own node state. */
  localNode(): NodeState {
    return this.nodeMap.get(this.config.name) as NodeState;
  }

  /** Every known node that is not dead or left (Go's Members). */
  members(): NodeState[] {
    return this.nodes.filter((n) => n.state !== 'dead' && n.state !== 'left');
  }

  /** Every node we still track, in any state. */
  allNodes(): readonly NodeState[] {
    return this.nodes;
  }

  node(name: string): NodeState | undefined {
    return this.nodeMap.get(name);
  }

  numMembers(): number {
    return this.members().length;
  }

  /** Go's estNumNodes: nodes tracked, dead ones included until reaped. */
  estNumNodes(): number {
    return this.nodes.length;
  }

  hasLeft(): boolean {
    return this.leaving;
  }

  /**
   * Joins through existing members: a push-pull (join=true) with each address. `done` gets the
   * number that succeeded and the errors of those that failed.
   */
  join(addresses: string[], done?: (joined: number, errors: string[]) => void): void {
    let pending = addresses.length;
    let joined = 0;
    const errors: string[] = [];
    if (pending === 0) {
      done?.(0, []);
      return;
    }
    for (const address of addresses) {
      this.pushPullNode(address, true, (err) => {
        if (err) {
          errors.push(`${address}: ${err}`);
          this.logger.log('warn', `Failed to join ${address}: ${err}`);
        } else joined++;
        if (--pending === 0) done?.(joined, errors);
      });
    }
  }

  /**
   * Broadcasts our leave (a dead message from ourselves) and calls `done` once it has been gossiped
   * enough or `timeoutMs` passed. Probing keeps running until shutdown, as in memberlist.
   */
  leave(timeoutMs: number, done?: (err?: string) => void): void {
    if (this.leaving) {
      done?.();
      return;
    }
    this.leaving = true;
    const me = this.nodeMap.get(this.config.name);
    if (!me) {
      done?.();
      return;
    }
    const anyAlive = this.nodes.some((n) => n.name !== this.config.name && n.state !== 'dead' && n.state !== 'left');
    let finished = false;
    let timer: TimerHandle | undefined;
    const finish = (err?: string) => {
      if (finished) return;
      finished = true;
      timer?.cancel();
      done?.(err);
    };
    this.deadNode({ incarnation: me.incarnation, node: me.name, from: me.name }, anyAlive ? () => finish() : undefined);
    if (!anyAlive) {
      finish();
      return;
    }
    timer = this.time.setTimer(timeoutMs, () => finish('timeout waiting for leave broadcast'));
  }

  /** Stops timers and closes the transports. No more messages are sent or handled. */
  shutdown(): void {
    if (this.shutdownFlag) return;
    this.shutdownFlag = true;
    for (const t of this.timers) t.cancel();
    for (const s of this.nodeTimers.values()) s.cancel();
    for (const h of this.ackHandlers.values()) h.timer.cancel();
    this.ackHandlers.clear();
    for (const s of this.openStreams) s.close();
    this.packet.close();
    this.streams.close();
  }

  /** Re-advertises our metadata (after a tag change) with a new incarnation. */
  updateNode(): void {
    const me = this.nodeMap.get(this.config.name);
    if (!me) return;
    const meta = this.delegate?.nodeMeta(META_MAX_SIZE) ?? new Uint8Array(0);
    const a: Alive = {
      incarnation: this.nextIncarnation(),
      node: me.name,
      addr: me.addr,
      port: me.port,
      meta,
      vsn: this.localVsn(),
    };
    this.aliveNode(a, true);
  }

  /** Sends a user message as a best-effort packet (Go's SendToAddress / SendBestEffort). */
  sendToAddress(address: string, msg: Uint8Array): void {
    const buf = new Uint8Array(msg.length + 1);
    buf[0] = MessageType.user;
    buf.set(msg, 1);
    this.rawSendMsgPacket(address, undefined, buf);
  }

  /** Sends a user message reliably over a stream (Go's SendReliable). */
  sendReliable(address: string, msg: Uint8Array): void {
    const s = this.streams.dial(address, this.config.tcpTimeout);
    this.writeStreamMessage(s, encodeUserStreamMessage(msg));
    s.close();
  }

  /** Queues a memberlist-level broadcast about `node`. */
  private queueBroadcast(node: string, msg: Uint8Array, notify?: () => void): void {
    const b: Broadcast = { message: msg, name: node, finished: notify };
    this.broadcasts.queueBroadcast(b);
  }

  // ---------------------------------------------------------------- scheduling

  private every(intervalMs: () => number, fn: () => void): void {
    const slot = this.timers.length;
    const loop = (delay: number) => {
      this.timers[slot] = this.time.setTimer(delay, () => {
        if (this.shutdownFlag) return;
        fn();
        loop(intervalMs());
      });
    };
    // A random stagger so that nodes started together do not tick in lockstep.
    loop(this.random.float() * intervalMs());
  }

  private schedule(): void {
    if (this.config.probeInterval > 0) this.every(() => this.config.probeInterval, () => this.probeTick());
    if (this.config.pushPullInterval > 0) {
      this.every(
        () => pushPullScale(this.config.pushPullInterval, this.estNumNodes()),
        () => this.pushPull(),
      );
    }
    if (this.config.gossipInterval > 0 && this.config.gossipNodes > 0) {
      this.every(() => this.config.gossipInterval, () => this.gossip());
    }
  }

  // ---------------------------------------------------------------- incarnations and self

  private nextSeqNo(): number {
    this.sequenceNum = (this.sequenceNum + 1) >>> 0;
    return this.sequenceNum;
  }

  private nextIncarnation(): number {
    this.incarnation = (this.incarnation + 1) >>> 0;
    return this.incarnation;
  }

  private localVsn(): Uint8Array {
    const c = this.config;
    return Uint8Array.from([
      PROTOCOL_VERSION_MIN,
      PROTOCOL_VERSION_MAX,
      c.protocolVersion,
      c.delegateProtocolMin,
      c.delegateProtocolMax,
      c.delegateProtocolVersion,
    ]);
  }

  private setAlive(): void {
    const meta = this.delegate?.nodeMeta(META_MAX_SIZE) ?? new Uint8Array(0);
    if (meta.length > META_MAX_SIZE) throw new Error(`node meta data provided is longer than the limit (${META_MAX_SIZE})`);
    this.aliveNode(
      {
        incarnation: this.nextIncarnation(),
        node: this.config.name,
        addr: this.advertiseBytes,
        port: this.advertisePort,
        meta,
        vsn: this.localVsn(),
      },
      true,
    );
  }

  private refute(me: NodeState, accusedInc: number, accuser: string): void {
    let inc = this.nextIncarnation();
    if (accusedInc >= inc) {
      this.incarnation = (accusedInc + 1) >>> 0;
      inc = this.incarnation;
    }
    me.incarnation = inc;
    this.applyAwareness(1);
    const a: Alive = {
      incarnation: inc,
      node: me.name,
      addr: me.addr,
      port: me.port,
      meta: me.meta,
      vsn: Uint8Array.from([me.pmin, me.pmax, me.pcur, me.dmin, me.dmax, me.dcur]),
    };
    this.queueBroadcast(me.name, encodeAlive(a));
    this.trace.emit('gossip.refute', this.config.name, { incarnation: inc, accuser });
  }

  /**
   * An accusation about us with an incarnation we already refuted: the accuser missed our alive.
   * memberlist ignores these; we re-queue our current alive (same incarnation, so nothing changes
   * for peers that have it) so that it rides on the ack to a prober holding a stale suspicion.
   * Without this, a node that missed the refutation under packet loss declares us dead when its
   * suspicion timer runs out, unless a push-pull happens to come first.
   */
  private reassert(me: NodeState): void {
    if (this.leaving) return;
    const a: Alive = {
      incarnation: me.incarnation,
      node: me.name,
      addr: me.addr,
      port: me.port,
      meta: me.meta,
      vsn: Uint8Array.from([me.pmin, me.pmax, me.pcur, me.dmin, me.dmax, me.dcur]),
    };
    this.queueBroadcast(me.name, encodeAlive(a));
  }

  private applyAwareness(delta: number): void {
    const before = this.awareness.getHealthScore();
    const after = this.awareness.applyDelta(delta);
    if (before !== after) this.trace.emit('gossip.awareness', this.config.name, { score: after });
  }

  // ---------------------------------------------------------------- state transitions

  /** Go's aliveNode. `bootstrap` is true for our own alive at start and on updateNode. */
  private aliveNode(a: Alive, bootstrap: boolean, notify?: () => void): void {
    if (this.leaving && a.node === this.config.name) return;
    const vsnError = checkVsn(a.vsn);
    if (vsnError) {
      this.logger.log('warn', `Ignoring an alive message for '${a.node}': ${vsnError}`);
      return;
    }
    let state = this.nodeMap.get(a.node);
    let updatesNode = false;
    // Most alive messages repeat what we know: only build the address string when it changed.
    const sameAddr = state !== undefined && state.port === a.port && bytesEqual(state.addr, a.addr);
    const address = sameAddr ? (state as NodeState).address : joinHostPort(bytesToHost(a.addr), a.port);
    if (!state) {
      state = {
        name: a.node,
        addr: a.addr,
        port: a.port,
        address,
        meta: a.meta,
        incarnation: 0,
        state: 'dead',
        stateChange: this.time.now(),
        pmin: 0,
        pmax: 0,
        pcur: 0,
        dmin: 0,
        dmax: 0,
        dcur: 0,
      };
      if (a.vsn.length > 5) this.setVsn(state, a.vsn);
      this.nodeMap.set(a.node, state);
      // Insert at a random position so that probe order stays random.
      const n = this.nodes.length;
      const offset = n === 0 ? 0 : this.random.int(n);
      this.nodes.push(state);
      this.byAddress = undefined;
      const tmp = this.nodes[offset] as NodeState;
      this.nodes[offset] = state;
      this.nodes[n] = tmp;
    } else if (!sameAddr) {
      const canReclaim =
        this.config.deadNodeReclaimTime > 0 && this.time.now() - state.stateChange > this.config.deadNodeReclaimTime;
      if (state.state === 'left' || (state.state === 'dead' && canReclaim)) {
        this.logger.log('info', `Updating address for left or failed node ${state.name} from ${state.address} to ${address}`);
        updatesNode = true;
      } else {
        this.logger.log('error', `Conflicting address for ${state.name}. Mine: ${state.address} Theirs: ${address} Old state: ${state.state}`);
        this.conflict?.notifyConflict(state, { ...state, addr: a.addr, port: a.port, address, meta: a.meta });
        return;
      }
    }
    const isLocal = state.name === this.config.name;
    if (a.incarnation <= state.incarnation && !isLocal && !updatesNode) return;
    if (a.incarnation < state.incarnation && isLocal) return;

    const timer = this.nodeTimers.get(a.node);
    if (timer) {
      timer.cancel();
      this.nodeTimers.delete(a.node);
    }
    const oldState = state.state;
    const oldMeta = state.meta;

    if (!bootstrap && isLocal) {
      const versions = Uint8Array.from([state.pmin, state.pmax, state.pcur, state.dmin, state.dmax, state.dcur]);
      if (a.incarnation === state.incarnation && bytesEqual(a.meta, state.meta) && bytesEqual(a.vsn, versions)) return;
      this.refute(state, a.incarnation, a.node);
      this.logger.log('warn', `Refuting an alive message for '${a.node}'`);
    } else {
      this.queueBroadcast(a.node, encodeAlive(a), notify);
      if (a.vsn.length > 5) this.setVsn(state, a.vsn);
      state.incarnation = a.incarnation;
      state.meta = a.meta;
      state.addr = a.addr;
      state.port = a.port;
      state.address = address;
      this.byAddress = undefined;
      if (state.state !== 'alive') {
        state.state = 'alive';
        state.stateChange = this.time.now();
        this.trace.emit('gossip.node-state', this.config.name, {
          target: a.node,
          state: 'alive',
          incarnation: a.incarnation,
          from: a.node,
        });
      }
    }
    if (oldState === 'dead' || oldState === 'left') this.events?.notifyJoin(state);
    else if (!bytesEqual(oldMeta, state.meta)) this.events?.notifyUpdate(state);
  }

  private setVsn(state: NodeState, vsn: Uint8Array): void {
    state.pmin = vsn[0] as number;
    state.pmax = vsn[1] as number;
    state.pcur = vsn[2] as number;
    state.dmin = vsn[3] as number;
    state.dmax = vsn[4] as number;
    state.dcur = vsn[5] as number;
  }

  /** Go's suspectNode, with Lifeguard's confirmations. */
  private suspectNode(s: Suspect): void {
    const state = this.nodeMap.get(s.node);
    if (!state) return;
    if (s.incarnation < state.incarnation) {
      if (state.name === this.config.name) this.reassert(state);
      return;
    }
    const timer = this.nodeTimers.get(s.node);
    if (timer) {
      if (timer.confirm(s.from)) {
        this.queueBroadcast(s.node, encodeSuspect(s));
        this.trace.emit('gossip.confirm', this.config.name, { target: s.node, from: s.from, confirmations: 0 });
      }
      return;
    }
    if (state.state !== 'alive') return;
    if (state.name === this.config.name) {
      this.refute(state, s.incarnation, s.from);
      this.logger.log('warn', `Refuting a suspect message (from: ${s.from})`);
      return;
    }
    this.queueBroadcast(s.node, encodeSuspect(s));
    state.incarnation = s.incarnation;
    state.state = 'suspect';
    const changeTime = this.time.now();
    state.stateChange = changeTime;
    this.trace.emit('gossip.node-state', this.config.name, {
      target: s.node,
      state: 'suspect',
      incarnation: s.incarnation,
      from: s.from,
    });
    let k = this.config.suspicionMult - 2;
    const n = this.estNumNodes();
    if (n - 2 < k) k = 0;
    const min = suspicionTimeout(this.config.suspicionMult, n, this.config.probeInterval);
    const max = this.config.suspicionMaxTimeoutMult * min;
    this.nodeTimers.set(
      s.node,
      new Suspicion(this.time, s.from, k, min, max, (confirmations) => {
        const cur = this.nodeMap.get(s.node);
        if (this.shutdownFlag || !cur || cur.state !== 'suspect' || cur.stateChange !== changeTime) return;
        this.logger.log('info', `Marking ${cur.name} as failed, suspect timeout reached (${confirmations} peer confirmations)`);
        this.deadNode({ incarnation: cur.incarnation, node: cur.name, from: this.config.name });
      }),
    );
  }

  /** Go's deadNode: dead when accused by another, left when the node says so itself. */
  private deadNode(d: Dead, notify?: () => void): void {
    const state = this.nodeMap.get(d.node);
    if (!state) return;
    if (d.incarnation < state.incarnation) {
      if (state.name === this.config.name) this.reassert(state);
      return;
    }
    const timer = this.nodeTimers.get(d.node);
    if (timer) {
      timer.cancel();
      this.nodeTimers.delete(d.node);
    }
    if (state.state === 'dead' || state.state === 'left') return;
    if (state.name === this.config.name) {
      if (!this.leaving) {
        this.refute(state, d.incarnation, d.from);
        this.logger.log('warn', `Refuting a dead message (from: ${d.from})`);
        return;
      }
      this.queueBroadcast(d.node, encodeDead(d), notify);
    } else {
      this.queueBroadcast(d.node, encodeDead(d));
    }
    state.incarnation = d.incarnation;
    state.state = d.node === d.from ? 'left' : 'dead';
    state.stateChange = this.time.now();
    this.trace.emit('gossip.node-state', this.config.name, {
      target: d.node,
      state: state.state,
      incarnation: d.incarnation,
      from: d.from,
    });
    this.events?.notifyLeave(state);
  }

  /** Go's mergeState: apply a remote push-pull snapshot. */
  private mergeState(remote: PushNodeState[]): void {
    for (const r of remote) {
      switch (r.state) {
        case NodeStateType.alive:
          this.aliveNode(
            { incarnation: r.incarnation, node: r.name, addr: r.addr, port: r.port, meta: r.meta, vsn: r.vsn },
            false,
          );
          break;
        case NodeStateType.left:
          this.deadNode({ incarnation: r.incarnation, node: r.name, from: r.name });
          break;
        case NodeStateType.dead:
        case NodeStateType.suspect:
          this.suspectNode({ incarnation: r.incarnation, node: r.name, from: this.config.name });
          break;
        default:
          break;
      }
    }
  }

  /** Go's verifyProtocol: every alive node's current version must fit everyone's range. */
  private verifyProtocol(remote: PushNodeState[]): string | undefined {
    let maxpmin = 0;
    let minpmax = 255;
    let maxdmin = 0;
    let mindmax = 255;
    for (const rn of remote) {
      if (rn.state !== NodeStateType.alive || rn.vsn.length < 6) continue;
      maxpmin = Math.max(maxpmin, rn.vsn[0] as number);
      minpmax = Math.min(minpmax, rn.vsn[1] as number);
      maxdmin = Math.max(maxdmin, rn.vsn[3] as number);
      mindmax = Math.min(mindmax, rn.vsn[4] as number);
    }
    for (const n of this.nodes) {
      if (n.state !== 'alive') continue;
      maxpmin = Math.max(maxpmin, n.pmin);
      minpmax = Math.min(minpmax, n.pmax);
      maxdmin = Math.max(maxdmin, n.dmin);
      mindmax = Math.min(mindmax, n.dmax);
    }
    const check = (name: string, pcur: number, dcur: number) => {
      if (pcur < maxpmin || pcur > minpmax) return `Node '${name}' protocol version (${pcur}) is incompatible: [${maxpmin}, ${minpmax}]`;
      if (dcur < maxdmin || dcur > mindmax) return `Node '${name}' delegate protocol version (${dcur}) is incompatible: [${maxdmin}, ${mindmax}]`;
      return undefined;
    };
    for (const n of remote) {
      const err = check(n.name, n.vsn[2] ?? 0, n.vsn[5] ?? 0);
      if (err) return err;
    }
    for (const n of this.nodes) {
      const err = check(n.name, n.pcur, n.dcur);
      if (err) return err;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- probing

  private probeTick(): void {
    if (this.probing) {
      this.pendingProbeTick = true;
      return;
    }
    this.probe();
  }

  /** Go's probe: round-robin over the shuffled node list, skipping self and dead nodes. */
  private probe(): void {
    let numCheck = 0;
    for (;;) {
      if (numCheck >= this.nodes.length) return;
      if (this.probeIndex >= this.nodes.length) {
        this.resetNodes();
        this.probeIndex = 0;
        numCheck++;
        continue;
      }
      const node = this.nodes[this.probeIndex] as NodeState;
      this.probeIndex++;
      if (node.name === this.config.name || node.state === 'dead' || node.state === 'left') {
        numCheck++;
        continue;
      }
      this.probeNode(node);
      return;
    }
  }

  /** Drops dead nodes past GossipToTheDeadTime and reshuffles (Go's resetNodes). */
  private resetNodes(): void {
    const now = this.time.now();
    const keep: NodeState[] = [];
    for (const n of this.nodes) {
      if (n.state === 'dead' && now - n.stateChange > this.config.gossipToTheDeadTime) {
        this.nodeMap.delete(n.name);
        continue;
      }
      keep.push(n);
    }
    this.nodes = this.random.shuffle(keep);
    this.byAddress = undefined;
  }

  private probeFinished(): void {
    this.probing = false;
    if (this.pendingProbeTick && !this.shutdownFlag) {
      this.pendingProbeTick = false;
      this.probe();
    }
  }

  /** One SWIM probe of `node`: direct ping, then indirect pings and a stream ping, then suspicion. */
  private probeNode(node: NodeState): void {
    this.probing = true;
    const probeInterval = this.awareness.scaleTimeout(this.config.probeInterval);
    const ping: Ping = {
      seqNo: this.nextSeqNo(),
      node: node.name,
      sourceAddr: this.advertiseBytes,
      sourcePort: this.advertisePort,
      sourceNode: this.config.name,
    };
    const sent = this.time.now();
    this.trace.emit('gossip.probe', this.config.name, { target: node.name, seq: ping.seqNo });
    let phase: 'direct' | 'indirect' | 'done' = 'direct';
    let expectedNacks = 0;
    let nacks = 0;
    let fallback: 'pending' | 'ok' | 'failed' | 'none' = 'none';
    let fallbackStream: Stream | undefined;
    let probeTimeoutTimer: TimerHandle | undefined;

    const finish = (result: 'ack' | 'indirect-ack' | 'stream-ack' | 'failed', awarenessDelta: number) => {
      if (phase === 'done') return;
      phase = 'done';
      probeTimeoutTimer?.cancel();
      handler.timer.cancel();
      this.ackHandlers.delete(ping.seqNo);
      fallbackStream?.close();
      this.applyAwareness(awarenessDelta);
      this.trace.emit('gossip.probe-result', this.config.name, { target: node.name, seq: ping.seqNo, result });
      if (result === 'failed') {
        this.logger.log('info', `Suspect ${node.name} has failed, no acks received`);
        this.suspectNode({ incarnation: node.incarnation, node: node.name, from: this.config.name });
      }
      this.probeFinished();
    };

    const handler: AckHandler = {
      onAck: (payload, at) => {
        if (phase === 'direct') {
          if (this.pingDelegate && payload !== undefined) this.pingDelegate.notifyPingComplete(node, at - sent, payload);
          finish('ack', -1);
        } else finish('indirect-ack', -1);
      },
      onNack: () => {
        nacks++;
      },
      // At the deadline (the awareness-scaled probe interval) the probe has failed unless the
      // stream fallback got through.
      timer: this.time.setTimer(probeInterval, () => {
        if (phase === 'done') return;
        if (fallback === 'ok') {
          finish('stream-ack', -1);
          return;
        }
        let delta = 0;
        if (expectedNacks > 0) {
          if (nacks < expectedNacks) delta += expectedNacks - nacks;
        } else delta += 1;
        finish('failed', delta);
      }),
    };
    this.ackHandlers.set(ping.seqNo, handler);

    if (node.state === 'alive') {
      this.sendMsg(node.address, encodePing(ping), node);
    } else {
      // Buddy system: tell a suspect it is suspected, so it can refute at once.
      const s = encodeSuspect({ incarnation: node.incarnation, node: node.name, from: this.config.name });
      this.rawSendMsgPacket(node.address, node, makeCompoundMessage([encodePing(ping), s]));
    }

    probeTimeoutTimer = this.time.setTimer(this.config.probeTimeout, () => {
      if (phase !== 'direct' || this.shutdownFlag) return;
      phase = 'indirect';
      const peers = this.kRandomNodes(
        this.config.indirectChecks,
        (n) => n.name === this.config.name || n.name === node.name || n.state !== 'alive',
      );
      for (const peer of peers) {
        const nack = peer.pmax >= 4;
        if (nack) expectedNacks++;
        this.sendMsg(
          peer.address,
          encodeIndirectPing({
            seqNo: ping.seqNo,
            target: node.addr,
            port: node.port,
            node: node.name,
            nack,
            sourceAddr: this.advertiseBytes,
            sourcePort: this.advertisePort,
            sourceNode: this.config.name,
          }),
          peer,
        );
      }
      if (!this.config.disableTcpPings && node.pmax >= 3) {
        fallback = 'pending';
        const remaining = Math.max(1, sent + probeInterval - this.time.now());
        fallbackStream = this.streamPing(node.address, ping, remaining, (ok) => {
          fallback = ok ? 'ok' : 'failed';
          if (ok && phase === 'indirect') {
            this.logger.log('warn', `Was able to connect to ${node.name} but other probes failed, network may be misconfigured`);
          }
        });
      }
    });
  }

  /** The stream fallback: dial, send a ping, expect an ack with the same sequence number. */
  private streamPing(address: string, ping: Ping, timeoutMs: number, done: (ok: boolean) => void): Stream {
    const s = this.streams.dial(address, timeoutMs);
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      done(ok);
      s.close();
    };
    this.readStreamMessage(s, (msg) => {
      if (msg?.type === 'ack' && msg.ack.seqNo === ping.seqNo) settle(true);
      else settle(false);
    });
    this.writeStreamMessage(s, encodePing(ping));
    return s;
  }

  /** Go's kRandomNodes: up to k distinct nodes not excluded by `exclude`, 3n random draws. */
  private kRandomNodes(k: number, exclude: (n: NodeState) => boolean): NodeState[] {
    const n = this.nodes.length;
    const out: NodeState[] = [];
    for (let i = 0; i < 3 * n && out.length < k; i++) {
      const node = this.nodes[this.random.int(n)] as NodeState;
      if (exclude(node) || out.includes(node)) continue;
      out.push(node);
    }
    return out;
  }

  // ---------------------------------------------------------------- gossip and push-pull

  private getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    const toSend = this.broadcasts.getBroadcasts(overhead, limit);
    if (this.delegate) {
      let used = 0;
      for (const m of toSend) used += m.length + overhead;
      const avail = limit - used;
      if (avail > overhead + USER_MSG_OVERHEAD) {
        for (const msg of this.delegate.getBroadcasts(overhead + USER_MSG_OVERHEAD, avail)) {
          const buf = new Uint8Array(msg.length + 1);
          buf[0] = MessageType.user;
          buf.set(msg, 1);
          toSend.push(buf);
        }
      }
    }
    return toSend;
  }

  /** Go's gossip: piggyback queued broadcasts to GossipNodes random live (or recently dead) nodes. */
  private gossip(): void {
    const now = this.time.now();
    const targets = this.kRandomNodes(this.config.gossipNodes, (n) => {
      if (n.name === this.config.name) return true;
      if (n.state === 'alive' || n.state === 'suspect') return false;
      if (n.state === 'dead') return now - n.stateChange > this.config.gossipToTheDeadTime;
      return true;
    });
    const bytesAvail = this.config.udpBufferSize - COMPOUND_HEADER_OVERHEAD - this.packetOverhead;
    for (const node of targets) {
      const msgs = this.getBroadcasts(COMPOUND_OVERHEAD, bytesAvail);
      if (msgs.length === 0) return;
      const payload = msgs.length === 1 ? (msgs[0] as Uint8Array) : makeCompoundMessage(msgs);
      this.rawSendMsgPacket(node.address, node, payload);
    }
  }

  private pushPull(): void {
    const nodes = this.kRandomNodes(1, (n) => n.name === this.config.name || n.state !== 'alive');
    const node = nodes[0];
    if (!node) return;
    this.pushPullNode(node.address, false, (err) => {
      if (err) this.logger.log('error', `Push/Pull with ${node.name} failed: ${err}`);
    });
  }

  private localStateMessage(join: boolean): Uint8Array {
    const nodes: PushNodeState[] = this.nodes.map((n) => ({
      name: n.name,
      addr: n.addr,
      port: n.port,
      meta: n.meta,
      incarnation: n.incarnation,
      state: STATUS_TO_NUMBER[n.state],
      vsn: Uint8Array.from([n.pmin, n.pmax, n.pcur, n.dmin, n.dmax, n.dcur]),
    }));
    const userState = this.delegate?.localState(join);
    const user = userState && userState.length > 0 ? userState : undefined;
    return encodePushPull({ nodes: nodes.length, userStateLen: user?.length ?? 0, join }, nodes, user);
  }

  private pushPullNode(address: string, join: boolean, done: (err?: string) => void): void {
    if (this.shutdownFlag) {
      done('shut down');
      return;
    }
    const s = this.streams.dial(address, this.config.tcpTimeout);
    this.readStreamMessage(s, (msg, err) => {
      s.close();
      if (!msg) {
        done(err ?? 'connection closed');
        return;
      }
      if (msg.type === 'err') {
        done(`remote error: ${msg.error}`);
        return;
      }
      if (msg.type !== 'pushPull') {
        done(`received invalid msgType, expected pushPullMsg`);
        return;
      }
      const mergeErr = this.mergeRemoteState(join, msg.nodes, msg.userState);
      this.trace.emit('gossip.push-pull', this.config.name, { peer: address, join, initiator: true, nodes: msg.nodes.length });
      done(mergeErr);
    });
    this.writeStreamMessage(s, this.localStateMessage(join));
  }

  private mergeRemoteState(join: boolean, nodes: PushNodeState[], userState: Uint8Array | undefined): string | undefined {
    const err = this.verifyProtocol(nodes);
    if (err) return err;
    this.mergeState(nodes);
    if (userState && this.delegate) this.delegate.mergeRemoteState(userState, join);
    return undefined;
  }

  // ---------------------------------------------------------------- streams

  /** Writes one stream message, LZW-compressed when enabled (as rawSendMsgStream does). */
  private writeStreamMessage(s: Stream, msg: Uint8Array): void {
    s.write(this.config.enableCompression ? compressMessage(msg) : msg);
  }

  /**
   * Reads one message from `s` and calls `done` once: with the message, or with undefined and a
   * reason on close, timeout or a decode error.
   */
  private readStreamMessage(s: Stream, done: (msg: StreamMessage | undefined, err?: string) => void): void {
    this.openStreams.add(s);
    let buf: Uint8Array = new Uint8Array(0);
    let settled = false;
    const timer = this.time.setTimer(this.config.tcpTimeout, () => settle(undefined, 'i/o timeout'));
    const settle = (msg: StreamMessage | undefined, err?: string) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      this.openStreams.delete(s);
      done(msg, err);
    };
    s.onData((chunk) => {
      if (settled) return;
      buf = concat(buf, chunk);
      if (buf.length > MAX_PUSH_STATE_BYTES) {
        settle(undefined, `Remote node state is larger than limit (${buf.length})`);
        s.close();
        return;
      }
      try {
        const parsed = parseStreamMessage(buf);
        if (parsed) settle(parsed.msg);
      } catch (e) {
        settle(undefined, (e as Error).message);
        s.close();
      }
    });
    s.onClose((reason: StreamCloseReason) => settle(undefined, reason ? `stream closed: ${reason.kind}` : 'EOF'));
  }

  /** Go's handleConn: one inbound message per connection. */
  private handleConn(s: Stream): void {
    if (this.shutdownFlag) {
      s.close();
      return;
    }
    this.readStreamMessage(s, (msg, err) => {
      if (!msg) {
        if (err && err !== 'EOF') this.logger.log('error', `failed to receive: ${err} from=${s.remoteAddress}`);
        s.close();
        return;
      }
      switch (msg.type) {
        case 'user':
          this.delegate?.notifyMsg(msg.payload);
          break;
        case 'pushPull': {
          if (this.pushPullInbound >= MAX_PUSH_PULL_REQUESTS) {
            this.logger.log('error', 'Too many pending push/pull requests');
            break;
          }
          this.pushPullInbound++;
          this.writeStreamMessage(s, this.localStateMessage(msg.header.join));
          const mergeErr = this.mergeRemoteState(msg.header.join, msg.nodes, msg.userState);
          if (mergeErr) this.logger.log('error', `Failed push/pull merge: ${mergeErr} from=${s.remoteAddress}`);
          this.trace.emit('gossip.push-pull', this.config.name, {
            peer: s.remoteAddress,
            join: msg.header.join,
            initiator: false,
            nodes: msg.nodes.length,
          });
          this.pushPullInbound--;
          break;
        }
        case 'ping':
          if (msg.ping.node !== '' && msg.ping.node !== this.config.name) {
            this.logger.log('warn', `Got ping for unexpected node ${msg.ping.node} from=${s.remoteAddress}`);
            break;
          }
          this.writeStreamMessage(s, encodeAck({ seqNo: msg.ping.seqNo, payload: undefined }));
          break;
        default:
          this.logger.log('error', `Received invalid msgType (${msg.type}) from=${s.remoteAddress}`);
      }
      s.close();
    });
  }

  // ---------------------------------------------------------------- packets out

  /** Sends `msg` with piggybacked broadcasts (Go's sendMsg). */
  private sendMsg(address: string, msg: Uint8Array, node?: NodeState): void {
    const bytesAvail = this.config.udpBufferSize - msg.length - COMPOUND_HEADER_OVERHEAD - this.packetOverhead;
    const extra = this.getBroadcasts(COMPOUND_OVERHEAD, bytesAvail);
    if (extra.length === 0) {
      this.rawSendMsgPacket(address, node, msg);
      return;
    }
    this.rawSendMsgPacket(address, node, makeCompoundMessage([msg, ...extra.slice(0, 254)]));
  }

  /** Compression (when smaller), then CRC for peers speaking protocol 5+, then the wire. */
  private rawSendMsgPacket(address: string, node: NodeState | undefined, msg: Uint8Array): void {
    if (this.shutdownFlag) return;
    let out = msg;
    // Compression only pays for itself on larger packets; below that we skip the attempt (sending
    // uncompressed is always valid, memberlist just keeps whichever is smaller).
    if (this.config.enableCompression && msg.length >= COMPRESS_MIN_BYTES) {
      const w = new GoMsgpackWriter();
      w.byte(MessageType.compress);
      writeStruct(w, [
        ['Algo', (x) => x.uint(0)],
        ['Buf', (x) => x.raw(lzwCompress(msg))],
      ]);
      const compressed = w.finish();
      if (compressed.length < out.length) out = compressed;
    }
    const target = node ?? this.nodeByAddress(address);
    if (target && target.pmax >= 5) out = addCrc(out);
    if (out.length > this.packet.maxPacketSize) {
      this.logger.log('error', `dropping ${out.length}-byte packet to ${address}: over the transport limit`);
      return;
    }
    this.packet.send(address, out);
  }

  private nodeByAddress(address: string): NodeState | undefined {
    if (!this.byAddress) {
      this.byAddress = new Map();
      for (const n of this.nodes) if (!this.byAddress.has(n.address)) this.byAddress.set(n.address, n);
    }
    return this.byAddress.get(address);
  }

  // ---------------------------------------------------------------- packets in

  private ingestPacket(from: string, data: Uint8Array): void {
    if (this.shutdownFlag) return;
    const buf = checkCrc(data);
    if (!buf) {
      this.logger.log('warn', `Got invalid checksum for UDP packet from=${from}`);
      return;
    }
    this.handleCommand(buf, from, this.time.now(), 0);
  }

  private handleCommand(buf: Uint8Array, from: string, at: number, depth: number): void {
    if (buf.length === 0) return;
    if (depth > 4) {
      this.logger.log('error', `nested messages too deep from=${from}`);
      return;
    }
    const type = buf[0] as number;
    const body = buf.subarray(1);
    try {
      switch (type) {
        case MessageType.compound: {
          const { parts, truncated } = decodeCompoundMessage(body);
          if (truncated > 0) this.logger.log('warn', `Compound request had ${truncated} truncated messages from=${from}`);
          for (const p of parts) this.handleCommand(p, from, at, depth + 1);
          return;
        }
        case MessageType.compress:
          this.handleCommand(decompressBody(body), from, at, depth + 1);
          return;
        case MessageType.ping:
          this.handlePing(body, from);
          return;
        case MessageType.indirectPing:
          this.handleIndirectPing(body, from);
          return;
        case MessageType.ackResp: {
          const ack = decodeAck(body);
          const h = this.ackHandlers.get(ack.seqNo);
          if (!h) return;
          this.ackHandlers.delete(ack.seqNo);
          h.timer.cancel();
          h.onAck(ack.payload, at);
          return;
        }
        case MessageType.nackResp: {
          const nack = decodeNack(body);
          this.ackHandlers.get(nack.seqNo)?.onNack?.();
          return;
        }
        case MessageType.suspect:
          this.suspectNode(decodeSuspect(body));
          return;
        case MessageType.alive: {
          const a = decodeAlive(body);
          if (a.port === 0) a.port = this.advertisePort;
          this.aliveNode(a, false);
          return;
        }
        case MessageType.dead:
          this.deadNode(decodeDead(body));
          return;
        case MessageType.user:
          this.delegate?.notifyMsg(body.slice());
          return;
        default:
          this.logger.log('error', `msg type (${type}) not supported from=${from}`);
      }
    } catch (e) {
      this.logger.log('error', `Failed to decode message type ${type}: ${(e as Error).message} from=${from}`);
    }
  }

  private handlePing(body: Uint8Array, from: string): void {
    const p = decodePing(body);
    if (p.node !== '' && p.node !== this.config.name) {
      this.logger.log('warn', `Got ping for unexpected node '${p.node}' from=${from}`);
      return;
    }
    const payload = this.pingDelegate?.ackPayload();
    const addr = p.sourceAddr && p.sourceAddr.length > 0 && p.sourcePort ? joinHostPort(bytesToHost(p.sourceAddr), p.sourcePort) : from;
    this.sendMsg(addr, encodeAck({ seqNo: p.seqNo, payload }));
  }

  private handleIndirectPing(body: Uint8Array, from: string): void {
    const ind = decodeIndirectPing(body);
    const port = ind.port === 0 ? this.advertisePort : ind.port;
    const localSeq = this.nextSeqNo();
    const indAddr =
      ind.sourceAddr && ind.sourceAddr.length > 0 && ind.sourcePort ? joinHostPort(bytesToHost(ind.sourceAddr), ind.sourcePort) : from;
    let answered = false;
    let nackTimer: TimerHandle | undefined;
    const handler: AckHandler = {
      onAck: () => {
        answered = true;
        nackTimer?.cancel();
        this.sendMsg(indAddr, encodeAck({ seqNo: ind.seqNo, payload: undefined }));
      },
      timer: this.time.setTimer(this.config.probeTimeout, () => this.ackHandlers.delete(localSeq)),
    };
    this.ackHandlers.set(localSeq, handler);
    const target = joinHostPort(bytesToHost(ind.target), port);
    this.sendMsg(
      target,
      encodePing({
        seqNo: localSeq,
        node: ind.node,
        sourceAddr: this.advertiseBytes,
        sourcePort: this.advertisePort,
        sourceNode: this.config.name,
      }),
    );
    if (ind.nack) {
      nackTimer = this.time.setTimer(this.config.probeTimeout, () => {
        if (!answered && !this.shutdownFlag) this.sendMsg(indAddr, encodeNack({ seqNo: ind.seqNo }));
      });
    }
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
