/**
 * Test support (like HashiCorp's testing.go): a virtual clock with a deterministic event queue, and
 * a helper that builds an in-process cluster of RaftServers over in-memory stores and network.
 * Used by unit tests and benchmarks; the full fault-injecting simulator lives in core/sim.
 */
import type { TimeSource, TimerHandle } from '../ports/clock.ts';
import type { TraceSink } from '../ports/trace.ts';
import { Prng } from '../lib/prng.ts';
import { type Defer, MemoryLogStore, MemorySnapshotStore, MemoryStableStore } from './memory-storage.ts';
import { bootstrapStores, type RaftFSM, RaftServer, type RaftServerOptions } from './raft-server.ts';
import type { RaftTiming } from './timing.ts';
import { MemoryRaftNetwork } from './transport.ts';
import type { Configuration } from './types.ts';

interface Event {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Virtual time: timers fire in (time, registration) order when `run*` advances the clock. */
export class VirtualTime implements TimeSource {
  private t = 0;
  private seq = 0;
  private heap: Event[] = [];

  now(): number {
    return this.t;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const d = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const ev: Event = { at: this.t + d, seq: this.seq++, fn: callback, cancelled: false };
    this.push(ev);
    return {
      cancel() {
        ev.cancelled = true;
      },
    };
  }

  /** A Defer that runs `fn` after `delayMs` of virtual time. */
  defer(delayMs = 0): Defer {
    return (fn) => void this.setTimer(delayMs, fn);
  }

  /** Runs one event; returns false when none is left. */
  step(): boolean {
    for (;;) {
      const ev = this.pop();
      if (!ev) return false;
      if (ev.cancelled) continue;
      this.t = ev.at;
      ev.fn();
      return true;
    }
  }

  runFor(ms: number): void {
    const end = this.t + ms;
    while (this.heap.length > 0 && this.heap[0]!.at <= end) this.step();
    this.t = end;
  }

  /** Runs until `cond` holds or `maxMs` passes; returns whether it held. */
  runUntil(cond: () => boolean, maxMs: number): boolean {
    const end = this.t + maxMs;
    while (!cond()) {
      if (this.heap.length === 0 || this.heap[0]!.at > end) {
        this.t = Math.max(this.t, end);
        return cond();
      }
      this.step();
    }
    return true;
  }

  private less(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(ev: Event): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Event | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** A list-of-commands FSM: applies by appending, snapshots as the whole list. */
export class ListFSM implements RaftFSM {
  readonly items: string[] = [];
  private readonly dec = new TextDecoder();
  private readonly enc = new TextEncoder();

  apply(_index: number, data: Uint8Array): unknown {
    this.items.push(this.dec.decode(data));
    return this.items.length;
  }

  snapshot(): Uint8Array {
    return this.enc.encode(JSON.stringify(this.items));
  }

  restore(data: Uint8Array): void {
    this.items.length = 0;
    for (const s of JSON.parse(this.dec.decode(data)) as string[]) this.items.push(s);
  }
}

export interface MemoryClusterOptions {
  ids: string[];
  /** Servers started with empty stores (not bootstrapped), to be added by a membership change. */
  join?: string[];
  timing: RaftTiming;
  time: TimeSource;
  /** How stores call back from sync and how the network delivers. */
  storeDefer: Defer;
  netDefer: Defer;
  seed?: number;
  fsm?: (id: string) => RaftFSM;
  server?: Partial<RaftServerOptions>;
  trace?: TraceSink;
}

export interface MemoryCluster {
  servers: Map<string, RaftServer>;
  fsms: Map<string, RaftFSM>;
  network: MemoryRaftNetwork;
  /** The current leader, if exactly one server believes it leads in the highest term. */
  leader(): RaftServer | undefined;
}

/** Builds and starts a bootstrapped cluster over in-memory stores and network. */
export function memoryCluster(o: MemoryClusterOptions): MemoryCluster {
  const network = new MemoryRaftNetwork(o.netDefer);
  const config: Configuration = { servers: o.ids.map((id) => ({ id, address: id, suffrage: 'voter' as const })) };
  const servers = new Map<string, RaftServer>();
  const fsms = new Map<string, RaftFSM>();
  const root = new Prng(o.seed ?? 1);
  for (const id of [...o.ids, ...(o.join ?? [])]) {
    const logStore = new MemoryLogStore(o.storeDefer);
    const stableStore = new MemoryStableStore(o.storeDefer);
    const snapshotStore = new MemorySnapshotStore(o.storeDefer);
    if (o.ids.includes(id)) bootstrapStores(logStore, stableStore, snapshotStore, config);
    const fsm = o.fsm ? o.fsm(id) : new ListFSM();
    fsms.set(id, fsm);
    const server = new RaftServer({
      id,
      address: id,
      time: o.time,
      random: root.split(id),
      logStore,
      stableStore,
      snapshotStore,
      transport: network.transport(id),
      fsm,
      timing: o.timing,
      ...(o.trace ? { trace: o.trace } : {}),
      ...o.server,
    });
    servers.set(id, server);
    server.start();
  }
  return {
    servers,
    fsms,
    network,
    leader() {
      let best: RaftServer | undefined;
      for (const s of servers.values()) if (s.state === 'leader' && (!best || s.term > best.term)) best = s;
      return best;
    },
  };
}
