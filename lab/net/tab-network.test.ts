import { describe, expect, it } from 'vitest';
import type { TimerHandle, Timers } from '../../core/ports/clock.ts';
import type { Stream, StreamCloseReason } from '../../core/ports/transport.ts';
import { MAX_DATA_FRAME, TabNetwork } from './tab-network.ts';

const realTimers: Timers = {
  setTimer(ms, cb): TimerHandle {
    const t = setTimeout(cb, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

/** Two tabs joined by an in-memory path that delivers each frame in a later task, in order. */
function pair() {
  const a = new TabNetwork('a', realTimers);
  const b = new TabNetwork('b', realTimers);
  let packets = 0;
  const link = (from: TabNetwork, to: TabNetwork) => (frame: Uint8Array, reliable: boolean) => {
    if (!reliable) packets++;
    setTimeout(() => to.receive(from.host, frame), 0);
  };
  a.attach('b', link(a, b));
  b.attach('a', link(b, a));
  return { a, b, packets: () => packets };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
/** Waits (up to 2 s) until `done()` holds: frame hops are timer-driven, and a loaded machine delays them. */
async function until(done: () => unknown): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await tick();
}

function collect(s: Stream) {
  const chunks: number[] = [];
  let closed: { reason: StreamCloseReason } | undefined;
  s.onData((c) => chunks.push(...c));
  s.onClose((reason) => (closed = { reason }));
  return { chunks, closed: () => closed };
}

describe('TabNetwork', () => {
  it('delivers packets between virtual ports with the sender address, on the unreliable channel', async () => {
    const { a, b, packets } = pair();
    const got: [string, number[]][] = [];
    b.packet(8301).onPacket((from, data) => got.push([from, [...data]]));
    a.packet(8301).send('b:8301', new Uint8Array([1, 2]));
    a.packet(8301).send('b:9999', new Uint8Array([3]));
    await until(() => got.length > 0 && packets() >= 2);
    expect(got).toEqual([['a:8301', [1, 2]]]);
    expect(packets()).toBe(2);
    expect(() => a.packet(8301).send('b:8301', new Uint8Array(70_000))).toThrow(/exceeds/);
  });

  it('carries a stream both ways in order, splitting large writes, and closes cleanly', async () => {
    const { a, b } = pair();
    let server: ReturnType<typeof collect> | undefined;
    let accepted: Stream | undefined;
    b.stream(8300).onAccept((s) => {
      accepted = s;
      server = collect(s);
    });
    const s = a.stream(0).dial('b:8300');
    const client = collect(s);
    const big = new Uint8Array(MAX_DATA_FRAME * 2 + 10).map((_, i) => i & 0xff);
    s.write(new Uint8Array([42]));
    s.write(big);
    await until(() => server && server.chunks.length >= big.length + 1);
    expect(accepted?.remoteAddress).toBe('a:0');
    expect(server?.chunks.length).toBe(big.length + 1);
    expect(server?.chunks.slice(0, 3)).toEqual([42, 0, 1]);
    accepted?.write(new Uint8Array([7]));
    await until(() => client.chunks.length > 0);
    expect(client.chunks).toEqual([7]);
    s.close();
    expect(client.closed()).toBeUndefined(); // never inside close()
    await until(() => client.closed() && server?.closed());
    expect(client.closed()).toEqual({ reason: undefined });
    expect(server?.closed()).toEqual({ reason: undefined });
  });

  it('refuses a dial to a port nobody listens on or an unknown host', async () => {
    const { a } = pair();
    const r1 = collect(a.stream(0).dial('b:1234'));
    const r2 = collect(a.stream(0).dial('nowhere:1'));
    await until(() => r1.closed() && r2.closed());
    expect(r1.closed()).toEqual({ reason: { kind: 'refused' } });
    expect(r2.closed()).toEqual({ reason: { kind: 'refused' } });
  });

  it('a cut drops packets, resets streams and makes dials time out; heal restores the link', async () => {
    const { a, b } = pair();
    const got: number[] = [];
    b.packet(1).onPacket((_f, d) => got.push(d[0]!));
    b.stream(2).onAccept(() => {});
    const s = collect(a.stream(0).dial('b:2'));
    await tick();
    a.cut('b', true);
    await until(() => s.closed());
    expect(s.closed()).toEqual({ reason: { kind: 'reset' } });
    a.packet(1).send('b:1', new Uint8Array([1]));
    const timedOut = collect(a.stream(0).dial('b:2', 30));
    await tick(60);
    expect(got).toEqual([]);
    expect(timedOut.closed()).toEqual({ reason: { kind: 'timeout' } });
    // One-way: b still reaches a.
    const back: number[] = [];
    a.packet(1).onPacket((_f, d) => back.push(d[0]!));
    b.packet(1).send('a:1', new Uint8Array([9]));
    await until(() => back.length > 0);
    expect(back).toEqual([9]);
    expect(a.cuts()).toEqual([{ host: 'b', out: true, in: false }]);
    a.heal();
    a.packet(1).send('b:1', new Uint8Array([2]));
    await until(() => got.length > 0);
    expect(got).toEqual([2]);
  });

  it('detaching a peer (its tab closed) resets its streams; bad frames are counted, not thrown', async () => {
    const { a, b } = pair();
    b.stream(2).onAccept(() => {});
    const s = collect(a.stream(0).dial('b:2'));
    await tick();
    a.detach('b');
    await until(() => s.closed());
    expect(s.closed()).toEqual({ reason: { kind: 'reset' } });
    b.receive('a', new Uint8Array([77]));
    expect(b.badFrames).toBe(1);
  });
});
