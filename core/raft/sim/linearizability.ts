/**
 * A linearizability checker for register histories (Wing & Gong's search with Lowe's memoisation,
 * as in Porcupine), partitioned per key (P-compositionality: a history is linearizable iff each
 * key's sub-history is).
 *
 * Operations whose outcome is unknown (the client gave up, the server lost leadership) get an
 * infinite response time: they may take effect at any point after their invocation, or never
 * (linearised at the end, after everything observable).
 */

/** One client operation on a register. `result` is undefined when the outcome is unknown. */
export type RegisterOp =
  | { kind: 'read'; key: string; result: string | null; invoke: number; response: number; client: number }
  | { kind: 'write'; key: string; value: string; result: true | undefined; invoke: number; response: number; client: number }
  | {
      kind: 'cas';
      key: string;
      expect: string | null;
      value: string;
      result: boolean | undefined;
      invoke: number;
      response: number;
      client: number;
    };

type State = string | null;

/** The register's sequential specification: the next state, or undefined if `op` cannot happen. */
function step(state: State, op: RegisterOp): State | undefined {
  switch (op.kind) {
    case 'read':
      return op.result === state ? state : undefined;
    case 'write':
      return op.value;
    case 'cas':
      if (op.result === undefined) return state === op.expect ? op.value : state;
      if (op.result) return state === op.expect ? op.value : undefined;
      return state !== op.expect ? state : undefined;
  }
}

interface Node {
  op: number;
  isCall: boolean;
  time: number;
  match: Node | null;
  prev: Node | null;
  next: Node | null;
}

export interface CheckResult {
  ok: boolean;
  /** Keys whose history is not linearizable. */
  badKeys: string[];
  /** Keys the search gave up on (budget exhausted): neither proven nor refuted. */
  inconclusive: string[];
}

/** Checks a whole history. `budget` bounds search steps per key. */
export function checkLinearizable(history: RegisterOp[], budget = 2_000_000): CheckResult {
  const byKey = new Map<string, RegisterOp[]>();
  for (const op of history) {
    if (op.kind === 'read' && op.response === Number.POSITIVE_INFINITY) continue; // unknown reads say nothing
    const list = byKey.get(op.key);
    if (list) list.push(op);
    else byKey.set(op.key, [op]);
  }
  const badKeys: string[] = [];
  const inconclusive: string[] = [];
  for (const [key, ops] of byKey) {
    const r = checkKey(ops, budget);
    if (r === 'bad') badKeys.push(key);
    else if (r === 'budget') inconclusive.push(key);
  }
  return { ok: badKeys.length === 0, badKeys, inconclusive };
}

function buildList(ops: RegisterOp[]): Node {
  const events: Node[] = [];
  ops.forEach((op, i) => {
    const call: Node = { op: i, isCall: true, time: op.invoke, match: null, prev: null, next: null };
    const ret: Node = { op: i, isCall: false, time: op.response, match: null, prev: null, next: null };
    call.match = ret;
    events.push(call, ret);
  });
  // Calls before returns at the same instant: treat touching operations as concurrent (permissive).
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const head: Node = { op: -1, isCall: false, time: Number.NEGATIVE_INFINITY, match: null, prev: null, next: null };
  let last = head;
  for (const e of events) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

function lift(call: Node): void {
  call.prev!.next = call.next;
  if (call.next) call.next.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

function unlift(call: Node): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  if (call.next) call.next.prev = call;
}

function checkKey(ops: RegisterOp[], budget: number): 'ok' | 'bad' | 'budget' {
  const head = buildList(ops);
  const cache = new Set<string>();
  const stack: Array<{ call: Node; state: State }> = [];
  let linearized = 0n;
  let state: State = null;
  let entry = head.next;
  let steps = 0;
  while (head.next !== null) {
    if (++steps > budget) return 'budget';
    if (entry === null) return 'bad';
    if (entry.isCall) {
      const next = step(state, ops[entry.op]!);
      const bits = linearized | (1n << BigInt(entry.op));
      const key = `${bits.toString(36)}|${next}`;
      if (next !== undefined && !cache.has(key)) {
        cache.add(key);
        stack.push({ call: entry, state });
        state = next;
        linearized = bits;
        lift(entry);
        entry = head.next;
      } else {
        entry = entry.next;
      }
    } else {
      const top = stack.pop();
      if (!top) return 'bad';
      state = top.state;
      linearized &= ~(1n << BigInt(top.call.op));
      unlift(top.call);
      entry = top.call.next;
    }
  }
  return 'ok';
}
