import type { Serf } from '../gossip/serf/serf.ts';
import type { ConsulServer } from './server/consul-server.ts';

/** One section of `consul info` / `/v1/agent/self` Stats: string keys to string values. */
export type StatsSection = Record<string, string>;

/** Serf's Stats() for `serf_lan` / `serf_wan` (serf/serf.go), from our serf's state. */
export function serfStats(serf: Serf, encrypted: boolean): StatsSection {
  const members = serf.membersList();
  const count = (s: string) => String(members.filter((m) => m.status === s).length);
  return {
    members: String(members.length),
    failed: count('failed'),
    left: count('left'),
    health_score: '0',
    member_time: String(serf.clock.time()),
    event_time: String(serf.eventClock.time()),
    query_time: String(serf.queryClock.time()),
    intent_queue: '0',
    event_queue: '0',
    query_queue: '0',
    encrypted: String(encrypted),
    coordinate_resets: '0',
  };
}

/** Raft's Stats() for the `raft` section (hashicorp/raft api.go), from our Raft's status. */
export function raftStats(server: ConsulServer): StatsSection {
  const st = server.raft.status();
  const config = st.configuration.servers;
  const state = { leader: 'Leader', follower: 'Follower', candidate: 'Candidate', precandidate: 'Candidate' } as Record<string, string>;
  return {
    state: state[st.state] ?? 'Follower',
    term: String(st.term),
    last_log_index: String(st.lastIndex),
    commit_index: String(st.commit),
    applied_index: String(st.applied),
    fsm_pending: String(Math.max(0, st.commit - st.applied)),
    last_snapshot_index: String(st.snapshotIndex),
    last_contact: st.state === 'leader' ? '0' : 'never',
    num_peers: String(Math.max(0, config.filter((s) => s.suffrage === 'voter').length - 1)),
    latest_configuration: `[${config.map((s) => `{Suffrage:${s.suffrage === 'voter' ? 'Voter' : 'Nonvoter'} ID:${s.id} Address:${s.address}}`).join(' ')}]`,
    protocol_version: '3',
    protocol_version_min: '0',
    protocol_version_max: '3',
    snapshot_version_min: '0',
    snapshot_version_max: '1',
  };
}
