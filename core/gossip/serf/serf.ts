/**
 * The serf layer over memberlist (hashicorp/serf serf.go, delegate.go): member states alive,
 * leaving, left and failed ordered by Lamport clocks; join and leave intents (buffered when they
 * arrive before the member); user events with a de-duplication buffer and optional coalescing;
 * queries with acks, responses and a timeout; reconnecting to and reaping failed and left members;
 * graceful leave; Vivaldi coordinates carried in ping acks.
 *
 * Synchronous like memberlist: events are delivered through `onEvent` as they happen.
 */
import type { TimerHandle, TimeSource } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Random } from '../../ports/random.ts';
import type { TraceSink } from '../../ports/trace.ts';
import type { PacketTransport, StreamTransport } from '../../ports/transport.ts';
import '../trace-events.ts';
import { GoMsgpackWriter, msgpackValueEnd } from '../codec/msgpack.ts';
import { CoordinateClient } from '../coordinate/client.ts';
import { type Coordinate, decodeCoordinate, defaultCoordinateConfig, writeCoordinate } from '../coordinate/coordinate.ts';
import { bytesToHost, joinHostPort } from '../memberlist/address.ts';
import { type Broadcast, TransmitLimitedQueue } from '../memberlist/broadcast-queue.ts';
import { Memberlist } from '../memberlist/memberlist.ts';
import { META_MAX_SIZE } from '../memberlist/messages.ts';
import type { NodeState } from '../memberlist/types.ts';
import { MemberEventCoalescer, UserEventCoalescer } from './coalesce.ts';
import { SERF_PROTOCOL_MAX, SERF_PROTOCOL_MIN, type SerfConfig, USER_EVENT_SIZE_LIMIT } from './config.ts';
import type { Member, MemberEvent, MemberStatus, QueryEvent, SerfEvent, UserEvent } from './events.ts';
import { LamportClock } from './lamport.ts';
import {
  decodeFilter,
  decodeJoin,
  decodeLeave,
  decodePushPull,
  decodeQuery,
  decodeQueryResponse,
  decodeRelay,
  decodeTags,
  decodeUserEvent,
  encodeJoin,
  encodeLeave,
  encodeNodeFilter,
  encodePushPull,
  encodeQuery,
  encodeQueryResponse,
  encodeRelay,
  encodeTagFilter,
  encodeTags,
  encodeUserEvent,
  type MessageJoin,
  type MessageLeave,
  type MessageQuery,
  type MessageQueryResponse,
  type MessageUserEvent,
  QUERY_FLAG_ACK,
  QUERY_FLAG_NO_BROADCAST,
  SerfMessageType,
  type UserEvents,
} from './messages.ts';

/** memberlist protocol version for each serf protocol version (serf's ProtocolVersionMap). */
const PROTOCOL_VERSION_MAP: Record<number, number> = { 2: 2, 3: 2, 4: 2, 5: 2 };
/** serf's ping delegate version byte in front of the coordinate. */
const PING_VERSION = 1;

export type SerfState = 'alive' | 'leaving' | 'left' | 'shutdown';

interface MemberState {
  member: Member;
  statusLTime: number;
  /** Local time it failed or left (for reaping). */
  leaveTime: number;
}

interface NodeIntent {
  type: 'join' | 'leave';
  wallTime: number;
  ltime: number;
}

export interface QueryParams {
  filterNodes?: string[];
  /** Tag name to a regular expression its value must match. */
  filterTags?: Record<string, string>;
  requestAck?: boolean;
  relayFactor?: number;
  timeoutMs?: number;
}

/** Our side of a query in flight. */
export interface QueryHandlers {
  onAck?(from: string): void;
  onResponse?(from: string, payload: Uint8Array): void;
  onDone?(): void;
}

interface PendingQuery {
  id: number;
  ltime: number;
  deadline: number;
  acks: Set<string>;
  responses: Set<string>;
  handlers: QueryHandlers;
  finished: boolean;
  timer: TimerHandle;
}

export interface SerfOptions {
  config: SerfConfig;
  packet: PacketTransport;
  stream: StreamTransport;
  time: TimeSource;
  random: Random;
  logger: Logger;
  trace: TraceSink;
  advertiseAddress?: string;
  onEvent?: (e: SerfEvent) => void;
  /** Bytes the transport edge adds per packet (encryption). */
  packetOverhead?: number;
  /** Handles serf's internal `_serf_*` queries (key management); return a response or undefined. */
  internalQuery?: (name: string, payload: Uint8Array) => Uint8Array | undefined;
}

export class Serf {
  readonly config: SerfConfig;
  readonly memberlist: Memberlist;
  private readonly time: TimeSource;
  private readonly random: Random;
  private readonly logger: Logger;
  private readonly trace: TraceSink;
  private readonly emit: (e: SerfEvent) => void;
  private readonly internalQuery: SerfOptions['internalQuery'];

