/**
 * An ordered set of strings kept as a list of sorted chunks (the "sorted list" layout): inserts and
 * deletes cost O(log n + chunk size) and ordered scans from any lower bound are cheap. It backs every
 * table's primary key so that prefix scans (KV recurse, a node's services) and snapshots iterate in
 * one canonical order, which makes snapshots byte-identical across servers.
 *
 * Order is JavaScript string order (UTF-16 code units). It equals Go's byte order for all keys
 * without characters above U+FFFF mixed with U+E000..U+FFFF; Consul clients use ASCII keys in practice.
 */
export class SortedKeys {
  private static readonly MAX_CHUNK = 1024;
  private chunks: string[][] = [[]];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `key`. Contract: the caller knows it is absent (tables check their row map first). */
  insert(key: string): void {
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const last = chunk[chunk.length - 1];
    // Fast path for ascending loads (restore, sequential keys).
    if (last === undefined || key > last) chunk.push(key);
    else chunk.splice(lowerBound(chunk, key), 0, key);
    this.count++;
    if (chunk.length > SortedKeys.MAX_CHUNK) {
      const half = chunk.length >> 1;
      this.chunks.splice(ci + 1, 0, chunk.splice(half));
    }
  }

  /** Removes `key` if present; returns whether it was. */
  delete(key: string): boolean {
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0 && this.chunks.length > 1) this.chunks.splice(ci, 1);
    return true;
  }

  /** Keys >= `lower` in ascending order. Do not mutate the set while iterating. */
  *from(lower: string): Generator<string> {
    let ci = this.chunkFor(lower);
    let i = lowerBound(this.chunks[ci]!, lower);
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci]!;
      for (; i < chunk.length; i++) yield chunk[i]!;
    }
  }

  /** Keys starting with `prefix`, ascending. Collected into an array so callers may mutate after. */
  withPrefix(prefix: string, limit = Number.POSITIVE_INFINITY): string[] {
    // Plain loops rather than the generator: this is the hot path of recurse and health queries.
    const out: string[] = [];
    let ci = this.chunkFor(prefix);
    let i = lowerBound(this.chunks[ci]!, prefix);
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci]!;
      for (; i < chunk.length; i++) {
        const k = chunk[i]!;
        if (!k.startsWith(prefix) || out.length >= limit) return out;
        out.push(k);
      }
    }
    return out;
  }

  /** All keys ascending. */
  *all(): Generator<string> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** Index of the first chunk whose last key is >= key, or the last chunk. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid]!;
      if (c[c.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(arr: string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
