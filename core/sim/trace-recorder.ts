import { Fnv64 } from '../lib/hash.ts';
import type { TraceEvent, TraceEventMap, TraceSink } from '../ports/trace.ts';

/**
 * Records a simulation's trace: a running hash over every event's canonical line, a bounded ring
 * of recent lines for failure reports, and listeners (checkers, the browser lab).
 *
 * The canonical line is `at|node|kind|JSON(payload)`. Payload objects are built by our own code in
 * a fixed key order, so the same seed gives the same lines, and the same hash, in every runtime.
 */
export class TraceRecorder implements TraceSink {
  private readonly hasher = new Fnv64();
  private readonly ring: string[];
  private ringNext = 0;
  private listeners: Array<(event: TraceEvent) => void> = [];
  private count = 0;
  private lines: string[] | undefined;

  /**
   * @param now reads virtual time for each event.
   * @param ringSize how many recent lines to keep for `recent()`.
   */
  constructor(
    private readonly now: () => number,
    ringSize = 200,
  ) {
    this.ring = new Array<string>(ringSize);
  }

  emit<K extends keyof TraceEventMap>(kind: K, node: string, payload: TraceEventMap[K]): void {
    const at = this.now();
    const line = `${at}|${node}|${kind}|${JSON.stringify(payload)}`;
    this.hasher.update(line).update('\n');
    this.count++;
    if (this.ring.length > 0) {
      this.ring[this.ringNext] = line;
      this.ringNext = (this.ringNext + 1) % this.ring.length;
    }
    this.lines?.push(line);
    if (this.listeners.length > 0) {
      const event = { at, node, kind, ...payload } as TraceEvent;
      for (const listener of this.listeners) listener(event);
    }
  }

  /** Adds a listener; returns a function that removes it. Listeners must not throw. */
  on(listener: (event: TraceEvent) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Keeps every line from now on (for tests that diff two runs). Costs memory. */
  keepAll(): void {
    this.lines ??= [];
  }

  /** Every line since `keepAll()`, or undefined if it was not called. */
  all(): readonly string[] | undefined {
    return this.lines;
  }

  /** The hash of every event so far, 16 hex digits. */
  hash(): string {
    return this.hasher.hex();
  }

  /** How many events were recorded. */
  get size(): number {
    return this.count;
  }

  /** The last `n` lines, oldest first. */
  recent(n = this.ring.length): string[] {
    const out: string[] = [];
    const len = this.ring.length;
    for (let i = 0; i < len; i++) {
      const line = this.ring[(this.ringNext + i) % len];
      if (line !== undefined) out.push(line);
    }
    return out.slice(-n);
  }
}