  readonly clock = new LamportClock();
  readonly eventClock = new LamportClock();
  readonly queryClock = new LamportClock();

  private readonly members = new Map<string, MemberState>();
  private failedMembers: MemberState[] = [];
  private leftMembers: MemberState[] = [];
  private readonly recentIntents = new Map<string, NodeIntent>();
  private readonly eventBuffer: (UserEvents | undefined)[];
  private readonly queryBuffer: ({ ltime: number; ids: number[] } | undefined)[];
  private eventMinTime = 0;
  private readonly queryMinTime = 0;
  private readonly queryResponses = new Map<number, PendingQuery>();

  private readonly broadcasts: TransmitLimitedQueue;
  private readonly eventBroadcasts: TransmitLimitedQueue;
  private readonly queryBroadcasts: TransmitLimitedQueue;

  private readonly coordClient: CoordinateClient | undefined;
  private readonly coordCache = new Map<string, Coordinate>();
  private readonly memberCoalescer: MemberEventCoalescer | undefined;
  private readonly userCoalescer: UserEventCoalescer | undefined;
  private readonly timers: TimerHandle[] = [];
  private state: SerfState = 'alive';
  private eventJoinIgnore = false;

  constructor(opts: SerfOptions) {
    const conf = opts.config;
    if (conf.protocolVersion < SERF_PROTOCOL_MIN || conf.protocolVersion > SERF_PROTOCOL_MAX) {
      throw new Error(`Protocol version '${conf.protocolVersion}' out of range [${SERF_PROTOCOL_MIN}, ${SERF_PROTOCOL_MAX}]`);
    }
    if (conf.userEventSizeLimit > USER_EVENT_SIZE_LIMIT) throw new Error('user event size limit exceeds limit of 9216 bytes');
    if (encodeTags(conf.tags).length > META_MAX_SIZE) throw new Error(`Encoded length of tags exceeds limit of ${META_MAX_SIZE} bytes`);
    this.config = conf;
    this.time = opts.time;
    this.random = opts.random;
    this.logger = opts.logger.named('serf');
    this.trace = opts.trace;
    this.internalQuery = opts.internalQuery;
    const out = opts.onEvent ?? (() => {});
    if (conf.coalescePeriod > 0 && conf.quiescentPeriod > 0) {
      this.memberCoalescer = new MemberEventCoalescer(this.time, conf.coalescePeriod, conf.quiescentPeriod, out);
    }
    if (conf.userCoalescePeriod > 0 && conf.userQuiescentPeriod > 0) {
      this.userCoalescer = new UserEventCoalescer(this.time, conf.userCoalescePeriod, conf.userQuiescentPeriod, out);
    }
    this.emit = (e) => {
      if (this.memberCoalescer?.offer(e)) return;
      if (this.userCoalescer?.offer(e)) return;
      out(e);
    };
    if (!conf.disableCoordinates) {
      this.coordClient = new CoordinateClient(defaultCoordinateConfig(), this.random.split('coordinate'));
      this.coordCache.set(conf.nodeName, this.coordClient.getCoordinate());
    }
    const numNodes = () => this.members.size;
    this.broadcasts = new TransmitLimitedQueue(numNodes, conf.memberlist.retransmitMult);
    this.eventBroadcasts = new TransmitLimitedQueue(numNodes, conf.memberlist.retransmitMult);
    this.queryBroadcasts = new TransmitLimitedQueue(numNodes, conf.memberlist.retransmitMult);
    this.eventBuffer = new Array(conf.eventBuffer).fill(undefined);
    this.queryBuffer = new Array(conf.queryBuffer).fill(undefined);
    this.clock.increment();
    this.eventClock.increment();
    this.queryClock.increment();

    const mlConfig = {
      ...conf.memberlist,
      name: conf.nodeName,
      delegateProtocolVersion: conf.protocolVersion,
      delegateProtocolMin: SERF_PROTOCOL_MIN,
      delegateProtocolMax: SERF_PROTOCOL_MAX,
      protocolVersion: PROTOCOL_VERSION_MAP[conf.protocolVersion] ?? 2,
    };
    this.memberlist = new Memberlist({
      config: mlConfig,
      packet: opts.packet,
      stream: opts.stream,
      time: opts.time,
      random: opts.random.split('memberlist'),
      logger: opts.logger,
      trace: opts.trace,
      advertiseAddress: opts.advertiseAddress,
      packetOverhead: opts.packetOverhead,
      delegate: {
        nodeMeta: (limit) => {
          const meta = encodeTags(this.config.tags);
          if (meta.length > limit) throw new Error(`Node tags exceed length limit of ${limit} bytes`);
          return meta;
        },
        notifyMsg: (buf) => this.notifyMsg(buf),
        getBroadcasts: (overhead, limit) => this.getBroadcasts(overhead, limit),
        localState: () => this.localState(),
        mergeRemoteState: (buf, join) => this.mergeRemoteState(buf, join),
      },
      events: {
        notifyJoin: (n) => this.handleNodeJoin(n),
        notifyLeave: (n) => this.handleNodeLeave(n),
        notifyUpdate: (n) => this.handleNodeUpdate(n),
      },
      ping: this.coordClient
        ? { ackPayload: () => this.ackPayload(), notifyPingComplete: (n, rtt, p) => this.notifyPingComplete(n, rtt, p) }
        : undefined,
      conflict: {
        notifyConflict: (existing, other) =>
          this.logger.log('error', `Name conflict for '${existing.name}' both ${existing.address} and ${other.address} are claiming`),
      },
    });
    this.every(conf.reapInterval, () => this.handleReap());
    this.every(conf.reconnectInterval, () => this.reconnect());
  }

