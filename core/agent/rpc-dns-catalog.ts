import { type DnsCatalog, type DnsNode, type DnsPreparedQueryResult, type DnsReadOptions, type DnsReverseMatch, type DnsServiceEntry, NoPathToDatacenter } from '../dns/catalog.ts';
import type { Node, NodeService, ServiceEntry } from '../state/types.ts';
import { ERR_NO_DC_PATH, type QueryOptions, type QueryReply } from './server/rpc-types.ts';

type Rpc = (method: string, args: Record<string, unknown>) => Promise<unknown>;

/**
 * The DNS catalog of a client agent (or of another datacenter): every lookup is a read RPC to the
 * servers, stale when `allow_stale` is on, as Consul's DNS does. No local caching: `index` is
 * undefined.
 */
export class RpcDnsCatalog implements DnsCatalog {
  constructor(
    readonly datacenter: string,
    private readonly rpc: Rpc,
  ) {}

  index(): number | undefined {
    return undefined;
  }

  private async read<T>(method: string, args: Record<string, unknown>, dc: string, opts: DnsReadOptions): Promise<T> {
    const query: QueryOptions = { Mode: opts.allowStale ? 'stale' : 'default', MaxStaleMs: opts.allowStale ? opts.maxStaleMs : undefined };
    try {
      const reply = (await this.rpc(method, { ...args, Datacenter: dc, Query: { ...query, Datacenter: dc } })) as QueryReply<T>;
      return reply.Value;
    } catch (e) {
      if (e instanceof Error && e.message === ERR_NO_DC_PATH) throw new NoPathToDatacenter(dc);
      throw e;
    }
  }

  async node(name: string, dc: string, opts: DnsReadOptions): Promise<DnsNode | undefined> {
    const r = await this.read<{ Node: Node; Services: Record<string, NodeService> } | null>('Catalog.NodeServices', { Node: name }, dc, opts);
    return r?.Node;
  }

  serviceInstances(service: string, tag: string | undefined, dc: string, opts: DnsReadOptions): Promise<readonly DnsServiceEntry[]> {
    return this.read<ServiceEntry[]>('Health.ServiceNodes', { ServiceName: service, ...(tag ? { Tags: [tag] } : {}) }, dc, opts);
  }

  async preparedQuery(nameOrId: string, dc: string, source: string | undefined, opts: DnsReadOptions): Promise<DnsPreparedQueryResult | undefined> {
    try {
      return await this.read<DnsPreparedQueryResult>('PreparedQuery.Execute', { QueryIDOrName: nameOrId, Source: source ? { Ip: source } : undefined }, dc, opts);
    } catch (e) {
      if (e instanceof Error && /not found|Query not found/i.test(e.message)) return undefined;
      throw e;
    }
  }

  async reverse(ip: string, opts: DnsReadOptions): Promise<readonly DnsReverseMatch[]> {
    const nodes = await this.read<Node[]>('Catalog.ListNodes', {}, this.datacenter, opts);
    return nodes.filter((n) => n.Address === ip).map((n): DnsReverseMatch => ({ kind: 'node', node: n }));
  }

  async servers(dc: string, opts: DnsReadOptions): Promise<readonly DnsNode[]> {
    const entries = await this.read<ServiceEntry[]>('Health.ServiceNodes', { ServiceName: 'consul' }, dc, opts);
    return entries.map((e) => e.Node);
  }
}
