import { describe, expect, it } from 'vitest';
import { decodeFrameBody, encodeFrame, FrameReader } from './codec.ts';
import { EntryType, newMessage } from './types.ts';

describe('raft message codec', () => {
  const app = newMessage('MsgApp', 'a', 'b', 7);
  app.index = 10;
  app.logTerm = 6;
  app.commit = 9;
  app.lease = 1234;
  app.entries = [
    { index: 11, term: 7, type: EntryType.Normal, data: new Uint8Array([1, 2, 3]) },
    { index: 12, term: 7, type: EntryType.Noop, data: new Uint8Array(0) },
  ];
  const snap = newMessage('MsgSnap', 'a', 'c', 7);
  snap.snapshot = {
    index: 100,
    term: 6,
    configuration: { servers: [{ id: 'a', address: 'a:8300', suffrage: 'voter' }, { id: 'd', address: 'd:8300', suffrage: 'nonvoter' }] },
    offset: 0,
    total: 5,
    data: new Uint8Array([9, 9, 9]),
    done: false,
  };
  const resp = newMessage('MsgAppResp', 'b', 'a', 7);
  resp.reject = true;
  resp.rejectHint = 5;

  it('round-trips every field through a frame', () => {
    const frame = encodeFrame('a', 'a:8300', [app, snap, resp]);
    const back = decodeFrameBody(frame.subarray(4));
    expect(back.from).toBe('a');
    expect(back.address).toBe('a:8300');
    expect(back.messages[0]).toEqual(app);
    expect(back.messages[1]).toEqual(snap);
    expect(back.messages[2]).toEqual({ ...resp, from: 'a' });
  });

  it('reassembles frames split and merged across stream chunks', () => {
    const f1 = encodeFrame('a', 'x', [app]);
    const f2 = encodeFrame('a', 'x', [resp]);
    const all = new Uint8Array(f1.length + f2.length);
    all.set(f1);
    all.set(f2, f1.length);
    const r = new FrameReader();
    const out = [];
    for (let i = 0; i < all.length; i += 3) out.push(...r.push(all.slice(i, i + 3)));
    expect(out.map((f) => f.messages[0]!.type)).toEqual(['MsgApp', 'MsgAppResp']);
  });

  it('rejects malformed input with a clear error', () => {
    const r = new FrameReader();
    expect(() => r.push(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toThrow(/exceeds/);
    const bad = new Uint8Array([0, 0, 0, 1, 0xc0]);
    expect(() => new FrameReader().push(bad)).toThrow(/raft codec: malformed frame/);
  });
});
