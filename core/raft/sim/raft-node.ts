/**
 * A simulated Consul server's Raft part: a RaftServer on the node's simulated disk and network,
 * with the KV register FSM. Started fresh it bootstraps the initial cluster; restarted it recovers
 * from whatever its disk kept.
 */
import type { NodeEnv } from '../../sim/sim-node.ts';
import { bootstrapStores, RaftServer, type RaftServerOptions } from '../raft-server.ts';
import type { RaftTiming } from '../timing.ts';
import { PacketRaftTransport, type RaftTransport, StreamRaftTransport } from '../transport.ts';
import type { Configuration } from '../types.ts';
import { KvFSM } from './kv-fsm.ts';

/** Consul's server RPC port, where Raft traffic goes. */
export const RAFT_PORT = 8300;

export interface RaftNodeOptions {
  initial: Configuration;
  timing: RaftTiming;
  /** Datagrams expose Raft to loss, duplication and reordering; streams to connection breaks. */
  transport: 'packet' | 'stream';
  server?: Partial<RaftServerOptions>;
  onApply?: (node: string, index: number, command: string) => void;
}

export class RaftNode {
  readonly server: RaftServer;
  readonly fsm = new KvFSM();

  constructor(
    readonly env: NodeEnv,
    o: RaftNodeOptions,
  ) {
    const logStore = env.logStore('raft');
    const stableStore = env.stableStore('raft');
    const snapshotStore = env.snapshotStore('raft');
    const fresh = logStore.lastIndex() === 0 && !snapshotStore.latest() && !stableStore.get('raft.hardstate');
    if (fresh && o.initial.servers.some((s) => s.id === env.id)) bootstrapStores(logStore, stableStore, snapshotStore, o.initial);
    const onApply = o.onApply;
    if (onApply) this.fsm.onApply = (index, command) => onApply(env.id, index, command);
    const transport: RaftTransport =
      o.transport === 'packet'
        ? new PacketRaftTransport(env.id, env.packet(RAFT_PORT))
        : new StreamRaftTransport(env.id, env.stream(RAFT_PORT), o.timing.electionTimeoutMs);
    this.server = new RaftServer({
      id: env.id,
      address: `${env.host}:${RAFT_PORT}`,
      time: env.time,
      random: env.random,
      logStore,
      stableStore,
      snapshotStore,
      transport,
      fsm: this.fsm,
      timing: o.timing,
      logger: env.logger,
      trace: env.trace,
      ...o.server,
    });
    this.server.start();
  }

  stop(): void {
    this.server.stop();
  }
}
