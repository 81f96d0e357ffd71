import type { Lesson } from './lesson.ts';

/** Raft leader election: timeouts, votes, terms, and what happens when the leader dies. */
export const leaderElection: Lesson = {
  id: 'leader-election',
  title: 'Leader election',
  summary: 'How three servers agree on one leader, and elect a new one when it dies.',
  spec: { seed: 101, datacenters: [{ name: 'dc1', servers: 3, clients: 0 }] },
  steps: [
    {
      title: 'Three servers, no leader',
      text: 'Three Consul servers have just started. Each is a Raft follower waiting to hear from a leader. Each follower has an election timer set to a random time (1 to 2 seconds here). Because the times differ, one server usually times out first.',
      task: 'Press Play and watch for orange "vote" messages.',
      auto: (lab) => lab.runUntil(() => lab.leader() !== undefined, 20_000),
      done: (lab) => lab.leader() !== undefined,
    },
    {
      title: 'A leader is elected',
      text: (lab) => {
        const l = lab.leader();
        const term = l ? lab.agent(l)?.server?.raft.term : undefined;
        return `${l} timed out first. It became a candidate, moved to term ${term} and asked the others for their votes. A majority (2 of 3, counting its own vote) said yes, so ${l} is now the leader. It sends pink heartbeats about ten times a second, so the followers' timers never run out.`;
      },
      enter: (lab, mem) => {
        mem.leader = lab.leader();
      },
    },
    {
      title: 'Kill the leader',
      text: 'What happens when the leader crashes? The followers stop getting heartbeats, but they cannot tell a dead leader from a slow one, so all they can do is wait for their timers.',
      task: (_lab, mem) => `Select ${mem.leader} in the topology and press "Kill (lose unsynced)".`,
      auto: (lab, mem) => lab.kill(String(mem.leader), true),
      done: (lab, mem) => lab.sim.node(String(mem.leader)).status !== 'up',
    },
    {
      title: 'A new election',
      text: 'The first follower whose timer runs out becomes a candidate in the next term. The other survivor votes for it, which makes a majority of 2 out of 3. One vote is missing, but the cluster keeps working.',
      task: 'Keep playing until a new leader appears.',
      auto: (lab, mem) => lab.runUntil(() => lab.leader() !== undefined && lab.leader() !== mem.leader, 20_000),
      done: (lab, mem) => lab.leader() !== undefined && lab.leader() !== mem.leader,
    },
    {
      title: 'The old leader comes back',
      text: (lab, mem) => `Restart ${mem.leader}. It starts as a follower in its old term. The first heartbeat it gets from ${lab.leader()} carries a higher term, so it moves to that term and follows the new leader. Whatever it had that was never committed gets replaced.`,
      task: (_lab, mem) => `Select ${mem.leader} and press Restart.`,
      auto: async (lab, mem) => {
        lab.restart(String(mem.leader));
        await lab.advance(3000);
      },
      done: (lab, mem) => {
        const old = String(mem.leader);
        const s = lab.agent(old)?.server;
        const l = lab.leader();
        return !!s && !!l && l !== old && s.raft.state === 'follower' && s.raft.term === lab.agent(l)?.server?.raft.term && lab.snapshot().nodes.find((n) => n.id === old)?.leader === l;
      },
    },
  ],
};