  private every(interval: number, fn: () => void): void {
    const slot = this.timers.length;
    const loop = () => {
      this.timers[slot] = this.time.setTimer(interval, () => {
        if (this.state === 'shutdown') return;
        fn();
        loop();
      });
    };
    loop();
  }

  // ---------------------------------------------------------------- public API

  get nodeName(): string {
    return this.config.nodeName;
  }

  serfState(): SerfState {
    return this.state;
  }

  /** Every known member, including failed and left ones not yet reaped. */
  membersList(): Member[] {
    return [...this.members.values()].map((m) => ({ ...m.member, tags: { ...m.member.tags } }));
  }

  /**
   * Calls `fn` with every known member, in membersList's order, without copying them (hot paths:
   * an agent looks its servers up on every RPC). `fn` must not keep or change what it is given.
   */
  forEachMember(fn: (m: Readonly<Member>) => void): void {
    for (const m of this.members.values()) fn(m.member);
  }

  member(name: string): Member | undefined {
    const m = this.members.get(name);
    return m && { ...m.member };
  }

  localMember(): Member {
    return this.member(this.config.nodeName) as Member;
  }

  numNodes(): number {
    return this.members.size;
  }

  /** Joins via existing members. `ignoreOld` skips user events older than the join. */
  join(addresses: string[], ignoreOld: boolean, done?: (joined: number, errors: string[]) => void): void {
    if (this.state !== 'alive') {
      done?.(0, ["Serf can't Join after Leave or Shutdown"]);
      return;
    }
    if (ignoreOld) this.eventJoinIgnore = true;
    this.memberlist.join(addresses, (joined, errors) => {
      this.eventJoinIgnore = false;
      if (joined > 0) this.broadcastJoin(this.clock.time());
      done?.(joined, errors);
    });
  }

  private broadcastJoin(ltime: number): void {
    const msg: MessageJoin = { ltime, node: this.config.nodeName };
    this.clock.witness(ltime);
    this.handleNodeJoinIntent(msg);
    this.broadcast(encodeJoin(msg));
  }

  private broadcast(msg: Uint8Array, notify?: () => void): void {
    const b: Broadcast = { message: msg, finished: notify };
    this.broadcasts.queueBroadcast(b);
  }

  /** Fires a user event to the whole pool. Returns an error message when it is too large. */
  userEvent(name: string, payload: Uint8Array, coalesce: boolean): string | undefined {
    const sizeBefore = name.length + payload.length;
    if (sizeBefore > this.config.userEventSizeLimit) {
      return `user event exceeds configured limit of ${this.config.userEventSizeLimit} bytes before encoding`;
    }
    const msg: MessageUserEvent = { ltime: this.eventClock.time(), name, payload, cc: coalesce };
    const raw = encodeUserEvent(msg);
    if (raw.length > this.config.userEventSizeLimit) {
      return `encoded user event exceeds configured limit of ${this.config.userEventSizeLimit} bytes after encoding`;
    }
    this.eventClock.increment();
    this.handleUserEvent(msg);
    this.eventBroadcasts.queueBroadcast({ message: raw });
    return undefined;
  }

  /** Serf's DefaultQueryTimeout: GossipInterval * QueryTimeoutMult * ceil(log10(n+1)). */
  defaultQueryTimeout(): number {
    const n = this.memberlist.numMembers();
    return this.config.memberlist.gossipInterval * this.config.queryTimeoutMult * Math.ceil(Math.log10(n + 1));
  }

