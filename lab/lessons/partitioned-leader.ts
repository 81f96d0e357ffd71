import { type Lesson, otherServer } from './lesson.ts';

/** A leader cut off from its majority, the new leader on the other side, and reads that go stale. */
export const partitionedLeader: Lesson = {
  id: 'partitioned-leader',
  title: 'A partitioned leader and stale reads',
  summary: 'What the minority side of a partition can and cannot tell you.',
  spec: { seed: 303, datacenters: [{ name: 'dc1', servers: 3, clients: 0 }] },
  steps: [
    {
      title: 'A healthy cluster with one key',
      text: 'Wait for a leader, then write color = blue, so there is something to read later.',
      task: 'Press Play, then write color = blue through any server.',
      auto: async (lab) => {
        await lab.runUntil(() => lab.leader() !== undefined, 20_000);
        await lab.kvPut(lab.leader() ?? 's1', 'color', 'blue');
      },
      done: (lab) => lab.committedValue('dc1', 'color') === 'blue',
    },
    {
      title: 'Cut the leader off',
      text: 'Now separate the leader from the other two servers. It keeps running, but nothing it sends gets through and nothing reaches it.',
      task: (lab) => `In Network, drag ${lab.leader()} into group B and press Apply.`,
      enter: (lab, mem) => {
        mem.old = lab.leader();
      },
      auto: (lab, mem) => lab.partition([[String(mem.old)]]),
      done: (lab, mem) => !lab.canReach(String(mem.old), otherServer(lab, String(mem.old))),
    },
    {
      title: 'Two leaders?',
      text: (_lab, mem) => `The other two stop getting heartbeats. They hold an election in a higher term, and one of them wins with 2 of 3 votes. For a while ${mem.old} still believes it is the leader, but it is a leader that cannot commit anything: it can no longer reach a majority. Once it notices that no follower answers, it steps down.`,
      task: 'Keep playing until the majority side has a new leader.',
      auto: (lab, mem) => lab.runUntil(() => lab.leader() !== undefined && lab.leader() !== mem.old, 20_000),
      done: (lab, mem) => lab.leader() !== undefined && lab.leader() !== mem.old,
    },
    {
      title: 'Write on the majority side',
      text: (lab) => `Write color = green through ${lab.leader()}. It commits, because the new leader and its follower make a majority.`,
      task: (lab) => `Select ${lab.leader()} and write color = green.`,
      auto: (lab) => lab.kvPut(lab.leader() ?? 's1', 'color', 'green'),
      done: (lab) => lab.committedValue('dc1', 'color') === 'green',
    },
    {
      title: 'A stale read',
      text: (_lab, mem) => `Now read color through ${mem.old} with a stale read. A stale read is answered from the server's own copy without asking anyone, so it returns "blue". That value is out of date, and the lab marks it STALE. Try the consistent and default reads too: they must reach a leader that a quorum confirms, so on the cut-off side they fail instead of returning old data.`,
      task: (_lab, mem) => `Select ${mem.old} and press "Read stale".`,
      auto: (lab, mem) => lab.kvGet(String(mem.old), 'color', 'stale'),
      done: (lab, mem) => lab.reads.some((r) => r.node === mem.old && r.staleComparedToLeader),
    },
    {
      title: 'Heal',
      text: (_lab, mem) => `Heal the network. ${mem.old} hears from the new leader in a higher term. If it was still a leader it steps down, then it catches up on the log, and its copy of color becomes "green" again.`,
      task: 'In Network, press Heal.',
      auto: async (lab, mem) => {
        lab.heal();
        await lab.runUntil(() => lab.agent(String(mem.old))?.server?.raft.state === 'follower', 10_000);
      },
      done: (lab, mem) => {
        const s = lab.agent(String(mem.old))?.server;
        const e = s?.fsm.state.t.kvs.get('color') as { Value?: Uint8Array } | undefined;
        return s?.raft.state === 'follower' && !!e?.Value && new TextDecoder().decode(e.Value) === 'green';
      },
    },
  ],
};
