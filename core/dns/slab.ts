/**
 * Reply buffers carved from 64 KiB slabs. Allocating a fresh typed array per reply costs a backing
 * store and GC pressure; a view into a slab costs only the view. Regions are never reused (a bump
 * pointer; a full slab is simply dropped and collected once its views die), so a reply handed to a
 * transport is never overwritten.
 */

const SLAB_SIZE = 64 * 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let used = 0;

/** A zero-filled byte array of `size` bytes that nobody else will ever write to. */
export function allocReply(size: number): Uint8Array {
  if (size > SLAB_SIZE / 4) return new Uint8Array(size);
  if (used + size > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    used = 0;
  }
  const out = new Uint8Array(slab, used, size);
  used += (size + 7) & ~7;
  return out;
}