  /** Starts a query. Throws on a query over the size limit. Returns its id and Lamport time. */
  query(name: string, payload: Uint8Array, params: QueryParams = {}, handlers: QueryHandlers = {}): { id: number; ltime: number } {
    const timeoutMs = params.timeoutMs && params.timeoutMs > 0 ? params.timeoutMs : this.defaultQueryTimeout();
    const local = this.memberlist.localNode();
    const filters: Uint8Array[] = [];
    if (params.filterNodes && params.filterNodes.length > 0) filters.push(encodeNodeFilter(params.filterNodes));
    for (const [tag, expr] of Object.entries(params.filterTags ?? {})) filters.push(encodeTagFilter(tag, expr));
    const q: MessageQuery = {
      ltime: this.queryClock.time(),
      id: this.random.uint32() & 0x7fffffff,
      addr: local.addr,
      port: local.port,
      sourceNode: local.name,
      filters,
      flags: params.requestAck ? QUERY_FLAG_ACK : 0,
      relayFactor: params.relayFactor ?? 0,
      timeoutNs: Math.round(timeoutMs * 1e6),
      name,
      payload,
    };
    const raw = encodeQuery(q);
    if (raw.length > this.config.querySizeLimit) throw new Error(`query exceeds limit of ${this.config.querySizeLimit} bytes`);
    const pending: PendingQuery = {
      id: q.id,
      ltime: q.ltime,
      deadline: this.time.now() + timeoutMs,
      acks: new Set(),
      responses: new Set(),
      handlers,
      finished: false,
      timer: this.time.setTimer(timeoutMs, () => {
        pending.finished = true;
        this.queryResponses.delete(q.ltime);
        handlers.onDone?.();
      }),
    };
    this.queryResponses.set(q.ltime, pending);
    this.handleQuery(q);
    this.queryBroadcasts.queueBroadcast({ message: raw });
    return { id: q.id, ltime: q.ltime };
  }

  /** Changes our tags and re-advertises them. Returns an error message when too large. */
  setTags(tags: Record<string, string>): string | undefined {
    if (encodeTags(tags).length > META_MAX_SIZE) return `Encoded length of tags exceeds limit of ${META_MAX_SIZE} bytes`;
    this.config.tags = { ...tags };
    this.memberlist.updateNode();
    return undefined;
  }

  /**
   * Graceful leave: broadcast a leave intent, then memberlist's leave, wait LeavePropagateDelay,
   * and report. Call `shutdown()` afterwards to stop.
   */
  leave(done?: (err?: string) => void): void {
    if (this.state === 'left') {
      done?.();
      return;
    }
    if (this.state === 'leaving') {
      done?.('Leave already in progress');
      return;
    }
    if (this.state === 'shutdown') {
      done?.('Leave called after Shutdown');
      return;
    }
    this.state = 'leaving';
    const msg: MessageLeave = { ltime: this.clock.time(), node: this.config.nodeName, prune: false };
    this.clock.increment();
    this.handleNodeLeaveIntent(msg);
    const afterIntent = () => {
      this.memberlist.leave(this.config.broadcastTimeout, (err) => {
        if (err) {
          done?.(err);
          return;
        }
        this.time.setTimer(this.config.leavePropagateDelay, () => {
          if (this.state !== 'shutdown') this.state = 'left';
          done?.();
        });
      });
    };
    if (!this.hasAliveMembers()) {
      afterIntent();
      return;
    }
    let settled = false;
    const timer = this.time.setTimer(this.config.broadcastTimeout, () => {
      if (settled) return;
      settled = true;
      done?.('timeout while waiting for graceful leave');
    });
    this.broadcast(encodeLeave(msg), () => {
      if (settled) return;
      settled = true;
      timer.cancel();
      afterIntent();
    });
  }

  /** Forcibly moves a failed member to left (serf's RemoveFailedNode; `prune` erases it). */
  removeFailedNode(node: string, prune = false): void {
    const msg: MessageLeave = { ltime: this.clock.time(), node, prune };
    this.clock.increment();
    this.handleNodeLeaveIntent(msg);
    if (this.hasAliveMembers()) this.broadcast(encodeLeave(msg));
  }

  shutdown(): void {
    if (this.state === 'shutdown') return;
    if ((this.state as SerfState) !== 'left') this.logger.log('warn', 'Shutdown without a Leave');
    this.state = 'shutdown';
    for (const t of this.timers) t.cancel();
    for (const q of this.queryResponses.values()) q.timer.cancel();
    this.memberCoalescer?.stop();
    this.userCoalescer?.stop();
    this.memberlist.shutdown();
  }

  /** Our Vivaldi coordinate. */
  getCoordinate(): Coordinate | undefined {
    return this.coordClient?.getCoordinate();
  }

  /** The last coordinate we heard for `name`. */
  getCachedCoordinate(name: string): Coordinate | undefined {
    return this.coordCache.get(name);
  }

