/**
 * Client workloads over the real HTTP API, recorded as a history for the project's
 * linearizability checker (core/raft/sim/linearizability.ts, the one the Raft simulation uses).
 *
 * The history is Jepsen-style: an `invoke` event when a client sends a request and one completion
 * per invoke, `ok` (the answer), `fail` (definitely had no effect: a read that errored, a request
 * the agent rejected as malformed) or `info` (outcome unknown: a write that timed out or got a 5xx,
 * which may still commit). Times are milliseconds from the workload's start on the test process's
 * monotonic clock. Each client runs one request at a time, so an invoke's completion is the next
 * event of the same process.
 */
import { performance } from 'node:perf_hooks';
import { checkLinearizable, type CheckResult, type RegisterOp } from '../../../core/raft/sim/linearizability.ts';

export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

export interface HistoryEvent {
  type: EventType;
  process: number;
  f: 'read' | 'write';
  key: string;
  /** The value written, or the value read (null: the key was absent) on a read's `ok`. */
  value: string | null;
  time: number;
  /** The agent the request went to. */
  via: string;
  error?: string;
}

/** Registers: `PUT /v1/kv/<key>` and `GET /v1/kv/<key>?consistent` from a few sequential clients. */
export interface RegisterWorkloadOptions {
  /** HTTP base URLs of the agents clients talk to (client i uses `targets[i % length]`). */
  targets: Array<{ name: string; http: string }>;
  keys: string[];
  clients: number;
  /** Pause between a client's requests, to keep the history small enough to check exhaustively. */
  pauseMs: number;
  timeoutMs: number;
}

function decode(pairs: Array<{ Value: string | null }>): string | null {
  const v = pairs[0]?.Value;
  return v == null ? '' : Buffer.from(v, 'base64').toString('utf8');
}

export class KvHistory {
  readonly events: HistoryEvent[] = [];
  private readonly t0 = performance.now();
  private running = false;
  private loops: Promise<void>[] = [];
  private seq = 0;

  now(): number {
    return Math.round((performance.now() - this.t0) * 1000) / 1000;
  }

  /** One write through `via`; resolves with the completion type. */
  async write(process: number, via: { name: string; http: string }, key: string, value: string, timeoutMs: number): Promise<EventType> {
    this.events.push({ type: 'invoke', process, f: 'write', key, value, time: this.now(), via: via.name });
    const done = (type: EventType, error?: string) => {
      this.events.push({ type, process, f: 'write', key, value, time: this.now(), via: via.name, ...(error ? { error } : {}) });
      return type;
    };
    try {
      const res = await fetch(`${via.http}/v1/kv/${key}`, { method: 'PUT', body: value, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (res.ok && text.trim() === 'true') return done('ok');
      // 4xx: the agent refused the request before it reached Raft.
      if (res.status >= 400 && res.status < 500) return done('fail', `${res.status} ${text.trim()}`);
      return done('info', `${res.status} ${text.trim()}`);
    } catch (e) {
      return done('info', (e as Error).message);
    }
  }

  /** One `?consistent` read through `via`. */
  async read(process: number, via: { name: string; http: string }, key: string, timeoutMs: number): Promise<EventType> {
    this.events.push({ type: 'invoke', process, f: 'read', key, value: null, time: this.now(), via: via.name });
    const done = (type: EventType, value: string | null, error?: string) => {
      this.events.push({ type, process, f: 'read', key, value, time: this.now(), via: via.name, ...(error ? { error } : {}) });
      return type;
    };
    try {
      const res = await fetch(`${via.http}/v1/kv/${key}?consistent`, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (res.status === 404) return done('ok', null);
      if (res.ok) return done('ok', decode(JSON.parse(text)));
      return done('fail', null, `${res.status} ${text.trim()}`);
    } catch (e) {
      return done('fail', null, (e as Error).message);
    }
  }

  /** Starts `o.clients` sequential clients doing random writes and consistent reads. */
  startRegisters(o: RegisterWorkloadOptions): void {
    this.running = true;
    for (let c = 0; c < o.clients; c++) {
      const process = c;
      const via = o.targets[c % o.targets.length]!;
      this.loops.push(
        (async () => {
          let failures = 0;
          while (this.running) {
            const key = o.keys[Math.floor(Math.random() * o.keys.length)]!;
            const outcome =
              Math.random() < 0.5 ? await this.write(process, via, key, `v${process}-${this.seq++}`, o.timeoutMs) : await this.read(process, via, key, o.timeoutMs);
            // A client backs off while the cluster fails over (as Consul's API clients retry): it
            // also keeps the number of unknown-outcome writes, which the checker must place
            // anywhere after their invocation, small enough to check exhaustively.
            failures = outcome === 'ok' ? 0 : failures + 1;
            await new Promise((r) => setTimeout(r, failures === 0 ? o.pauseMs : Math.min(1000, 100 * 2 ** failures)));
          }
        })(),
      );
    }
  }

  /** Stops the clients after their current request. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    this.loops = [];
  }

  counts(): Record<EventType, number> {
    const c: Record<EventType, number> = { invoke: 0, ok: 0, fail: 0, info: 0 };
    for (const e of this.events) c[e.type]++;
    return c;
  }

  /** Values of writes that were acknowledged (`ok`), by key. */
  acknowledgedWrites(): Array<{ key: string; value: string; time: number }> {
    return this.events.filter((e) => e.type === 'ok' && e.f === 'write').map((e) => ({ key: e.key, value: e.value!, time: e.time }));
  }

  /** The history as the checker's register operations (see the module comment for the rules). */
  toRegisterOps(): RegisterOp[] {
    const open = new Map<number, HistoryEvent>();
    const ops: RegisterOp[] = [];
    const push = (inv: HistoryEvent, end: HistoryEvent | undefined) => {
      const unknown = end === undefined || end.type === 'info';
      if (end?.type === 'fail') return; // no effect: not part of the history
      const response = unknown ? Number.POSITIVE_INFINITY : end.time;
      if (inv.f === 'write') ops.push({ kind: 'write', key: inv.key, value: inv.value!, result: unknown ? undefined : true, invoke: inv.time, response, client: inv.process });
      else if (!unknown) ops.push({ kind: 'read', key: inv.key, result: end.value, invoke: inv.time, response, client: inv.process });
    };
    for (const e of this.events) {
      if (e.type === 'invoke') {
        open.set(e.process, e);
        continue;
      }
      const inv = open.get(e.process);
      if (!inv) throw new Error(`completion without invoke: ${JSON.stringify(e)}`);
      open.delete(e.process);
      push(inv, e);
    }
    for (const inv of open.values()) push(inv, undefined);
    return ops;
  }

  /** Runs the linearizability checker on the register history. */
  check(): CheckResult {
    return checkLinearizable(this.toRegisterOps());
  }
}
