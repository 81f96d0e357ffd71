/**
 * Watches for blocking queries. A read returns a WatchSet naming exactly what it looked at (topics
 * such as one KV key, one service name, one node, a whole table, or a KV prefix). A waiter registers
 * the set with a callback; a committed write wakes only the waiters registered on what it touched.
 *
 * Cost: registration and cancellation are O(items in the set). A write touching one key does one map
 * lookup per touched topic plus one per prefix length of the key (only when prefix waiters exist),
 * so 10,000 waiters on other keys cost nothing.
 *
 * There are no timers here: the caller (the HTTP layer) owns the wait timeout and calls `cancel`.
 */

/** What one read depended on. Build with the helpers in topics.ts. */
export class WatchSet {
  readonly topics: string[] = [];
  /** [table, prefix] pairs: any write to a key of that table starting with prefix fires. */
  readonly prefixes: Array<[string, string]> = [];

  addTopic(topic: string): this {
    this.topics.push(topic);
    return this;
  }

  addPrefix(table: string, prefix: string): this {
    this.prefixes.push([table, prefix]);
    return this;
  }

  /** Adds everything in `other` (for endpoints that combine several reads). */
  merge(other: WatchSet): this {
    this.topics.push(...other.topics);
    this.prefixes.push(...other.prefixes);
    return this;
  }
}

interface Waiter {
  callback: () => void;
  set: WatchSet;
  done: boolean;
}

/** Counters for tests and benchmarks. */
export interface WatchStats {
  /** Callbacks fired since creation. */
  wakeups: number;
  /** Waiters currently registered. */
  active: number;
}

/** The changes of one committed write, collected by the store while the write runs. */
export interface ChangeSet {
  topics: Set<string>;
  /** table -> keys written (for prefix waiters). */
  keys: Map<string, Set<string>>;
}

/** Registry of waiters, indexed by topic and by (table, prefix). */
export class WatchRegistry {
  private readonly byTopic = new Map<string, Set<Waiter>>();
  private readonly byPrefix = new Map<string, Map<string, Set<Waiter>>>();
  readonly stats: WatchStats = { wakeups: 0, active: 0 };
  /**
   * Receives exceptions thrown by waiter callbacks. A callback's failure must not undo or fail the
   * write that woke it (the write is already committed) nor starve the other waiters, so it is
   * caught here; servers point this at their logger.
   */
  onCallbackError: (error: unknown) => void = () => {};

  /**
   * Calls `callback` once, after the first committed write that touches anything in `set` (or
   * after a restore replaced the whole state). Returns a cancel function; cancelling after the
   * callback ran, or twice, is a no-op. Callbacks run synchronously at the end of the write's
   * commit and must not write to the store themselves (schedule the re-query instead).
   */
  watch(set: WatchSet, callback: () => void): () => void {
    const waiter: Waiter = { callback, set, done: false };
    for (const t of set.topics) addTo(this.byTopic, t, waiter);
    for (const [table, prefix] of set.prefixes) {
      let m = this.byPrefix.get(table);
      if (!m) this.byPrefix.set(table, (m = new Map()));
      addTo(m, prefix, waiter);
    }
    this.stats.active++;
    return () => this.remove(waiter);
  }

  /** Fires every waiter affected by `changes`, each once. */
  fire(changes: ChangeSet): void {
    const hit = new Set<Waiter>();
    for (const t of changes.topics) {
      const s = this.byTopic.get(t);
      if (s) for (const w of s) hit.add(w);
    }
    for (const [table, keys] of changes.keys) {
      const m = this.byPrefix.get(table);
      if (!m || m.size === 0) continue;
      for (const key of keys) {
        for (let len = 0; len <= key.length; len++) {
          const s = m.get(len === key.length ? key : key.slice(0, len));
          if (s) for (const w of s) hit.add(w);
        }
      }
    }
    this.run(hit);
  }

  /** Wakes everybody (the state was replaced by a restore). */
  fireAll(): void {
    const hit = new Set<Waiter>();
    for (const s of this.byTopic.values()) for (const w of s) hit.add(w);
    for (const m of this.byPrefix.values()) for (const s of m.values()) for (const w of s) hit.add(w);
    this.run(hit);
  }

  private run(hit: Set<Waiter>): void {
    for (const w of hit) this.remove(w);
    for (const w of hit) {
      this.stats.wakeups++;
      try {
        w.callback();
      } catch (e) {
        this.onCallbackError(e);
      }
    }
  }

  private remove(w: Waiter): void {
    if (w.done) return;
    w.done = true;
    this.stats.active--;
    for (const t of w.set.topics) deleteFrom(this.byTopic, t, w);
    for (const [table, prefix] of w.set.prefixes) {
      const m = this.byPrefix.get(table);
      if (m) deleteFrom(m, prefix, w);
    }
  }
}

function addTo(m: Map<string, Set<Waiter>>, k: string, w: Waiter): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(w);
}

function deleteFrom(m: Map<string, Set<Waiter>>, k: string, w: Waiter): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(w);
  if (s.size === 0) m.delete(k);
}