  private hasAliveMembers(): boolean {
    for (const m of this.members.values()) {
      if (m.member.name !== this.config.nodeName && m.member.status === 'alive') return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- memberlist delegate

  private getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    const msgs = this.broadcasts.getBroadcasts(overhead, limit);
    let used = 0;
    for (const m of msgs) used += m.length + overhead;
    const queryMsgs = this.queryBroadcasts.getBroadcasts(overhead, limit - used);
    for (const m of queryMsgs) used += m.length + overhead;
    const eventMsgs = this.eventBroadcasts.getBroadcasts(overhead, limit - used);
    return [...msgs, ...queryMsgs, ...eventMsgs];
  }

  private notifyMsg(buf: Uint8Array): void {
    if (buf.length === 0) return;
    const t = buf[0] as number;
    const body = buf.subarray(1);
    let rebroadcast = false;
    let queue = this.broadcasts;
    try {
      switch (t) {
        case SerfMessageType.leave:
          rebroadcast = this.handleNodeLeaveIntent(decodeLeave(body));
          break;
        case SerfMessageType.join:
          rebroadcast = this.handleNodeJoinIntent(decodeJoin(body));
          break;
        case SerfMessageType.userEvent:
          rebroadcast = this.handleUserEvent(decodeUserEvent(body));
          queue = this.eventBroadcasts;
          break;
        case SerfMessageType.query:
          rebroadcast = this.handleQuery(decodeQuery(body));
          queue = this.queryBroadcasts;
          break;
        case SerfMessageType.queryResponse:
          this.handleQueryResponse(decodeQueryResponse(body));
          break;
        case SerfMessageType.relay: {
          const end = msgpackValueEnd(body, 0);
          if (end < 0) throw new Error('truncated relay header');
          const r = decodeRelay(body, end);
          this.memberlist.sendToAddress(joinHostPort(bytesToHost(r.addr), r.port), r.inner.slice());
          break;
        }
        default:
          this.logger.log('warn', `Received message of unknown type: ${t}`);
      }
    } catch (e) {
      this.logger.log('error', `Error decoding message type ${t}: ${(e as Error).message}`);
      return;
    }
    if (rebroadcast) queue.queueBroadcast({ message: buf.slice() });
  }

  private localState(): Uint8Array {
    const statusLTimes = new Map<string, number>();
    for (const [name, m] of this.members) statusLTimes.set(name, m.statusLTime);
    // Serf sends only left members here. We also list members that are leaving: otherwise a
    // push-pull that overtakes the leave intent carries the intent's Lamport time as a join time,
    // the receiver then drops the intent as stale, and later marks the member failed instead of
    // left. A Go receiver treats the entry as a leave intent at statusLTime+1, which is the truth.
    const leftMembers = this.leftMembers.map((m) => m.member.name);
    for (const m of this.members.values()) if (m.member.status === 'leaving') leftMembers.push(m.member.name);
    return encodePushPull({
      ltime: this.clock.time(),
      statusLTimes,
      leftMembers,
      eventLTime: this.eventClock.time(),
      events: this.eventBuffer,
      queryLTime: this.queryClock.time(),
    });
  }

  private mergeRemoteState(buf: Uint8Array, isJoin: boolean): void {
    if (buf.length === 0 || buf[0] !== SerfMessageType.pushPull) {
      this.logger.log('error', `Remote state has bad type prefix: ${buf[0]}`);
      return;
    }
    let pp: ReturnType<typeof decodePushPull>;
    try {
      pp = decodePushPull(buf.subarray(1));
    } catch (e) {
      this.logger.log('error', `Failed to decode remote state: ${(e as Error).message}`);
      return;
    }
    if (pp.ltime > 0) this.clock.witness(pp.ltime - 1);
    if (pp.eventLTime > 0) this.eventClock.witness(pp.eventLTime - 1);
    if (pp.queryLTime > 0) this.queryClock.witness(pp.queryLTime - 1);
    const left = new Set(pp.leftMembers);
    for (const name of pp.leftMembers) {
      this.handleNodeLeaveIntent({ ltime: (pp.statusLTimes.get(name) ?? 0) + 1, node: name, prune: false });
    }
    for (const [name, ltime] of pp.statusLTimes) {
      if (left.has(name)) continue;
      this.handleNodeJoinIntent({ ltime, node: name });
    }
    if (isJoin && this.eventJoinIgnore && pp.eventLTime > this.eventMinTime) this.eventMinTime = pp.eventLTime;
    for (const events of pp.events) {
      if (!events) continue;
      for (const e of events.events) {
        this.handleUserEvent({ ltime: events.ltime, name: e.name, payload: e.payload, cc: false });
      }
    }
  }

  // ---------------------------------------------------------------- coordinates

  private ackPayload(): Uint8Array {
    const w = new GoMsgpackWriter();
    w.byte(PING_VERSION);
    writeCoordinate(w, (this.coordClient as CoordinateClient).getCoordinate());
    return w.finish();
  }

  private notifyPingComplete(other: NodeState, rttMs: number, payload: Uint8Array): void {
    if (payload.length === 0 || !this.coordClient) return;
    if (payload[0] !== PING_VERSION) {
      this.logger.log('error', `Unsupported ping version: ${payload[0]}`);
      return;
    }
    try {
      const coord = decodeCoordinate(payload.subarray(1));
      this.coordClient.update(other.name, coord, rttMs);
      this.coordCache.set(other.name, coord);
      this.coordCache.set(this.config.nodeName, this.coordClient.getCoordinate());
    } catch (e) {
      this.logger.log('trace', `Rejected coordinate from ${other.name}: ${(e as Error).message}`);
    }
  }

  // ---------------------------------------------------------------- member state

  private toMember(n: NodeState, status: MemberStatus): Member {
    let tags: Record<string, string> = {};
    try {
      tags = decodeTags(n.meta);
    } catch (e) {
      this.logger.log('error', `Failed to decode tags of ${n.name}: ${(e as Error).message}`);
    }
    return {
      name: n.name,
      addr: bytesToHost(n.addr),
      port: n.port,
      tags,
      status,
      protocolMin: n.pmin,
      protocolMax: n.pmax,
      protocolCur: n.pcur,
      delegateMin: n.dmin,
      delegateMax: n.dmax,
      delegateCur: n.dcur,
    };
  }

  private setStatus(m: MemberState, status: MemberStatus): void {
    m.member.status = status;
    if (status !== 'none') this.trace.emit('serf.member', this.config.nodeName, { member: m.member.name, status });
  }

  private handleNodeJoin(n: NodeState): void {
    let m = this.members.get(n.name);
    let oldStatus: MemberStatus;
    if (!m) {
      oldStatus = 'none';
      m = { member: this.toMember(n, 'alive'), statusLTime: 0, leaveTime: 0 };
      const intent = this.recentIntents.get(n.name);
      if (intent?.type === 'join') m.statusLTime = intent.ltime;
      if (intent?.type === 'leave') {
        m.member.status = 'leaving';
        m.statusLTime = intent.ltime;
      }
      this.recentIntents.delete(n.name);
      this.members.set(n.name, m);
      this.setStatus(m, m.member.status);
    } else {
      oldStatus = m.member.status;
      const fresh = this.toMember(n, 'alive');
      m.member = fresh;
      m.leaveTime = 0;
      this.setStatus(m, 'alive');
    }
    if (oldStatus === 'failed' || oldStatus === 'left') {
      this.failedMembers = this.failedMembers.filter((x) => x.member.name !== n.name);
      this.leftMembers = this.leftMembers.filter((x) => x.member.name !== n.name);
    }
    this.logger.log('info', `EventMemberJoin: ${n.name} ${bytesToHost(n.addr)}`);
    this.emit({ type: 'member-join', members: [{ ...m.member }] });
  }

  private handleNodeLeave(n: NodeState): void {
    const m = this.members.get(n.name);
    if (!m) return;
    let type: 'member-leave' | 'member-failed';
    if (m.member.status === 'leaving') {
      type = 'member-leave';
      this.setStatus(m, 'left');
      m.leaveTime = this.time.now();
      this.leftMembers.push(m);
    } else if (m.member.status === 'alive') {
      type = 'member-failed';
      this.setStatus(m, 'failed');
      m.leaveTime = this.time.now();
      this.failedMembers.push(m);
    } else {
      this.logger.log('warn', `Bad state when leave: ${m.member.status}`);
      return;
    }
    this.logger.log('info', `${type === 'member-leave' ? 'EventMemberLeave' : 'EventMemberFailed'}: ${n.name} ${m.member.addr}`);
    this.emit({ type, members: [{ ...m.member }] });
  }

  private handleNodeUpdate(n: NodeState): void {
    const m = this.members.get(n.name);
    if (!m) return;
    m.member = { ...this.toMember(n, m.member.status) };
    this.logger.log('info', `EventMemberUpdate: ${n.name}`);
    this.emit({ type: 'member-update', members: [{ ...m.member }] });
  }

  private upsertIntent(node: string, type: 'join' | 'leave', ltime: number): boolean {
    const existing = this.recentIntents.get(node);
    if (!existing || ltime > existing.ltime) {
      this.recentIntents.set(node, { type, ltime, wallTime: this.time.now() });
      return true;
    }
    return false;
  }

  private handleNodeLeaveIntent(msg: MessageLeave): boolean {
    this.clock.witness(msg.ltime);
    const m = this.members.get(msg.node);
    if (!m) return this.upsertIntent(msg.node, 'leave', msg.ltime);
    if (msg.ltime <= m.statusLTime) return false;
    if (msg.node === this.config.nodeName && this.state === 'alive') {
      this.logger.log('debug', 'Refuting an older leave intent');
      this.broadcastJoin(this.clock.time());
      return false;
    }
    m.statusLTime = msg.ltime;
    switch (m.member.status) {
      case 'alive':
        this.setStatus(m, 'leaving');
        if (msg.prune) this.handlePrune(m);
        return true;
      case 'failed':
        this.setStatus(m, 'left');
        this.failedMembers = this.failedMembers.filter((x) => x !== m);
        this.leftMembers.push(m);
        this.logger.log('info', `EventMemberLeave (forced): ${m.member.name} ${m.member.addr}`);
        this.emit({ type: 'member-leave', members: [{ ...m.member }] });
        if (msg.prune) this.handlePrune(m);
        return true;
      case 'leaving':
      case 'left':
        if (msg.prune) this.handlePrune(m);
        return true;
      default:
        return false;
    }
  }

  private handlePrune(m: MemberState): void {
    this.logger.log('info', `EventMemberReap (forced): ${m.member.name} ${m.member.addr}`);
    this.leftMembers = this.leftMembers.filter((x) => x !== m);
    this.failedMembers = this.failedMembers.filter((x) => x !== m);
    this.eraseNode(m);
  }

  private handleNodeJoinIntent(msg: MessageJoin): boolean {
    this.clock.witness(msg.ltime);
    const m = this.members.get(msg.node);
    if (!m) return this.upsertIntent(msg.node, 'join', msg.ltime);
    if (msg.ltime <= m.statusLTime) return false;
    m.statusLTime = msg.ltime;
    if (m.member.status === 'leaving') this.setStatus(m, 'alive');
    return true;
  }

  // ---------------------------------------------------------------- user events and queries

  private handleUserEvent(msg: MessageUserEvent): boolean {
    this.eventClock.witness(msg.ltime);
    if (msg.ltime < this.eventMinTime) return false;
    const size = this.eventBuffer.length;
    const cur = this.eventClock.time();
    if (cur > size && msg.ltime < cur - size) {
      this.logger.log('warn', `received old event ${msg.name} from time ${msg.ltime} (current: ${cur})`);
      return false;
    }
    const idx = msg.ltime % size;
    let seen = this.eventBuffer[idx];
    if (seen && seen.ltime === msg.ltime) {
      for (const prev of seen.events) if (prev.name === msg.name && bytesEqual(prev.payload, msg.payload)) return false;
    } else {
      seen = { ltime: msg.ltime, events: [] };
      this.eventBuffer[idx] = seen;
    }
    seen.events.push({ name: msg.name, payload: msg.payload });
    this.trace.emit('serf.user-event', this.config.nodeName, { name: msg.name, ltime: msg.ltime });
    const ev: UserEvent = { type: 'user', ltime: msg.ltime, name: msg.name, payload: msg.payload, coalesce: msg.cc };
    this.emit(ev);
    return true;
  }

  private shouldProcessQuery(filters: Uint8Array[]): boolean {
    for (const raw of filters) {
      const f = decodeFilter(raw);
      if (f.type === 'node') {
        if (!f.nodes.includes(this.config.nodeName)) return false;
      } else {
        const value = this.config.tags[f.tag];
        if (value === undefined) return false;
        let re: RegExp;
        try {
          re = new RegExp(f.expr);
        } catch {
          return false;
        }
        if (!re.test(value)) return false;
      }
    }
    return true;
  }

  private handleQuery(q: MessageQuery): boolean {
    this.queryClock.witness(q.ltime);
    if (q.ltime < this.queryMinTime) return false;
    const size = this.queryBuffer.length;
    const cur = this.queryClock.time();
    if (cur > size && q.ltime < cur - size) {
      this.logger.log('warn', `received old query ${q.name} from time ${q.ltime} (current: ${cur})`);
      return false;
    }
    const idx = q.ltime % size;
    let seen = this.queryBuffer[idx];
    if (seen && seen.ltime === q.ltime) {
      if (seen.ids.includes(q.id)) return false;
    } else {
      seen = { ltime: q.ltime, ids: [] };
      this.queryBuffer[idx] = seen;
    }
    seen.ids.push(q.id);
    const rebroadcast = (q.flags & QUERY_FLAG_NO_BROADCAST) === 0;
    let process: boolean;
    try {
      process = this.shouldProcessQuery(q.filters);
    } catch (e) {
      this.logger.log('error', `bad query filter: ${(e as Error).message}`);
      return rebroadcast;
    }
    if (!process) return rebroadcast;
    const sourceAddress = joinHostPort(bytesToHost(q.addr), q.port);
    if (q.flags & QUERY_FLAG_ACK) {
      const ack: MessageQueryResponse = { ltime: q.ltime, id: q.id, from: this.config.nodeName, flags: QUERY_FLAG_ACK, payload: undefined };
      const raw = encodeQueryResponse(ack);
      this.sendQueryResponse(q, sourceAddress, raw);
    }
    this.trace.emit('serf.query', this.config.nodeName, { name: q.name, ltime: q.ltime, id: q.id });
    const deadline = this.time.now() + q.timeoutNs / 1e6;
    let responded = false;
    const event: QueryEvent = {
      type: 'query',
      ltime: q.ltime,
      name: q.name,
      payload: q.payload,
      id: q.id,
      sourceNode: q.sourceNode,
      deadline,
      respond: (payload) => {
        if (responded) return 'response already sent';
        if (this.time.now() > deadline) return 'response is past the deadline';
        const raw = encodeQueryResponse({ ltime: q.ltime, id: q.id, from: this.config.nodeName, flags: 0, payload });
        if (raw.length > this.config.queryResponseSizeLimit) {
          return `response exceeds limit of ${this.config.queryResponseSizeLimit} bytes`;
        }
        responded = true;
        this.sendQueryResponse(q, sourceAddress, raw);
        return undefined;
      },
    };
    if (q.name.startsWith('_serf_')) {
      // Internal queries (key management) are answered here, never shown to the application;
      // `_serf_ping` needs only the ack.
      const resp = this.internalQuery?.(q.name, q.payload);
      if (resp !== undefined) {
        const err = event.respond(resp);
        if (err) this.logger.log('error', `failed to respond to ${q.name}: ${err}`);
      }
      return rebroadcast;
    }
    this.emit(event);
    return rebroadcast;
  }

  /** Sends directly to the querier, plus RelayFactor copies through random live members. */
  private sendQueryResponse(q: MessageQuery, sourceAddress: string, raw: Uint8Array): void {
    this.memberlist.sendToAddress(sourceAddress, raw);
    if (q.relayFactor === 0) return;
    const candidates = [...this.members.values()].filter(
      (m) => m.member.status === 'alive' && m.member.name !== this.config.nodeName && m.member.name !== q.sourceNode,
    );
    this.random.shuffle(candidates);
    for (const m of candidates.slice(0, q.relayFactor)) {
      const relay = encodeRelay(q.addr, q.port, q.sourceNode, raw);
      this.memberlist.sendToAddress(joinHostPort(m.member.addr, m.member.port), relay);
    }
  }

  private handleQueryResponse(resp: MessageQueryResponse): void {
    const q = this.queryResponses.get(resp.ltime);
    if (!q) {
      this.logger.log('warn', `reply for non-running query (LTime: ${resp.ltime}, ID: ${resp.id}) From: ${resp.from}`);
      return;
    }
    if (q.id !== resp.id) {
      this.logger.log('warn', `query reply ID mismatch (Local: ${q.id}, Response: ${resp.id})`);
      return;
    }
    if (q.finished) return;
    const isAck = (resp.flags & QUERY_FLAG_ACK) !== 0;
    const seen = isAck ? q.acks : q.responses;
    if (seen.has(resp.from)) return;
    seen.add(resp.from);
    this.trace.emit('serf.query-response', this.config.nodeName, { id: resp.id, from: resp.from, ack: isAck });
    if (isAck) q.handlers.onAck?.(resp.from);
    else q.handlers.onResponse?.(resp.from, resp.payload ?? new Uint8Array(0));
  }

  // ---------------------------------------------------------------- reaping and reconnecting

  private eraseNode(m: MemberState): void {
    this.members.delete(m.member.name);
    this.coordClient?.forgetNode(m.member.name);
    this.coordCache.delete(m.member.name);
    this.trace.emit('serf.member', this.config.nodeName, { member: m.member.name, status: 'reaped' });
    this.emit({ type: 'member-reap', members: [{ ...m.member }] } satisfies MemberEvent);
  }

  private reap(list: MemberState[], timeout: number): MemberState[] {
    const now = this.time.now();
    return list.filter((m) => {
      if (now - m.leaveTime <= timeout) return true;
      this.logger.log('info', `EventMemberReap: ${m.member.name}`);
      this.eraseNode(m);
      return false;
    });
  }

  private handleReap(): void {
    this.failedMembers = this.reap(this.failedMembers, this.config.reconnectTimeout);
    this.leftMembers = this.reap(this.leftMembers, this.config.tombstoneTimeout);
    const now = this.time.now();
    for (const [node, intent] of this.recentIntents) {
      if (now - intent.wallTime > this.config.recentIntentTimeout) this.recentIntents.delete(node);
    }
  }

  /** Serf's reconnect: with probability failed/alive, try to rejoin one random failed member. */
  private reconnect(): void {
    const numFailed = this.failedMembers.length;
    if (numFailed === 0) return;
    let numAlive = this.members.size - numFailed - this.leftMembers.length;
    if (numAlive === 0) numAlive = 1;
    const prob = numFailed / numAlive;
    if (this.random.float() > prob) return;
    const m = this.failedMembers[this.random.int(numFailed)] as MemberState;
    const addr = joinHostPort(m.member.addr, m.member.port);
    this.logger.log('info', `Attempting re-join to previously failed node: ${m.member.name}: ${addr}`);
    this.memberlist.join([addr]);
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
