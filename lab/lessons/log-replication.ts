import type { LabRunner } from '../sim-runner/index.ts';
import { type Lesson, otherServer } from './lesson.ts';

function kvOnLeader(lab: LabRunner, key: string): string | null | undefined {
  return lab.committedValue('dc1', key);
}

function allCaughtUp(lab: LabRunner): boolean {
  const servers = lab.snapshot().nodes.filter((n) => n.server);
  return servers.every((n) => n.status === 'up') && new Set(servers.map((n) => n.commit)).size === 1 && new Set(servers.map((n) => n.lastIndex)).size === 1;
}

/** Raft log replication: append, replicate, commit on a majority, catch up a lagging follower. */
export const logReplication: Lesson = {
  id: 'log-replication',
  title: 'Log replication',
  summary: 'A write becomes a log entry, is copied to a majority, and only then counts as committed.',
  spec: { seed: 202, datacenters: [{ name: 'dc1', servers: 3, clients: 1 }] },
  steps: [
    {
      title: 'Wait for a leader',
      text: 'Every write in Consul goes through the Raft leader. Let the cluster elect one first.',
      task: 'Press Play.',
      auto: (lab) => lab.runUntil(() => lab.leader() !== undefined, 20_000),
      done: (lab) => lab.leader() !== undefined,
    },
    {
      title: 'Write through a client',
      text: 'The client c1 is not in Raft. When it gets a write, it forwards the write over RPC (cyan) to a server, and that server passes it to the leader. The leader adds the write to its log as a new entry and sends it to the followers in blue "append" messages.',
      task: 'Select c1, and in "Key/value through this node" write greeting = hello.',
      auto: (lab) => lab.kvPut('c1', 'greeting', 'hello'),
      done: (lab) => kvOnLeader(lab, 'greeting') === 'hello',
    },
    {
      title: 'Committed',
      text: (lab) => `Open ${lab.leader()}'s Raft log. The entry "kv set greeting" is green, which means committed: a majority of servers stored it, so it cannot be lost even if a server crashes. The leader moved its commit index forward and told the followers in its next messages. Each follower then applies the entry to its own copy of the KV store.`,
      done: (lab) => allCaughtUp(lab),
    },
    {
      title: 'Pause a follower',
      text: 'A majority is enough to commit. To check this, freeze one follower, as a long garbage-collection pause would.',
      task: (lab) => `Select ${otherServer(lab, lab.leader())} and press Pause.`,
      enter: (lab, mem) => {
        mem.follower = otherServer(lab, lab.leader());
      },
      auto: (lab, mem) => lab.pauseNode(String(mem.follower)),
      done: (lab) => lab.snapshot().nodes.some((n) => n.server && n.status === 'paused'),
    },
    {
      title: 'Write with one server missing',
      text: 'The leader and the follower that is still running make 2 of 3, which is still a majority, so writes still commit. The paused follower’s log stops growing: compare its last index with the others.',
      task: 'Write greeting = again (through any running node).',
      auto: (lab) => lab.kvPut(lab.leader() ?? 'c1', 'greeting', 'again'),
      done: (lab) => kvOnLeader(lab, 'greeting') === 'again',
    },
    {
      title: 'Catch up',
      text: 'Resume the paused follower. The leader kept track of how far each follower has got (the "match" and "next" numbers on the leader\'s panel), so it sends the missing entries, and the follower\'s log fills in until it matches the others.',
      task: (_lab, mem) => `Select ${mem.follower} and press Resume.`,
      auto: async (lab, mem) => {
        lab.resumeNode(String(mem.follower));
        await lab.runUntil(() => allCaughtUp(lab), 10_000);
      },
      done: (lab, mem) => lab.sim.node(String(mem.follower)).status === 'up' && allCaughtUp(lab),
    },
  ],
};
