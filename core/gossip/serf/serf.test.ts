/** The serf layer and memberlist together on the in-memory network. */
import { describe, expect, it } from 'vitest';
import { estimateRttMs } from '../coordinate/coordinate.ts';
import { memCluster } from '../testing/cluster.ts';
import { defaultLanConfig } from '../memberlist/config.ts';
import type { SerfEvent } from './events.ts';

const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`);
const utf8 = (s: string) => new TextEncoder().encode(s);

function joinAll(c: ReturnType<typeof memCluster>, list: string[]): void {
  for (const name of list.slice(1)) c.nodes.get(name)?.join([`${list[0]}:7946`], false);
}

describe('serf over memberlist (in-memory network)', () => {
  it('converges after join, spreads a user event once to everyone, detects a crash and a leave', () => {
    const c = memCluster(1);
    const list = names(8);
    for (const n of list) c.add(n, (conf) => (conf.memberlist.pushPullInterval = 0));
    joinAll(c, list);
    c.net.runFor(5_000);
    for (const n of list) expect(c.seen(n, 'alive')).toEqual([...list].sort());

    c.nodes.get('n3')?.userEvent('deploy', utf8('v2'), false);
    c.net.runFor(3_000);
    for (const n of list) {
      const got = (c.events.get(n) ?? []).filter((e) => e.type === 'user');
      expect(got.length, n).toBe(1);
    }

    c.net.crash('n5');
    c.net.runFor(30_000);
    for (const n of list.filter((x) => x !== 'n5')) expect(c.seen(n, 'failed'), n).toEqual(['n5']);

    let left = false;
    c.nodes.get('n6')?.leave(() => (left = true));
    c.net.runFor(10_000);
    expect(left).toBe(true);
    for (const n of list.filter((x) => x !== 'n5' && x !== 'n6')) expect(c.seen(n, 'left'), n).toEqual(['n6']);
  });

  it('refutes a false suspicion with a higher incarnation (slow node stays alive)', () => {
    const c = memCluster(2);
    const list = names(5);
    for (const n of list) c.add(n);
    joinAll(c, list);
    c.net.runFor(3_000);
    // n2 answers slower than the whole probe interval for a while: peers suspect it, it refutes.
    c.net.slow.set('n2', 1_500);
    c.net.runFor(10_000);
    c.net.slow.delete('n2');
    c.net.runFor(10_000);
    const n2 = c.nodes.get('n2');
    expect(n2?.memberlist.localNode().incarnation).toBeGreaterThan(1);
    for (const n of list) expect(c.seen(n, 'alive'), n).toEqual([...list].sort());
  });

  it('reaps failed members after the reconnect timeout and left members after the tombstone timeout', () => {
    const c = memCluster(3);
    const list = names(4);
    for (const n of list) {
      c.add(n, (conf) => {
        conf.reconnectTimeout = 60_000;
        conf.tombstoneTimeout = 30_000;
      });
    }
    joinAll(c, list);
    c.net.runFor(3_000);
    c.net.crash('n3');
    c.nodes.get('n2')?.leave();
    c.net.runFor(50_000);
    expect(c.seen('n0', 'failed')).toEqual(['n3']);
    expect(c.nodes.get('n0')?.member('n2')).toBeUndefined();
    c.net.runFor(60_000);
    expect(c.nodes.get('n0')?.member('n3')).toBeUndefined();
    const reaps = (c.events.get('n0') ?? []).filter((e) => e.type === 'member-reap').flatMap((e) => ('members' in e ? e.members.map((m) => m.name) : []));
    expect(reaps.sort()).toEqual(['n2', 'n3']);
  });

  it('queries: acks and responses from every matching node, filters and a timeout', () => {
    const c = memCluster(4);
    const list = names(6);
    for (const n of list) c.add(n, (conf) => (conf.tags = { role: Number(n.slice(1)) % 2 === 0 ? 'even' : 'odd' }));
    joinAll(c, list);
    c.net.runFor(3_000);
    for (const n of list) {
      const serf = c.nodes.get(n);
      const events = c.events.get(n) as SerfEvent[];
      const len = events.length;
      events.push = (...items: SerfEvent[]) => {
        for (const e of items) if (e.type === 'query') e.respond(utf8(`pong-${n}`));
        return Array.prototype.push.apply(events, items);
      };
      expect(serf && events.length === len).toBe(true);
    }
    const acks: string[] = [];
    const responses: string[] = [];
    let done = false;
    c.nodes.get('n0')?.query('ping', utf8('x'), { requestAck: true, filterTags: { role: '^even$' }, timeoutMs: 3_000 }, {
      onAck: (from) => acks.push(from),
      onResponse: (from, p) => responses.push(`${from}=${new TextDecoder().decode(p)}`),
      onDone: () => (done = true),
    });
    c.net.runFor(4_000);
    expect(done).toBe(true);
    expect(acks.sort()).toEqual(['n0', 'n2', 'n4']);
    expect(responses.sort()).toEqual(['n0=pong-n0', 'n2=pong-n2', 'n4=pong-n4']);
  });

  it('coalesces member events and coalescable user events', () => {
    const c = memCluster(5);
    const list = names(5);
    c.add('n0', (conf) => {
      conf.coalescePeriod = 2_000;
      conf.quiescentPeriod = 500;
      conf.userCoalescePeriod = 2_000;
      conf.userQuiescentPeriod = 500;
    });
    for (const n of list.slice(1)) c.add(n);
    joinAll(c, list);
    c.net.runFor(5_000);
    const joins = (c.events.get('n0') ?? []).filter((e) => e.type === 'member-join');
    // Four peers joined within one quantum: fewer events than members, every member reported.
    expect(joins.length).toBeLessThan(5);
    expect(joins.flatMap((e) => ('members' in e ? e.members.map((m) => m.name) : [])).sort()).toEqual(list);
    const before = (c.events.get('n0') ?? []).length;
    for (let i = 0; i < 3; i++) c.nodes.get('n1')?.userEvent('cfg', utf8(`v${i}`), true);
    c.net.runFor(5_000);
    const users = (c.events.get('n0') ?? []).slice(before).filter((e) => e.type === 'user');
    expect(users.map((e) => (e.type === 'user' ? new TextDecoder().decode(e.payload) : ''))).toEqual(['v2']);
  });

  it('computes Vivaldi coordinates whose estimates approach the real RTT', () => {
    const c = memCluster(6, { latency: 5, jitter: 0.2 });
    const list = names(4);
    for (const n of list) c.add(n);
    joinAll(c, list);
    c.net.runFor(120_000);
    const a = c.nodes.get('n0')?.getCoordinate();
    const b = c.nodes.get('n1')?.getCachedCoordinate('n1') ?? c.nodes.get('n1')?.getCoordinate();
    expect(a && b).toBeTruthy();
    if (!a || !b) return;
    const est = estimateRttMs(a, b);
    // True RTT is ~10.2 ms (5.1 ms each way).
    expect(est).toBeGreaterThan(5);
    expect(est).toBeLessThan(20);
  });

  it('LAN/WAN/local defaults match memberlist', () => {
    const lan = defaultLanConfig('x');
    expect([lan.probeInterval, lan.probeTimeout, lan.gossipInterval, lan.gossipNodes, lan.pushPullInterval, lan.suspicionMult]).toEqual([
      1000, 500, 200, 3, 30_000, 4,
    ]);
  });
});
