import type { HealthCheck } from '../../core/state/types.ts';
import type { LabRunner } from '../sim-runner/index.ts';
import type { Lesson } from './lesson.ts';

function serfHealth(lab: LabRunner, node: string): string | undefined {
  const l = lab.leader();
  const checks = l ? [...(lab.agent(l)?.server?.fsm.state.t.checks.all() ?? [])] : [];
  return (checks as HealthCheck[]).find((c) => c.Node === node && c.CheckID === 'serfHealth')?.Status;
}

function gossipOf(lab: LabRunner, node: string) {
  return lab.snapshot().nodes.find((n) => n.id === node)?.gossip;
}

/** SWIM failure detection: probes, indirect probes, suspicion, death, and the catalog's reaction. */
export const failureDetection: Lesson = {
  id: 'failure-detection',
  title: 'Failure detection and suspicion',
  summary: 'How gossip notices a dead node without any central monitor.',
  spec: { seed: 404, datacenters: [{ name: 'dc1', servers: 3, clients: 4 }] },
  steps: [
    {
      title: 'Everyone probes someone',
      text: 'Every agent, client or server, probes one random member each second with a green ping and expects an ack back. There is no central monitor: with 7 nodes, each one is checked by someone about once a second.',
      task: 'Press Play and let the cluster settle (a leader, every node alive).',
      auto: (lab) => lab.runUntil(() => lab.leader() !== undefined && serfHealth(lab, 'c4') === 'passing', 30_000),
      done: (lab) => lab.leader() !== undefined && serfHealth(lab, 'c4') === 'passing',
    },
    {
      title: 'Kill a client',
      text: 'Kill c2. It will not say goodbye: as far as gossip knows, it simply stops answering.',
      task: 'Select c2 and press "Kill (keep disk)".',
      auto: (lab) => lab.kill('c2', false),
      done: (lab) => lab.sim.node('c2').status !== 'up',
    },
    {
      title: 'Suspect',
      text: 'The next node that probes c2 gets no ack. Before it concludes anything, it asks a few other nodes to ping c2 for it (indirect probes), in case only its own path is broken. Nobody gets an answer, so it marks c2 "suspect" (amber ring) and tells everyone with a red "suspect" message.',
      task: 'Keep playing.',
      auto: (lab) => lab.runUntil(() => gossipOf(lab, 'c2') !== 'alive', 20_000),
      done: (lab) => gossipOf(lab, 'c2') === 'suspect' || gossipOf(lab, 'c2') === 'dead',
    },
    {
      title: 'Dead',
      text: 'A suspect node gets a suspicion timeout to prove it is alive, and the timeout gets shorter as more members independently confirm the suspicion (Lifeguard). c2 never answers, so it is declared dead (red ring), and that news spreads to everyone.',
      auto: (lab) => lab.runUntil(() => gossipOf(lab, 'c2') === 'dead', 30_000),
      done: (lab) => gossipOf(lab, 'c2') === 'dead',
    },
    {
      title: 'The catalog follows',
      text: 'The Raft leader watches gossip events. When it learns that c2 failed, it writes c2\'s "Serf Health Status" check as critical into the replicated catalog. From then on, DNS and health queries stop returning services on c2.',
      auto: (lab) => lab.runUntil(() => serfHealth(lab, 'c2') === 'critical', 30_000),
      done: (lab) => serfHealth(lab, 'c2') === 'critical',
    },
    {
      title: 'Back to life',
      text: 'Restart c2. It rejoins with a higher incarnation number, which makes the news "c2 is alive" newer than "c2 is dead". The leader sets its health check back to passing.',
      task: 'Select c2 and press Restart.',
      auto: async (lab) => {
        lab.restart('c2');
        await lab.runUntil(() => serfHealth(lab, 'c2') === 'passing', 30_000);
      },
      done: (lab) => lab.sim.node('c2').status === 'up' && serfHealth(lab, 'c2') === 'passing' && gossipOf(lab, 'c2') === 'alive',
    },
  ],
};
