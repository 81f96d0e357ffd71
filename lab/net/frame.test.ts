import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, type Frame } from './frame.ts';

describe('lab frame codec', () => {
  const frames: Frame[] = [
    { kind: 'packet', srcPort: 8301, dstPort: 65535, payload: new Uint8Array([1, 2, 3]) },
    { kind: 'open', fromDialer: true, id: 0xffffffff, srcPort: 0, dstPort: 8300 },
    { kind: 'accept', fromDialer: false, id: 7 },
    { kind: 'data', fromDialer: true, id: 9, payload: new Uint8Array(40_000).fill(5) },
    { kind: 'close', fromDialer: false, id: 9, reason: undefined },
    { kind: 'close', fromDialer: true, id: 9, reason: { kind: 'refused' } },
    { kind: 'close', fromDialer: true, id: 9, reason: { kind: 'timeout' } },
    { kind: 'close', fromDialer: true, id: 9, reason: { kind: 'reset' } },
    { kind: 'close', fromDialer: true, id: 9, reason: { kind: 'error', message: 'disk on fire ✓' } },
  ];

  it('round-trips every frame kind', () => {
    for (const f of frames) expect(decodeFrame(encodeFrame(f))).toEqual(f);
  });

  it('decodes payloads as views of a received buffer at an offset', () => {
    const enc = encodeFrame({ kind: 'data', fromDialer: false, id: 3, payload: new Uint8Array([9, 8, 7]) });
    const big = new Uint8Array(enc.length + 10);
    big.set(enc, 10);
    const f = decodeFrame(big.subarray(10));
    expect(f).toEqual({ kind: 'data', fromDialer: false, id: 3, payload: new Uint8Array([9, 8, 7]) });
  });

  it('rejects truncated, unknown and out-of-range frames with a clear error', () => {
    expect(() => decodeFrame(new Uint8Array(0))).toThrow(/truncated/);
    expect(() => decodeFrame(new Uint8Array([1, 0, 1]))).toThrow(/truncated packet/);
    expect(() => decodeFrame(new Uint8Array([2, 1, 0, 0, 0, 1, 0]))).toThrow(/truncated open/);
    expect(() => decodeFrame(new Uint8Array([9, 0, 0, 0, 0, 0]))).toThrow(/unknown frame kind 9/);
    expect(() => decodeFrame(new Uint8Array([5, 0, 0, 0, 0, 1, 42]))).toThrow(/unknown close reason 42/);
    expect(() => encodeFrame({ kind: 'packet', srcPort: 70_000, dstPort: 1, payload: new Uint8Array(0) })).toThrow(/u16/);
    expect(() => encodeFrame({ kind: 'accept', fromDialer: false, id: -1 })).toThrow(/u32/);
  });
});
