/**
 * DnsCatalog over the local state store (core/state): what a server agent, or a client agent with a
 * replicated view, gives the resolver for its own datacenter. Other datacenters come from an
 * optional `remote` hook (the agent's RPC forwarding); without it they are "No path to datacenter".
 *
 * Prepared queries are executed here for the local datacenter the way Consul's PreparedQuery.Execute
 * does for DNS: the query's service, its tags (`!tag` excludes), critical instances dropped (and
 * warning ones with OnlyPassing, checks in IgnoreCheckIDs ignored), shuffled, then failover to
 * `Failover.Datacenters` in order through `remote` when nothing local is left. Not covered here:
 * query templates, `Near` sorting by coordinates, and `NearestN` failover.
 */
import type { Random } from '../ports/random.ts';
import { healthServiceNodes } from '../state/catalog-read.ts';
import { preparedQueryByName } from '../state/prepared-queries.ts';
import { lc } from '../state/schema.ts';
import type { StateStore } from '../state/store.ts';
import type {
  DnsCatalog,
  DnsNode,
  DnsPreparedQueryResult,
  DnsReadOptions,
  DnsReverseMatch,
  DnsServiceEntry,
  MaybePromise,
} from './catalog.ts';
import { NoPathToDatacenter } from './catalog.ts';
import { andThen } from './maybe.ts';

/** The prepared query fields execution reads (PreparedQuery.Service is stored untyped). */
interface QueryService {
  Service?: string;
  Tags?: string[];
  OnlyPassing?: boolean;
  IgnoreCheckIDs?: string[];
  Failover?: { Datacenters?: string[] };
}

/** Options for StateDnsCatalog. */
export interface StateDnsCatalogOptions {
  datacenter: string;
  state: StateStore;
  /** Shuffles prepared-query results (Consul shuffles unless `Near` is set). */
  random: Random;
  /** The catalog of another datacenter (RPC to its servers), or undefined when unreachable. */
  remote?: (dc: string) => DnsCatalog | undefined;
}

/** The local state store as a DnsCatalog. */
export class StateDnsCatalog implements DnsCatalog {
  readonly datacenter: string;

  constructor(private readonly o: StateDnsCatalogOptions) {
    this.datacenter = o.datacenter;
  }

  private other(dc: string): DnsCatalog {
    const remote = this.o.remote?.(dc);
    if (!remote) throw new NoPathToDatacenter(dc);
    return remote;
  }

  index(dc: string): number | undefined {
    return dc === this.datacenter ? this.o.state.maxIndex('nodes', 'services', 'checks') : undefined;
  }

  node(name: string, dc: string, opts: DnsReadOptions): MaybePromise<DnsNode | undefined> {
    if (dc !== this.datacenter) return this.other(dc).node(name, dc, opts);
    return this.o.state.t.nodes.get(lc(name));
  }

  serviceInstances(service: string, tag: string | undefined, dc: string, opts: DnsReadOptions): MaybePromise<readonly DnsServiceEntry[]> {
    if (dc !== this.datacenter) return this.other(dc).serviceInstances(service, tag, dc, opts);
    return healthServiceNodes(this.o.state, service, tag === undefined ? {} : { tags: [tag] }).value;
  }

  preparedQuery(
    nameOrId: string,
    dc: string,
    source: string | undefined,
    opts: DnsReadOptions,
  ): MaybePromise<DnsPreparedQueryResult | undefined> {
    if (dc !== this.datacenter) return this.other(dc).preparedQuery(nameOrId, dc, source, opts);
    const s = this.o.state;
    const q = s.t.preparedQueries.get(nameOrId) ?? preparedQueryByName(s, nameOrId);
    if (!q) return undefined;
    const svc = q.Service as QueryService;
    const service = svc.Service ?? '';
    const result = (Nodes: DnsServiceEntry[], Datacenter: string, Failovers: number): DnsPreparedQueryResult => ({
      Service: service,
      Nodes: this.o.random.shuffle(Nodes),
      DNS: { TTL: q.DNS?.TTL ?? '' },
      Datacenter,
      Failovers,
    });
    const local = filterForQuery(healthServiceNodes(s, service).value, svc);
    const failover = svc.Failover?.Datacenters ?? [];
    if (local.length > 0 || failover.length === 0) return result(local, dc, 0);
    const attempt = (i: number): MaybePromise<DnsPreparedQueryResult> => {
      if (i >= failover.length) return result([], dc, failover.length);
      const target = failover[i] as string;
      const remote = this.o.remote?.(target);
      if (!remote) return attempt(i + 1);
      return andThen(remote.serviceInstances(service, undefined, target, opts), (rows) => {
        const nodes = filterForQuery(rows, svc);
        return nodes.length > 0 ? result(nodes, target, i + 1) : attempt(i + 1);
      });
    };
    return attempt(0);
  }

  reverse(ip: string): readonly DnsReverseMatch[] {
    const s = this.o.state;
    const nodes: DnsReverseMatch[] = [];
    for (const node of s.t.nodes.all()) if (node.Address === ip) nodes.push({ kind: 'node', node });
    if (nodes.length > 0) return nodes;
    const seen = new Set<string>();
    const services: DnsReverseMatch[] = [];
    for (const row of s.t.services.all()) {
      if (row.Service.Address !== ip || seen.has(row.Service.Service)) continue;
      seen.add(row.Service.Service);
      services.push({ kind: 'service', service: row.Service.Service, datacenter: this.datacenter });
    }
    return services;
  }

  servers(dc: string, opts: DnsReadOptions): MaybePromise<readonly DnsNode[]> {
    if (dc !== this.datacenter) return this.other(dc).servers(dc, opts);
    // Consul servers register the `consul` service; its nodes are the nameservers.
    const seen = new Set<string>();
    const out: DnsNode[] = [];
    for (const e of healthServiceNodes(this.o.state, 'consul').value) {
      if (seen.has(e.Node.Node)) continue;
      seen.add(e.Node.Node);
      out.push(e.Node);
    }
    return out;
  }
}

/** The query's tag and health rules (Consul's prepared-query filters for DNS execution). */
function filterForQuery(rows: readonly DnsServiceEntry[], svc: QueryService): DnsServiceEntry[] {
  const ignore = new Set(svc.IgnoreCheckIDs ?? []);
  const tags = svc.Tags ?? [];
  return rows.filter((e) => {
    const have = new Set((e.Service.Tags ?? []).map(lc));
    for (const t of tags) {
      const negate = t.startsWith('!');
      if (have.has(lc(negate ? t.slice(1) : t)) === negate) return false;
    }
    for (const c of e.Checks) {
      if (c.CheckID !== undefined && ignore.has(c.CheckID)) continue;
      if (c.Status === 'critical' || (svc.OnlyPassing && c.Status !== 'passing')) return false;
    }
    return true;
  });
}
