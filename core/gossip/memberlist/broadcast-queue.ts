/**
 * memberlist's TransmitLimitedQueue (queue.go): piggybacked broadcasts, each sent at most
 * retransmitMult * ceil(log10(n+1)) times, fewest-transmitted first, then largest, then newest.
 * A named broadcast replaces a queued one with the same name (memberlist names its own broadcasts by
 * the node they concern, so a newer alive/suspect/dead about a node supersedes an older one).
 */
import { retransmitLimit } from './config.ts';

export interface Broadcast {
  readonly message: Uint8Array;
  /** Broadcasts with the same name invalidate each other (newest wins). */
  readonly name?: string | undefined;
  /** Called once when the broadcast is dropped: sent enough times, or invalidated. */
  finished?(): void;
}

/** Up to this many broadcasts taken at once are spliced back one by one; more are merged in one pass. */
const FEW = 4;

/** Smaller than any memberlist or serf message; below this much room, scanning further is futile. */
const MIN_BROADCAST = 8;

interface Item {
  b: Broadcast;
  transmits: number;
  id: number;
}

/** Orders as memberlist's btree: transmits ascending, then length descending, then id descending. */
function before(a: Item, b: Item): boolean {
  if (a.transmits !== b.transmits) return a.transmits < b.transmits;
  if (a.b.message.length !== b.b.message.length) return a.b.message.length > b.b.message.length;
  return a.id > b.id;
}

export class TransmitLimitedQueue {
  private items: Item[] = [];
  private readonly byName = new Map<string, Item>();
  /** How many queued broadcasts have each length, to know the smallest without a scan. */
  private readonly lengths = new Map<number, number>();
  private idGen = 0;

  constructor(
    private readonly numNodes: () => number,
    private readonly retransmitMult: number,
  ) {}

  private insert(item: Item): void {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.items[mid] as Item, item)) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, item);
    if (item.b.name !== undefined) this.byName.set(item.b.name, item);
    const len = item.b.message.length;
    this.lengths.set(len, (this.lengths.get(len) ?? 0) + 1);
  }

  private forgetLength(item: Item): void {
    const len = item.b.message.length;
    const n = (this.lengths.get(len) ?? 0) - 1;
    if (n <= 0) this.lengths.delete(len);
    else this.lengths.set(len, n);
  }

  private minLength(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const len of this.lengths.keys()) if (len < min) min = len;
    return min;
  }

  private remove(item: Item): void {
    const idx = this.items.indexOf(item);
    if (idx >= 0) {
      this.items.splice(idx, 1);
      this.forgetLength(item);
    }
    if (item.b.name !== undefined && this.byName.get(item.b.name) === item) this.byName.delete(item.b.name);
    if (this.items.length === 0) this.idGen = 0;
  }

  queueBroadcast(b: Broadcast, initialTransmits = 0): void {
    this.idGen++;
    if (b.name !== undefined) {
      const old = this.byName.get(b.name);
      if (old) {
        old.b.finished?.();
        this.remove(old);
      }
    }
    this.insert({ b, transmits: initialTransmits, id: this.idGen });
  }

  /**
   * Takes broadcasts that fit in `limit` bytes, counting `overhead` per message, and counts a
   * transmission for each; those at the retransmit limit are dropped.
   */
  getBroadcasts(overhead: number, limit: number): Uint8Array[] {
    if (this.items.length === 0) return [];
    const transmitLimit = retransmitLimit(this.retransmitMult, this.numNodes());
    let bytesUsed = 0;
    const toSend: Uint8Array[] = [];
    const takenIdx: number[] = [];
    const smallest = Math.max(MIN_BROADCAST, this.minLength());
    for (let i = 0; i < this.items.length; i++) {
      const free = limit - bytesUsed - overhead;
      // Nothing fits any more (not even the smallest queued broadcast): stop scanning.
      if (free < smallest) break;
      const item = this.items[i] as Item;
      if (item.b.message.length > free) continue;
      bytesUsed += overhead + item.b.message.length;
      toSend.push(item.b.message);
      takenIdx.push(i);
    }
    if (takenIdx.length === 0) return toSend;
    if (takenIdx.length > FEW) this.requeue(takenIdx, transmitLimit);
    else this.requeueFew(takenIdx, transmitLimit);
    return toSend;
  }

  /** A few taken: splice each out and back in (native moves beat a pass over a long queue). */
  private requeueFew(takenIdx: number[], transmitLimit: number): void {
    const taken: Item[] = [];
    for (let j = takenIdx.length - 1; j >= 0; j--) {
      const [item] = this.items.splice(takenIdx[j] as number, 1);
      this.forgetLength(item as Item);
      taken.push(item as Item);
    }
    for (const item of taken) {
      if (item.b.name !== undefined && this.byName.get(item.b.name) === item) this.byName.delete(item.b.name);
      if (item.transmits + 1 >= transmitLimit) {
        item.b.finished?.();
      } else {
        item.transmits++;
        this.insert(item);
      }
    }
    if (this.items.length === 0) this.idGen = 0;
  }

  /**
   * Takes the items at `takenIdx` (ascending) out of the queue in one in-place pass, puts back
   * those still under the transmit limit with one more transmission (merged into place, not
   * spliced one by one: a 1,000-node join storm keeps hundreds queued and sends a dozen per
   * packet), and then calls `finished` on the rest in the order requeueFew does (highest index first). The order is a strict total order
   * (ids are unique while the queue is non-empty), so the result is the same as inserting one by one.
   */
  private requeue(takenIdx: number[], transmitLimit: number): void {
    const items = this.items;
    const again: Item[] = [];
    const done: Item[] = [];
    for (let j = takenIdx.length - 1; j >= 0; j--) {
      const item = items[takenIdx[j] as number] as Item;
      if (item.transmits + 1 >= transmitLimit) {
        done.push(item);
        this.forgetLength(item);
        if (item.b.name !== undefined && this.byName.get(item.b.name) === item) this.byName.delete(item.b.name);
      } else {
        item.transmits++;
        again.push(item);
      }
    }
    // Close the gaps in place, from the first taken index on.
    let w = takenIdx[0] as number;
    let t = 0;
    for (let i = w; i < items.length; i++) {
      if (i === takenIdx[t]) t++;
      else items[w++] = items[i] as Item;
    }
    items.length = w;
    // Merge the re-queued ones in from the back (they usually belong near the front).
    again.sort((a, b) => (before(a, b) ? -1 : 1));
    let i = w - 1;
    let j = again.length - 1;
    for (let pos = w + again.length - 1; j >= 0; pos--) {
      const x = items[i];
      const y = again[j] as Item;
      if (i >= 0 && x !== undefined && before(y, x)) {
        items[pos] = x;
        i--;
      } else {
        items[pos] = y;
        j--;
      }
    }
    for (const item of done) item.b.finished?.();
    if (this.items.length === 0) this.idGen = 0;
  }

  numQueued(): number {
    return this.items.length;
  }

  /** Drops everything (calling `finished`). */
  reset(): void {
    for (const item of this.items) item.b.finished?.();
    this.items = [];
    this.byName.clear();
    this.lengths.clear();
    this.idGen = 0;
  }

  /** Keeps only the `maxRetain` least-transmitted broadcasts (memberlist's Prune). */
  prune(maxRetain: number): void {
    while (this.items.length > maxRetain) {
      const item = this.items[this.items.length - 1] as Item;
      item.b.finished?.();
      this.remove(item);
    }
  }
}
