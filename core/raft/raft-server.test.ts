import { describe, expect, it } from 'vitest';
import { ListFSM, memoryCluster, VirtualTime } from './testing.ts';
import { consulTiming, devTiming } from './timing.ts';

const enc = new TextEncoder();

function cluster(ids = ['a', 'b', 'c'], server = {}) {
  const time = new VirtualTime();
  const c = memoryCluster({ ids, timing: consulTiming(1), time, storeDefer: time.defer(0.2), netDefer: time.defer(1), server });
  return { time, c };
}

describe('RaftServer over in-memory stores and network', () => {
  it('elects a leader, commits proposals in order on every server and resolves them', () => {
    const { time, c } = cluster();
    expect(time.runUntil(() => c.leader() !== undefined, 5000)).toBe(true);
    const leader = c.leader()!;
    const results: unknown[] = [];
    for (let i = 0; i < 50; i++) leader.apply(enc.encode(`cmd${i}`), (err, v) => results.push(err ? err.message : v));
    time.runFor(200);
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    time.runFor(500);
    for (const f of c.fsms.values()) expect((f as ListFSM).items).toEqual(Array.from({ length: 50 }, (_, i) => `cmd${i}`));
  });

  it('serves stale, default (lease) and consistent reads with LastContact and KnownLeader', () => {
    const { time, c } = cluster();
    time.runUntil(() => c.leader() !== undefined, 5000);
    time.runFor(100);
    const leader = c.leader()!;
    const follower = [...c.servers.values()].find((s) => s !== leader)!;
    const seen: string[] = [];
    leader.read('consistent', (e, info) => seen.push(e ? `err ${e.message}` : `consistent ${info!.index}`));
    leader.read('default', (e, info) => seen.push(e ? `err ${e.message}` : `default ${info!.index} lease`));
    follower.read('stale', (e, info) => seen.push(e ? `err` : `stale known=${info!.knownLeader} contact<1s=${info!.lastContactMs < 1000}`));
    follower.read('consistent', (e) => seen.push(e ? `follower refused: ${(e as { code?: string }).code}` : 'follower consistent?'));
    time.runFor(50);
    expect(seen).toContain('stale known=true contact<1s=true');
    expect(seen).toContain('follower refused: not-leader');
    expect(seen.some((s) => s.startsWith('consistent '))).toBe(true);
    expect(seen.some((s) => s.startsWith('default '))).toBe(true);
  });

  it('fails over to a new leader after the leader stops', () => {
    const { time, c } = cluster();
    time.runUntil(() => c.leader() !== undefined, 5000);
    const old = c.leader()!;
    old.stop();
    const t0 = time.now();
    expect(time.runUntil(() => c.leader() !== undefined && c.leader() !== old, 10_000)).toBe(true);
    // Detection within [election, 2×election) plus a round trip or two.
    expect(time.now() - t0).toBeLessThan(2500);
  });

  it('snapshots, compacts keeping trailing logs, and catches up a lagging follower by InstallSnapshot', () => {
    const time = new VirtualTime();
    const c = memoryCluster({
      ids: ['a', 'b', 'c'],
      timing: consulTiming(1),
      time,
      storeDefer: time.defer(0.2),
      netDefer: time.defer(1),
      server: { snapshotThreshold: 20, trailingLogs: 5, raft: { snapshotChunkBytes: 64 } },
    });
    time.runUntil(() => c.leader() !== undefined, 5000);
    const leader = c.leader()!;
    const lagging = [...c.servers.values()].find((s) => s !== leader)!;
    lagging.stop();
    let done = 0;
    for (let i = 0; i < 100; i++) leader.apply(enc.encode(`v${i}`), () => done++);
    time.runFor(2000);
    expect(done).toBe(100);
    const st = leader.status();
    expect(st.snapshotIndex).toBeGreaterThan(50);
    expect(st.firstIndex).toBeGreaterThan(1);
    expect(st.snapshotIndex - st.firstIndex + 1).toBeGreaterThanOrEqual(5);
    expect(st.peers.find((p) => p.id === lagging.id)?.match ?? 0).toBeLessThan(st.firstIndex);
  });

  it('adds a non-voter, catches it up by chunked InstallSnapshot, and autopilot promotes it after stabilisation', () => {
    const time = new VirtualTime();
    const c = memoryCluster({
      ids: ['a', 'b', 'c'],
      join: ['d'],
      timing: consulTiming(1),
      time,
      storeDefer: time.defer(0.2),
      netDefer: time.defer(1),
      server: {
        snapshotThreshold: 20,
        trailingLogs: 5,
        raft: { snapshotChunkBytes: 64 },
        autopilot: { intervalMs: 200, serverStabilizationTimeMs: 1000, lastContactThresholdMs: 500 },
      },
    });
    time.runUntil(() => c.leader() !== undefined, 5000);
    time.runFor(100);
    const leader = c.leader()!;
    for (let i = 0; i < 60; i++) leader.apply(enc.encode(`v${i}`), () => {});
    time.runFor(500);
    expect(leader.status().firstIndex).toBeGreaterThan(1);
    const errors: string[] = [];
    leader.changeConfiguration({ type: 'addNonvoter', id: 'd', address: 'd' }, (e) => e && errors.push(e.message));
    time.runFor(300);
    expect(errors).toEqual([]);
    expect(leader.configuration().servers.find((s) => s.id === 'd')?.suffrage).toBe('nonvoter');
    // d received the snapshot (its log starts after it) and has the same state.
    const d = c.servers.get('d')!;
    expect(d.status().snapshotIndex).toBeGreaterThan(0);
    expect((c.fsms.get('d') as ListFSM).items).toEqual((c.fsms.get('a') as ListFSM).items);
    expect(leader.autopilotReport()?.servers.find((s) => s.id === 'd')).toMatchObject({ healthy: true, voter: false });
    time.runFor(2000);
    expect(leader.configuration().servers.find((s) => s.id === 'd')?.suffrage).toBe('voter');
    expect(d.configuration().servers.find((s) => s.id === 'd')?.suffrage).toBe('voter');
  });

  it('autopilot removes a dead voter but never below a healthy quorum', () => {
    const time = new VirtualTime();
    const c = memoryCluster({
      ids: ['a', 'b', 'c', 'd', 'e'],
      timing: consulTiming(1),
      time,
      storeDefer: time.defer(0.2),
      netDefer: time.defer(1),
      server: { autopilot: { intervalMs: 200, deadServerAfterMs: 3000 } },
    });
    time.runUntil(() => c.leader() !== undefined, 5000);
    const leader = c.leader()!;
    const others = [...c.servers.values()].filter((s) => s !== leader);
    others[0]!.stop();
    time.runFor(5000);
    expect(leader.configuration().servers.map((s) => s.id)).not.toContain(others[0]!.id);
    expect(leader.configuration().servers.length).toBe(4);
  });

  it('dev timing keeps the lease below the election timeout', () => {
    const t = devTiming();
    expect(t.leaseTicks).toBeLessThan(t.electionTicks);
    const p = consulTiming(5);
    expect(p.tickMs * p.electionTicks).toBe(5000);
    expect(p.tickMs * p.leaseTicks).toBe(2500);
    expect(() => consulTiming(0)).toThrow(/raft_multiplier/);
    expect(new ListFSM().snapshot()).toBeInstanceOf(Uint8Array);
  });
});
