/**
 * The simulator's agenda: events ordered by virtual time, ties broken by the order they were
 * scheduled (a sequence number), so that a run is a pure function of its seed.
 */

/** A scheduled event. `cancelled` events stay in the heap and are skipped when popped. */
export interface SimEvent {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

/** A binary min-heap on (at, seq). */
export class EventQueue {
  private heap: SimEvent[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, run: () => void): SimEvent {
    const event: SimEvent = { at, seq: this.seq++, run, cancelled: false };
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
    return event;
  }

  /** The earliest live event's time, or undefined when nothing live remains. */
  peekTime(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  pop(): SimEvent | undefined {
    this.dropCancelled();
    return this.popRaw();
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]?.cancelled) this.popRaw();
  }

  private popRaw(): SimEvent | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top && last && this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i] as SimEvent;
    const b = this.heap[j] as SimEvent;
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i] as SimEvent;
    this.heap[i] = this.heap[j] as SimEvent;
    this.heap[j] = t;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
