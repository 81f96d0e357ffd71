/**
 * The Node runtime of an agent: binds the real sockets (serf LAN on UDP and TCP, the server RPC
 * port on TCP) before the agent starts, so that a port conflict fails start-up with a clear error,
 * then hands them to the core as its ports, with the data dir's stores (or memory in -dev).
 */
import type { AgentRuntime } from '../../core/agent/agent-runtime.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { LogStore, SnapshotStore, StableStore } from '../../core/ports/storage.ts';
import { nullTraceSink } from '../../core/ports/trace.ts';
import type { PacketTransport, StreamTransport } from '../../core/ports/transport.ts';
import { MemoryLogStore, MemorySnapshotStore, MemoryStableStore } from '../../core/raft/memory-storage.ts';
import { nodeProbe } from '../checks/node-probe.ts';
import { bindGossipTransports } from '../net/gossip-transports.ts';
import { type TcpHooks, TcpTransport } from '../net/tcp-transport.ts';
import { cryptoNonces, secureSeededPrng } from '../runtime/crypto-random.ts';
import { NodeTimeSource } from '../runtime/node-time.ts';

export interface NodeAgentRuntimeOptions {
  /** Where serf LAN listens (UDP and TCP). */
  serfLan: { host: string; port: number };
  /** Where the server RPC port listens (servers only). */
  rpc?: { host: string; port: number };
  /** Where serf WAN listens (servers with a WAN port). */
  serfWan?: { host: string; port: number };
  /** The data dir, or "" for in-memory state (-dev). */
  dataDir: string;
  /** `raft_logstore.backend` ("" when unset): see chooseBackend in server/storage/backends.ts. */
  logStoreBackend?: '' | 'boltdb' | 'wal';
  logger: Logger;
  /** Persists a gossip keyring after a key operation (see keyring-files.ts). */
  saveKeyring?: (pool: 'lan' | 'wan', keys: string[]) => string | undefined;
  /** TLS on the server RPC port and on RPC dials (rpc-tls.ts); absent: plaintext as before. */
  rpcHooks?: TcpHooks;
}

export interface NodeAgentRuntime extends AgentRuntime {
  /** The ports actually bound (port 0 resolves to a free one). */
  readonly bound: { serfLan: number; rpc: number | undefined; serfWan: number | undefined };
  close(): Promise<void>;
}

interface Stores {
  logStore(name: string): LogStore;
  stableStore(name: string): StableStore;
  snapshotStore(name: string): SnapshotStore;
  close(): Promise<void>;
}

/** A server's data dir stores, loaded only when needed (a client agent never opens LMDB). */
async function durableStores(dataDir: string, configured: '' | 'boltdb' | 'wal', logger: Logger): Promise<Stores> {
  const { BACKENDS, chooseBackend } = await import('../storage/backends.ts');
  return BACKENDS[chooseBackend(dataDir, configured, logger)](dataDir);
}

function memoryStores(): Stores {
  const defer = (fn: () => void) => void setImmediate(fn);
  const logs = new Map<string, MemoryLogStore>();
  const stables = new Map<string, MemoryStableStore>();
  const snaps = new Map<string, MemorySnapshotStore>();
  const get = <T>(m: Map<string, T>, k: string, make: () => T) => m.get(k) ?? (m.set(k, make()), m.get(k) as T);
  return {
    logStore: (n) => get(logs, n, () => new MemoryLogStore(defer)),
    stableStore: (n) => get(stables, n, () => new MemoryStableStore(defer)),
    snapshotStore: (n) => get(snaps, n, () => new MemorySnapshotStore(defer)),
    close: async () => {},
  };
}

/** Binds the agent's sockets and opens its stores. Rejects (binding nothing) on a port conflict. */
export async function bindNodeAgentRuntime(o: NodeAgentRuntimeOptions): Promise<NodeAgentRuntime> {
  const gossip = await bindGossipTransports(o.serfLan.host, o.serfLan.port, o.logger.named('memberlist'));
  let rpc: TcpTransport;
  try {
    rpc = await TcpTransport.listen(o.rpc?.host ?? o.serfLan.host, o.rpc?.port ?? 0, o.logger.named('server.rpc'), o.rpcHooks);
  } catch (e) {
    gossip.packet.close();
    gossip.stream.close();
    throw e;
  }
  let wan: Awaited<ReturnType<typeof bindGossipTransports>> | undefined;
  try {
    wan = o.serfWan ? await bindGossipTransports(o.serfWan.host, o.serfWan.port, o.logger.named('memberlist.wan')) : undefined;
  } catch (e) {
    gossip.packet.close();
    gossip.stream.close();
    rpc.close();
    throw e;
  }
  const serfPort = Number(gossip.address.slice(gossip.address.lastIndexOf(':') + 1));
  const wanPort = wan ? Number(wan.address.slice(wan.address.lastIndexOf(':') + 1)) : undefined;
  const rpcPort = Number(rpc.localAddress.slice(rpc.localAddress.lastIndexOf(':') + 1));
  // Only servers keep Raft state: a client agent neither opens nor loads the LMDB store.
  const stores: Stores = o.dataDir === '' || !o.rpc ? memoryStores() : await durableStores(o.dataDir, o.logStoreBackend ?? '', o.logger.named('server'));
  const packets = new Map<number, PacketTransport>([[o.serfLan.port, gossip.packet], [serfPort, gossip.packet]]);
  const streams = new Map<number, StreamTransport>([[o.serfLan.port, gossip.stream], [serfPort, gossip.stream]]);
  if (o.rpc) {
    streams.set(o.rpc.port, rpc);
    streams.set(rpcPort, rpc);
  }
  if (wan && o.serfWan && wanPort !== undefined) {
    for (const p of [o.serfWan.port, wanPort]) {
      packets.set(p, wan.packet);
      streams.set(p, wan.stream);
    }
  }
  const lookup = <T>(m: Map<number, T>, port: number, what: string): T => {
    const t = m.get(port) ?? (port === 0 ? (rpc as unknown as T) : undefined);
    if (t === undefined) throw new Error(`no ${what} transport bound for port ${port}`);
    return t;
  };
  return {
    time: new NodeTimeSource(),
    wall: { unixMs: () => Date.now() },
    random: secureSeededPrng(),
    logger: o.logger,
    trace: nullTraceSink,
    packet: (port) => lookup(packets, port, 'packet'),
    stream: (port) => lookup(streams, port, 'stream'),
    logStore: (n) => stores.logStore(n),
    stableStore: (n) => stores.stableStore(n),
    snapshotStore: (n) => stores.snapshotStore(n),
    probe: nodeProbe,
    nonces: cryptoNonces,
    saveKeyring: o.saveKeyring,
    bound: { serfLan: serfPort, rpc: o.rpc ? rpcPort : undefined, serfWan: wanPort },
    async close() {
      gossip.packet.close();
      gossip.stream.close();
      wan?.packet.close();
      wan?.stream.close();
      rpc.close();
      await stores.close();
    },
  };
}
