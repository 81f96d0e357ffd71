/** SWIM probe paths: direct, indirect through a peer, and the stream fallback. */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../lib/prng.ts';
import { nullLogger } from '../../ports/logger.ts';
import type { TraceEvent, TraceEventMap, TraceSink } from '../../ports/trace.ts';
import type { PacketTransport } from '../../ports/transport.ts';
import { MemNet } from '../testing/mem-net.ts';
import { defaultLanConfig } from './config.ts';
import { Memberlist } from './memberlist.ts';

/** Drops every datagram to `blocked` addresses (a one-way UDP black hole). */
function dropping(inner: PacketTransport, blocked: Set<string>): PacketTransport {
  return {
    get localAddress() {
      return inner.localAddress;
    },
    maxPacketSize: inner.maxPacketSize,
    send: (to, data) => {
      if (!blocked.has(to)) inner.send(to, data);
    },
    onPacket: (h) => inner.onPacket(h),
    close: () => inner.close(),
  };
}

function setup(names: string[], blockedFromA: string[]) {
  const net = new MemNet(new Prng(7));
  const events: TraceEvent[] = [];
  const trace: TraceSink = {
    emit<K extends keyof TraceEventMap>(kind: K, node: string, payload: TraceEventMap[K]) {
      events.push({ at: net.now, node, kind, ...payload } as TraceEvent);
    },
  };
  const rng = new Prng(1);
  const blocked = new Set(blockedFromA.map((n) => `${n}:7946`));
  const lists = names.map((name) => {
    const config = defaultLanConfig(name);
    config.pushPullInterval = 0;
    const packet = net.packet(name, 7946);
    return new Memberlist({
      config,
      packet: name === 'a' ? dropping(packet, blocked) : packet,
      stream: net.stream(name, 7946),
      time: net.time(name),
      random: rng.split(name),
      logger: nullLogger,
      trace,
    });
  });
  for (const m of lists.slice(1)) m.join(['a:7946']);
  return { net, events, lists };
}

const results = (events: TraceEvent[], node: string, target: string) =>
  events.flatMap((e) => (e.kind === 'gossip.probe-result' && e.node === node && e.target === target ? [e.result] : []));

describe('probe paths', () => {
  it('acks directly when the path is clear', () => {
    const { net, events } = setup(['a', 'b'], []);
    net.runFor(10_000);
    const r = results(events, 'a', 'b');
    expect(r.length).toBeGreaterThan(3);
    expect(new Set(r)).toEqual(new Set(['ack']));
  });

  it('falls back to an indirect probe through a peer when direct pings are lost', () => {
    const { net, events, lists } = setup(['a', 'b', 'c'], ['b']);
    net.runFor(20_000);
    const r = results(events, 'a', 'b');
    expect(r).toContain('indirect-ack');
    expect(r).not.toContain('failed');
    expect(lists[0]?.node('b')?.state).toBe('alive');
  });

  it('falls back to a stream ping when no peer can help', () => {
    const { net, events, lists } = setup(['a', 'b'], ['b']);
    net.runFor(20_000);
    const r = results(events, 'a', 'b');
    expect(r).toContain('stream-ack');
    expect(r).not.toContain('failed');
    expect(lists[0]?.node('b')?.state).toBe('alive');
  });
});
