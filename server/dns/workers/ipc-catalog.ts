/**
 * The catalog as a DNS worker sees it: reads go to the host over IPC (like a client agent's reads go
 * to its servers over RPC), and `index(dc)` is the host's index as last pushed, so the worker's
 * resolver caches answers exactly as long as the host's would stay valid (plus the push delay).
 */
import type {
  DnsCatalog,
  DnsNode,
  DnsPreparedQueryResult,
  DnsReadOptions,
  DnsReverseMatch,
  DnsServiceEntry,
} from '../../../core/dns/catalog.ts';
import { NoPathToDatacenter } from '../../../core/dns/catalog.ts';
import type { CatalogMethod, WorkerMessage } from './protocol.ts';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** DnsCatalog over the IPC channel to the host. */
export class IpcDnsCatalog implements DnsCatalog {
  private readonly indexes = new Map<string, number>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    readonly datacenter: string,
    private readonly send: (m: WorkerMessage) => void,
  ) {}

  /** The host's index for `dc` changed (undefined: that datacenter isn't cacheable). */
  setIndex(dc: string, index: number): void {
    this.indexes.set(dc, index);
  }

  /** A reply from the host. */
  settle(id: number, value: unknown, error?: { message: string; noPathTo?: string }): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (!error) p.resolve(value);
    else p.reject(error.noPathTo !== undefined ? new NoPathToDatacenter(error.noPathTo) : new Error(error.message));
  }

  /** Fails every read in flight (the host went away). */
  failAll(message: string): void {
    for (const [id] of this.pending) this.settle(id, undefined, { message });
  }

  index(dc: string): number | undefined {
    return this.indexes.get(dc);
  }

  private read<T>(method: CatalogMethod, args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ t: 'read', id, method, args });
    });
  }

  node(name: string, dc: string, opts: DnsReadOptions): Promise<DnsNode | undefined> {
    return this.read('node', [name, dc, opts]);
  }

  serviceInstances(service: string, tag: string | undefined, dc: string, opts: DnsReadOptions): Promise<readonly DnsServiceEntry[]> {
    return this.read('serviceInstances', [service, tag, dc, opts]);
  }

  preparedQuery(nameOrId: string, dc: string, source: string | undefined, opts: DnsReadOptions): Promise<DnsPreparedQueryResult | undefined> {
    return this.read('preparedQuery', [nameOrId, dc, source, opts]);
  }

  reverse(ip: string, opts: DnsReadOptions): Promise<readonly DnsReverseMatch[]> {
    return this.read('reverse', [ip, opts]);
  }

  servers(dc: string, opts: DnsReadOptions): Promise<readonly DnsNode[]> {
    return this.read('servers', [dc, opts]);
  }
}
