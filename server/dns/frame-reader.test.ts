import { describe, expect, it } from 'vitest';
import { FrameReader, frame } from './frame-reader.ts';

describe('FrameReader', () => {
  it('reassembles frames split anywhere, including inside the length prefix', () => {
    const messages = [Buffer.from('hello'), Buffer.alloc(0), Buffer.alloc(70_000 % 65536, 7), Buffer.from('x')];
    const stream = Buffer.concat(messages.map((m) => frame(m)));
    for (const step of [1, 2, 3, 1000]) {
      const reader = new FrameReader();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += step) out.push(...reader.push(stream.subarray(i, i + step)));
      expect(out.map((b) => b.toString('hex'))).toEqual(messages.map((m) => m.toString('hex')));
    }
  });
});
