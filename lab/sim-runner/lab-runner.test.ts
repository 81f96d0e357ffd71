import { describe, expect, it } from 'vitest';
import { LabRunner } from './lab-runner.ts';

const ONE_DC = { name: 'dc1', servers: 3, clients: 2 };

async function scripted(seed: number): Promise<{ hash: string; events: number; leader: string | undefined }> {
  const lab = new LabRunner({ seed, datacenters: [ONE_DC] });
  await lab.runUntil(() => lab.leader() !== undefined, 20_000);
  await lab.advance(1000);
  const leader = lab.leader();
  await lab.kvPut('c1', 'greeting', 'hello');
  lab.cut('s1', 's2', true);
  await lab.advance(1500);
  lab.heal();
  await lab.advance(500);
  const out = { hash: lab.traceHash(), events: lab.sim.trace.size, leader };
  lab.dispose();
  return out;
}

describe('LabRunner: the in-tab cluster on the simulator', () => {
  it('elects a leader, replicates a write to every server, and reads it back through a client', async () => {
    const lab = new LabRunner({ seed: 7, datacenters: [ONE_DC] });
    expect(await lab.runUntil(() => lab.leader() !== undefined, 20_000)).toBe(true);
    const put = await lab.kvPut('c2', 'color', 'blue');
    expect(put.ok).toBe(true);
    const read = await lab.kvGet('s2', 'color', 'consistent');
    expect(read.value).toBe('blue');
    expect(read.knownLeader).toBe(true);
    await lab.advance(500);
    const snap = lab.snapshot();
    const servers = snap.nodes.filter((n) => n.server);
    expect(servers.filter((n) => n.role === 'leader')).toHaveLength(1);
    expect(new Set(servers.map((n) => n.commit)).size).toBe(1);
    expect(snap.nodes.filter((n) => !n.server).every((n) => n.role === 'client')).toBe(true);
    const detail = lab.detail(lab.leader()!);
    expect(detail.log.some((e) => e.label.startsWith('kv set color') && e.committed)).toBe(true);
    expect(detail.members.map((m) => m.name)).toEqual(['c1', 'c2', 's1', 's2', 's3']);
    const seen = lab.tap.since(0);
    for (const kind of ['vote', 'append', 'heartbeat', 'rpc', 'ping', 'ack'] as const) expect(seen.some((m) => m.kind === kind), kind).toBe(true);
    // Messages are matched to their delivery: most have arrived, none before it was sent.
    const done = seen.filter((m) => m.doneAt !== undefined);
    expect(done.length).toBeGreaterThan(seen.length * 0.9);
    expect(done.every((m) => (m.doneAt ?? 0) >= m.sentAt)).toBe(true);
    lab.dispose();
  });

  it('replays the same trace hash for the same seed and actions, and a different one for another seed', async () => {
    const a = await scripted(3);
    const b = await scripted(3);
    const c = await scripted(4);
    expect(a.events).toBeGreaterThan(300);
    expect(b).toEqual(a);
    expect(c.hash).not.toBe(a.hash);
  });

  it('gives the same trace with the message tap off (the views only observe)', async () => {
    const run = async (tapMessages: boolean) => {
      const lab = new LabRunner({ seed: 9, datacenters: [ONE_DC] }, { tapMessages, timeline: tapMessages });
      await lab.advance(3000);
      await lab.kvPut('c1', 'a', 'b');
      lab.dispose();
      return lab.traceHash();
    };
    expect(await run(false)).toBe(await run(true));
  });

  it('elects a new leader after the leader is killed, and the old one rejoins as a follower', async () => {
    const lab = new LabRunner({ seed: 11, datacenters: [ONE_DC] });
    await lab.runUntil(() => lab.leader() !== undefined, 20_000);
    const old = lab.leader()!;
    lab.kill(old, true);
    expect(await lab.runUntil(() => lab.leader() !== undefined && lab.leader() !== old, 20_000)).toBe(true);
    lab.restart(old);
    await lab.advance(4000);
    const again = lab.snapshot().nodes.find((n) => n.id === old)!;
    expect(again.role).toBe('follower');
    expect(again.leader).toBe(lab.leader());
    lab.dispose();
  });

  it('keeps every write when killed with the disk intact, and reports lost writes on a power cut', async () => {
    const lab = new LabRunner({ seed: 12, datacenters: [{ name: 'dc1', servers: 3, clients: 0 }] });
    await lab.runUntil(() => lab.leader() !== undefined, 20_000);
    const follower = ['s1', 's2', 's3'].find((s) => s !== lab.leader())!;
    await lab.kvPut(lab.leader()!, 'a', '1');
    const before = lab.process(follower)!.logStore.lastIndex();
    lab.kill(follower, false);
    expect(lab.sim.node(follower).status).toBe('stopped');
    lab.restart(follower);
    expect(lab.process(follower)!.logStore.lastIndex()).toBe(before);
    await lab.advance(2000);
    expect(lab.snapshot().nodes.find((n) => n.id === follower)?.role).toBe('follower');
    lab.kill(follower, true);
    expect(lab.timeline.recent(20).some((e) => e.node === follower && e.text.startsWith('crashed'))).toBe(true);
    lab.dispose();
  });

  it('shows a stale read on a partitioned minority follower while the majority moves on', async () => {
    const lab = new LabRunner({ seed: 5, datacenters: [{ name: 'dc1', servers: 3, clients: 0 }] });
    await lab.runUntil(() => lab.leader() !== undefined, 20_000);
    expect((await lab.kvPut(lab.leader()!, 'k', 'v1')).ok).toBe(true);
    await lab.advance(300);
    const minority = ['s1', 's2', 's3'].find((s) => s !== lab.leader())!;
    lab.partition([[minority]]);
    await lab.advance(300);
    expect((await lab.kvPut(lab.leader()!, 'k', 'v2')).ok).toBe(true);
    const stale = await lab.kvGet(minority, 'k', 'stale');
    expect(stale.value).toBe('v1');
    expect(stale.staleComparedToLeader).toBe(true);
    const consistent = await lab.kvGet(minority, 'k', 'consistent');
    expect(consistent.status).not.toBe(200);
    lab.dispose();
  });
});
