import type { LabRunner } from '../sim-runner/index.ts';
import { type Lesson, otherServer } from './lesson.ts';

function compactedPast(lab: LabRunner, follower: string): boolean {
  const leader = lab.leader();
  if (!leader) return false;
  return lab.detail(leader).firstIndex > lab.detail(follower).lastIndex + 1;
}

function installed(lab: LabRunner, follower: string): boolean {
  return lab.timeline.recent(600).some((e) => e.node === follower && e.text.startsWith('installed a snapshot'));
}

/** A follower so far behind that the entries it needs were compacted away: it gets a snapshot instead. */
export const snapshotCatchUp: Lesson = {
  id: 'snapshot-catch-up',
  title: 'Snapshot catch-up',
  summary: 'Logs are compacted into snapshots; a follower that fell too far behind receives a snapshot.',
  spec: { seed: 707, datacenters: [{ name: 'dc1', servers: 3, clients: 0 }], snapshotThreshold: 12, trailingLogs: 4 },
  steps: [
    {
      title: 'A cluster that snapshots often',
      text: 'A Raft log cannot grow forever. Every so many applied entries, a server writes its state to a snapshot and throws away the log before it, keeping only a few trailing entries. Consul defaults to 16,384 and 10,240 entries; this cluster uses 12 and 4 so you can watch it happen.',
      task: 'Press Play and wait for a leader.',
      auto: (lab) => lab.runUntil(() => lab.leader() !== undefined, 20_000),
      done: (lab) => lab.leader() !== undefined,
    },
    {
      title: 'Leave a follower behind',
      text: 'Pause one follower. It keeps its log as it is now, while the others carry on.',
      task: (lab) => `Select ${otherServer(lab, lab.leader())} and press Pause.`,
      enter: (lab, mem) => {
        mem.follower = otherServer(lab, lab.leader());
      },
      auto: (lab, mem) => lab.pauseNode(String(mem.follower)),
      done: (lab, mem) => lab.sim.node(String(mem.follower)).status === 'paused',
    },
    {
      title: 'Write until the log is compacted',
      text: (_lab, mem) => `Write keys through the leader. Each write is a log entry. Once 12 entries have been applied since the last snapshot, the leader takes a new one ("took a snapshot" in the timeline) and drops all but the last 4 entries. The leader's log now starts after the point where ${mem.follower}'s log ends.`,
      task: 'Write a dozen keys (or press Auto to write k1 to k20).',
      auto: async (lab, mem) => {
        for (let i = 1; i <= 20 && !compactedPast(lab, String(mem.follower)); i++) await lab.kvPut(lab.leader() ?? 's1', `k${i}`, `v${i}`);
      },
      done: (lab, mem) => compactedPast(lab, String(mem.follower)),
    },
    {
      title: 'Catch up by snapshot',
      text: (_lab, mem) => `Resume ${mem.follower}. The leader cannot send it the entries it is missing, because they were deleted. It sends its snapshot instead (purple square). ${mem.follower} replaces its state with the snapshot, and then takes the few remaining entries from the log.`,
      task: (_lab, mem) => `Select ${mem.follower} and press Resume.`,
      auto: async (lab, mem) => {
        lab.resumeNode(String(mem.follower));
        await lab.runUntil(() => installed(lab, String(mem.follower)), 15_000);
      },
      done: (lab, mem) => {
        const f = String(mem.follower);
        const l = lab.leader();
        return installed(lab, f) && !!l && lab.detail(f).commit === lab.detail(l).commit;
      },
    },
  ],
};
