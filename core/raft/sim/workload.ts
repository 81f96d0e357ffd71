/**
 * Simulated clients of the KV register: each client repeatedly picks a server and an operation
 * (write, CAS, `consistent` read, `default` read), calls the server directly (as an RPC that
 * arrives instantly), and records invocation and response times for the linearizability checker.
 *
 * Outcomes: a refusal before proposing (not the leader) did nothing and is left out of the history;
 * a lost leadership, a crash of the server (no answer) or a client timeout leaves the outcome
 * unknown (response time infinite); otherwise the result is recorded.
 */
import type { Random } from '../../ports/random.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { RaftError } from '../types.ts';
import { encodeKvCommand } from './kv-fsm.ts';
import type { RegisterOp } from './linearizability.ts';
import type { RaftNode } from './raft-node.ts';

const INF = Number.POSITIVE_INFINITY;
const KEYS = ['x', 'y'];
const CLIENTS = 3;
const TIMEOUT_MS = 400;

export class RaftWorkload {
  readonly history: RegisterOp[] = [];
  /** Writes and CAS still waiting for an answer (recorded as unknown by `finishPending`). */
  private readonly pending = new Set<RegisterOp>();
  completed = 0;
  private running = false;
  private seq = 0;
  /** Which server each client believes leads (clients follow leader hints like Consul's RPC layer). */
  private readonly target: string[];

  constructor(
    private readonly sim: Simulation,
    private readonly ids: string[],
    private readonly nodeOf: (id: string) => RaftNode | undefined,
    private readonly random: Random,
  ) {
    this.target = Array.from({ length: CLIENTS }, () => ids[0]!);
  }

  start(): void {
    this.running = true;
    for (let c = 0; c < CLIENTS; c++) this.sim.schedule(this.random.int(20), () => this.next(c));
  }

  stop(): void {
    this.running = false;
  }

  /**
   * Ends the history: writes still unanswered may yet take effect, so they enter it with an unknown
   * outcome. (Regression seed 2707: a write left pending at the end was missing from the history,
   * and a read that saw it looked like a linearizability violation.)
   */
  finishPending(): void {
    for (const op of this.pending) this.history.push(op);
    this.pending.clear();
  }

  /** One write from a dedicated client, retried on every server until it commits (liveness). */
  probeWrite(): { done: boolean } {
    const state = { done: false };
    const attempt = () => {
      if (state.done) return;
      for (const id of this.ids) {
        const n = this.nodeOf(id);
        if (n?.server.state !== 'leader') continue;
        n.server.apply(encodeKvCommand({ op: 'write', key: 'probe', value: `p${this.seq++}` }), (err) => {
          if (!err) state.done = true;
        });
      }
      this.sim.schedule(50, attempt);
    };
    attempt();
    return state;
  }

  private next(client: number): void {
    if (!this.running) return;
    const id = this.random.chance(0.8) ? this.target[client]! : this.ids[this.random.int(this.ids.length)]!;
    const node = this.nodeOf(id);
    const key = KEYS[this.random.int(KEYS.length)]!;
    const invoke = this.sim.now;
    let finished = false;
    const finish = (op: RegisterOp | null) => {
      if (finished) return;
      finished = true;
      if (pendingOp) this.pending.delete(pendingOp);
      if (op) this.history.push(op);
      this.sim.schedule(this.random.int(15), () => this.next(client));
    };
    let pendingOp: RegisterOp | null = null;
    // A server that never answers (crashed, partitioned away): the client gives up.
    this.sim.schedule(TIMEOUT_MS, () => finish(this.unknown(client, key, invoke, pendingOp)));
    if (!node) return;
    const roll = this.random.float();
    if (roll < 0.35) {
      const value = `c${client}-${this.seq++}`;
      pendingOp = { kind: 'write', key, value, result: undefined, invoke, response: INF, client };
      this.pending.add(pendingOp);
      node.server.apply(encodeKvCommand({ op: 'write', key, value }), (err) => {
        this.afterWrite(client, err, () => finish({ kind: 'write', key, value, result: true, invoke, response: this.sim.now, client }), () =>
          finish(null),
        () => finish(this.unknown(client, key, invoke, pendingOp)));
      });
    } else if (roll < 0.55) {
      const expect = this.random.chance(0.3) ? null : this.lastValue(key);
      const value = `c${client}-${this.seq++}`;
      pendingOp = { kind: 'cas', key, expect, value, result: undefined, invoke, response: INF, client };
      this.pending.add(pendingOp);
      node.server.apply(encodeKvCommand({ op: 'cas', key, expect, value }), (err, res) => {
        this.afterWrite(
          client,
          err,
          () => finish({ kind: 'cas', key, expect, value, result: res === true, invoke, response: this.sim.now, client }),
          () => finish(null),
          () => finish(this.unknown(client, key, invoke, pendingOp)),
        );
      });
    } else {
      const mode = roll < 0.78 ? 'consistent' : 'default';
      node.server.read(mode, (err) => {
        if (err) {
          this.followHint(client, err);
          finish(null);
          return;
        }
        // The callback runs before any later entry is applied: read the FSM now.
        finish({ kind: 'read', key, result: node.fsm.get(key), invoke, response: this.sim.now, client });
      });
    }
  }

  private afterWrite(client: number, err: Error | undefined, ok: () => void, refused: () => void, unknown: () => void): void {
    if (!err) {
      this.completed++;
      ok();
    } else if (err instanceof RaftError && (err.code === 'not-leader' || err.code === 'transfer-in-progress')) {
      // Refused before proposing: nothing happened.
      this.followHint(client, err);
      refused();
    } else {
      unknown();
    }
  }

  private followHint(client: number, err: Error): void {
    if (err instanceof RaftError && err.leader && this.ids.includes(err.leader)) this.target[client] = err.leader;
    else this.target[client] = this.ids[this.random.int(this.ids.length)]!;
  }

  private unknown(_client: number, _key: string, _invoke: number, op: RegisterOp | null): RegisterOp | null {
    // Reads with no answer constrain nothing; writes and CAS may or may not have happened.
    return op && op.kind !== 'read' ? op : null;
  }

  private lastValue(key: string): string | null {
    for (let i = this.history.length - 1; i >= 0; i--) {
      const op = this.history[i]!;
      if (op.key === key && op.kind !== 'read' && op.result) return op.value;
      if (op.key === key && op.kind === 'read') return op.result;
    }
    return null;
  }

  /** The history of the given keys, for a failure report. */
  describe(keys: string[]): string {
    const ops = this.history.filter((o) => keys.includes(o.key)).sort((a, b) => a.invoke - b.invoke);
    return ops
      .slice(0, 60)
      .map((o) => {
        const t = `[${o.invoke.toFixed(1)},${o.response === INF ? 'inf' : o.response.toFixed(1)}]`;
        if (o.kind === 'read') return `c${o.client} r ${o.key}=${o.result} ${t}`;
        if (o.kind === 'write') return `c${o.client} w ${o.key}=${o.value}${o.result ? '' : '?'} ${t}`;
        return `c${o.client} cas ${o.key} ${o.expect}->${o.value}=${o.result ?? '?'} ${t}`;
      })
      .join('; ');
  }
}
