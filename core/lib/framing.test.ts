import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from './framing.ts';

describe('framing', () => {
  it('reassembles frames from any chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 10 }), fc.array(fc.integer({ min: 1, max: 7 })), (payloads, cuts) => {
        const bytes = payloads.map(encodeFrame);
        const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
        let o = 0;
        for (const b of bytes) {
          all.set(b, o);
          o += b.length;
        }
        const dec = new FrameDecoder();
        const out: Uint8Array[] = [];
        let at = 0;
        let k = 0;
        while (at < all.length) {
          const n = cuts.length ? (cuts[k++ % cuts.length] as number) : all.length;
          out.push(...dec.push(all.slice(at, at + n)));
          at += n;
        }
        expect(out.map((x) => Array.from(x))).toEqual(payloads.map((x) => Array.from(x)));
        expect(dec.pending).toBe(0);
      }),
    );
  });

  it('refuses a frame over the limit', () => {
    const dec = new FrameDecoder(10);
    expect(() => dec.push(encodeFrame(new Uint8Array(11)))).toThrow(FrameTooLargeError);
  });
});
