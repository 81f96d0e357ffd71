/**
 * DNS-over-TCP framing (RFC 1035 4.2.2): each message is preceded by its 2-byte length. Chunks are
 * kept in a list and joined once per complete frame, so a client dripping one byte at a time costs
 * linear work, not a copy of the whole buffer per byte.
 */

/** Accumulates stream chunks and yields whole messages. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Adds a chunk; returns every message now complete, in order. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.buffered < 2) break;
      const len = this.peekLength();
      if (this.buffered < 2 + len) break;
      const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.buffered);
      out.push(all.subarray(2, 2 + len));
      const rest = all.subarray(2 + len);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
    return out;
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 2) return first.readUInt16BE(0);
    const second = this.chunks[1] as Buffer;
    return ((first[0] as number) << 8) | (second[0] as number);
  }
}

/** Prefixes a message with its 2-byte length. */
export function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(message.length + 2);
  out.writeUInt16BE(message.length, 0);
  out.set(message, 2);
  return out;
}
