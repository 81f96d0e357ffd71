import type { NonceSource } from '../gossip/security/aes-gcm.ts';
import type { TimeSource, WallClock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Random } from '../ports/random.ts';
import type { LogStore, SnapshotStore, StableStore } from '../ports/storage.ts';
import type { TraceSink } from '../ports/trace.ts';
import type { PacketTransport, StreamTransport } from '../ports/transport.ts';
import type { CheckProbe } from './checks/check-runner.ts';

/**
 * Everything an agent needs from its runtime: the simulator's NodeEnv satisfies it as is; the
 * Node runtime binds real sockets and opens the data dir first, then hands them over here.
 */
export interface AgentRuntime {
  readonly time: TimeSource;
  readonly wall: WallClock;
  readonly random: Random;
  readonly logger: Logger;
  readonly trace: TraceSink;
  /** The bound datagram port `port` (gossip). */
  packet(port: number): PacketTransport;
  /** The bound stream port `port` (gossip push-pull, server RPC). */
  stream(port: number): StreamTransport;
  logStore(name: string): LogStore;
  stableStore(name: string): StableStore;
  snapshotStore(name: string): SnapshotStore;
  /** Runs active health checks (HTTP, TCP, scripts...); without it only TTL checks run. */
  readonly probe?: CheckProbe;
  /** The data dir's `acl-bootstrap-reset` file (servers; absent without a data dir). */
  readonly aclBootstrapReset?: { read(): string | undefined; remove(): void };
  /** AES-GCM nonces for gossip encryption: a CSPRNG in real runtimes; `random` when absent. */
  readonly nonces?: NonceSource;
  /**
   * Persists a gossip pool's keyring (base64 keys, primary first) after a key operation changed it:
   * the Node runtime writes `serf/local.keyring` / `serf/remote.keyring`. Returns an error text when
   * the write failed (serf then reports the operation as failed on this node).
   */
  saveKeyring?(pool: 'lan' | 'wan', keys: string[]): string | undefined;
}
