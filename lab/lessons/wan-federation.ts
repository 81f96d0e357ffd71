import type { LabRunner } from '../sim-runner/index.ts';
import type { Lesson } from './lesson.ts';

function wanSize(lab: LabRunner): number {
  return lab.agent('dc1-s1')?.wanMembers().filter((m) => m.status === 'alive').length ?? 0;
}

/** Two datacenters: separate Raft groups joined by a WAN gossip pool of servers, requests forwarded across. */
export const wanFederation: Lesson = {
  id: 'wan-federation',
  title: 'WAN federation',
  summary: 'Two datacenters, each with its own leader, linked by the servers\' WAN gossip.',
  spec: { seed: 606, datacenters: [{ name: 'dc1', servers: 3, clients: 1 }, { name: 'dc2', servers: 3, clients: 1 }] },
  steps: [
    {
      title: 'Two independent Raft groups',
      text: 'Each datacenter elects its own leader. The two Raft groups share no log and hold no votes together. Consul does not replicate data between datacenters.',
      task: 'Press Play and wait for both leaders.',
      auto: (lab) => lab.runUntil(() => lab.leader('dc1') !== undefined && lab.leader('dc2') !== undefined, 30_000),
      done: (lab) => lab.leader('dc1') !== undefined && lab.leader('dc2') !== undefined,
    },
    {
      title: 'The WAN pool',
      text: 'Only servers join the WAN gossip pool, under names such as dc1-s1.dc1. WAN gossip uses longer timeouts, because links between datacenters are slower (60 ms each way here). Select a server and look at its WAN members.',
      auto: (lab) => lab.runUntil(() => wanSize(lab) === 6, 30_000),
      done: (lab) => wanSize(lab) === 6,
    },
    {
      title: 'A request for another datacenter',
      text: 'A request with ?dc=dc2 sent to a dc1 node is forwarded: from the client to a dc1 server, then across the WAN to a dc2 server, which hands it to dc2\'s leader. The answer comes back the same way.',
      task: 'Press Auto to write region = two into dc2 through dc1-c1.',
      auto: (lab) => lab.http('dc1-c1', 'PUT', '/v1/kv/region?dc=dc2', 'two'),
      done: (lab) => lab.committedValue('dc2', 'region') === 'two',
    },
    {
      title: 'Not replicated',
      text: 'dc1 has no key "region": the write exists only in dc2\'s Raft log. Compare the leaders\' logs of the two datacenters.',
      done: (lab) => lab.committedValue('dc1', 'region') === null,
    },
  ],
};
