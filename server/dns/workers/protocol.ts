/**
 * Messages between the agent (the host) and its DNS worker processes. A worker shares the host's
 * UDP sockets (handles passed over the IPC channel), answers from its own answer cache, and reads
 * the catalog through the host on a miss, so the host stays the only process with the state store.
 */
import type { DnsConfig } from '../../../core/dns/config.ts';
import type { DnsStats } from '../../../core/dns/resolver.ts';

/** The catalog reads a worker can ask the host for (the DnsCatalog methods). */
export type CatalogMethod = 'node' | 'serviceInstances' | 'preparedQuery' | 'reverse' | 'servers';

/** Host → worker. A `socket` message carries a dgram.Socket as its handle. */
export type HostMessage =
  | { t: 'init'; config: Partial<DnsConfig>; datacenter: string; indexes: Array<[string, number]> }
  | { t: 'socket' }
  | { t: 'index'; dc: string; index: number }
  | { t: 'reply'; id: number; value: unknown }
  | { t: 'fail'; id: number; error: string; noPathTo?: string }
  | { t: 'invalidate' }
  | { t: 'config'; config: Partial<DnsConfig> }
  | { t: 'stats' };

/** Worker → host. */
export type WorkerMessage =
  | { t: 'ready' }
  | { t: 'read'; id: number; method: CatalogMethod; args: unknown[] }
  | { t: 'stats'; stats: DnsStats };
