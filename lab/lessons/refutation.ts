import type { Lesson } from './lesson.ts';

/** A slow node accused of being dead, and how it refutes the accusation. */
export const refutation: Lesson = {
  id: 'refutation',
  title: 'Refutation',
  summary: 'A node that was only slow proves it is alive by raising its incarnation.',
  spec: { seed: 505, datacenters: [{ name: 'dc1', servers: 3, clients: 3 }] },
  steps: [
    {
      title: 'A settled cluster',
      text: 'Let the cluster form: it needs a leader, and every node must be alive in everyone\'s view.',
      task: 'Press Play.',
      auto: (lab) => lab.runUntil(() => lab.leader() !== undefined && lab.now > 4000, 30_000),
      done: (lab) => lab.leader() !== undefined && lab.now > 4000,
    },
    {
      title: 'Freeze c1',
      text: 'Pause c1, as a long garbage-collection pause or an overloaded machine would. It is not dead, but it stops answering pings.',
      task: 'Select c1 and press Pause.',
      auto: (lab) => lab.pauseNode('c1'),
      done: (lab) => lab.sim.node('c1').status === 'paused',
    },
    {
      title: 'c1 is suspected',
      text: 'A probe of c1 goes unanswered and so do the indirect probes, so c1 becomes suspect. The suspicion spreads through gossip.',
      auto: (lab) => lab.runUntil(() => lab.snapshot().nodes.find((n) => n.id === 'c1')?.gossip !== 'alive', 20_000),
      done: (lab) => lab.snapshot().nodes.find((n) => n.id === 'c1')?.gossip !== 'alive',
    },
    {
      title: 'Wake up and refute',
      text: 'Resume c1. The gossip it receives includes "c1 is suspect". Only c1 can deny this: it raises its own incarnation number and broadcasts "c1 is alive" with the new number. Every member prefers the higher incarnation, so the suspicion (or even a death notice) is overruled. The timeline shows "refutes suspicion".',
      task: 'Select c1 and press Resume.',
      auto: async (lab) => {
        lab.resumeNode('c1');
        await lab.runUntil(() => lab.timeline.recent(300).some((e) => e.node === 'c1' && e.text.startsWith('refutes')), 20_000);
      },
      done: (lab) => lab.sim.node('c1').status === 'up' && lab.timeline.recent(300).some((e) => e.node === 'c1' && e.text.startsWith('refutes')),
    },
    {
      title: 'Alive again everywhere',
      text: 'Within a few gossip rounds every member sees c1 alive at its new incarnation. Open any node\'s membership view: hover over c1 to see its incarnation.',
      auto: (lab) => lab.runUntil(() => lab.snapshot().nodes.find((n) => n.id === 'c1')?.gossip === 'alive', 30_000),
      done: (lab) => lab.snapshot().nodes.find((n) => n.id === 'c1')?.gossip === 'alive',
    },
  ],
};
