/**
 * Length-prefixed frames over a byte stream: a 4-byte big-endian length, then the payload. Streams
 * do not keep chunk boundaries (see core/ports/transport.ts), so every stream protocol here frames.
 */

/** Frames larger than this are refused: a corrupt or hostile length must not make us buffer GBs. */
export const DEFAULT_MAX_FRAME = 64 * 1024 * 1024;

/** Prefixes `payload` with its length. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length);
  out.set(payload, 4);
  return out;
}

/** Thrown by FrameDecoder for a frame over the limit; the stream should be closed. */
export class FrameTooLargeError extends Error {}

/**
 * Reassembles frames from arbitrary chunks. `push` returns the complete frames, in order; partial
 * data waits for the next chunk. Payloads returned are owned by the caller.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  constructor(private readonly maxFrame = DEFAULT_MAX_FRAME) {}

  push(chunk: Uint8Array): Uint8Array[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Uint8Array[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const header = this.peek(4);
      const length = new DataView(header.buffer, header.byteOffset, 4).getUint32(0);
      if (length > this.maxFrame) throw new FrameTooLargeError(`frame of ${length} bytes exceeds ${this.maxFrame}`);
      if (this.buffered < 4 + length) break;
      this.take(4);
      frames.push(this.take(length));
    }
    return frames;
  }

  /** Bytes buffered but not yet part of a complete frame. */
  get pending(): number {
    return this.buffered;
  }

  /** Takes whatever is buffered (e.g. after a protocol switch). */
  drain(): Uint8Array {
    return this.take(this.buffered);
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0] as Uint8Array;
    if (first.length >= n) return first.subarray(0, n);
    return this.copy(n, false);
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first && first.length === n) {
      this.chunks.shift();
      this.buffered -= n;
      return first;
    }
    if (first && first.length > n) {
      this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return first.slice(0, n);
    }
    return this.copy(n, true);
  }

  private copy(n: number, consume: boolean): Uint8Array {
    const out = new Uint8Array(n);
    let offset = 0;
    let i = 0;
    while (offset < n) {
      const c = this.chunks[i] as Uint8Array;
      const part = Math.min(c.length, n - offset);
      out.set(c.subarray(0, part), offset);
      offset += part;
      if (consume) {
        if (part === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(part);
      } else i++;
    }
    if (consume) this.buffered -= n;
    return out;
  }
}
