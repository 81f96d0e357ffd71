/**
 * A DnsCatalog over plain arrays: the reference implementation of the interface, used by the unit
 * and integration tests, the benchmark and the browser lab. The agent's own implementation reads the
 * state store instead; this one shows the semantics each method must have.
 */
import type {
  DnsCatalog,
  DnsCheck,
  DnsNode,
  DnsNodeService,
  DnsPreparedQueryResult,
  DnsReverseMatch,
  DnsServiceEntry,
} from './catalog.ts';
import { NoPathToDatacenter } from './catalog.ts';

/** A prepared query definition, reduced to what execution needs. */
export interface MemoryPreparedQuery {
  ID: string;
  Name: string;
  Service: { Service: string; Tags?: string[]; OnlyPassing?: boolean; Failover?: { Datacenters: string[] } };
  DNS?: { TTL: string };
}

interface Row {
  node: DnsNode;
  services: DnsNodeService[];
  checks: DnsCheck[];
}

const lc = (s: string): string => s.toLowerCase();

/** An in-memory catalog. Mutators bump `index` like raft writes do. */
export class MemoryDnsCatalog implements DnsCatalog {
  private readonly rows = new Map<string, Row>();
  private readonly queries: MemoryPreparedQuery[] = [];
  private readonly serverNames = new Set<string>();
  private readonly datacenters: Set<string>;
  private modifyIndex = 1;

  constructor(
    readonly datacenter: string,
    otherDatacenters: string[] = [],
  ) {
    this.datacenters = new Set([datacenter, ...otherDatacenters]);
  }

  /** Registers or replaces a node (key: DC and lower-cased name). */
  registerNode(node: DnsNode, opts: { server?: boolean } = {}): void {
    const key = `${node.Datacenter}/${lc(node.Node)}`;
    const row = this.rows.get(key) ?? { node, services: [], checks: [] };
    row.node = node;
    this.rows.set(key, row);
    if (opts.server) this.serverNames.add(key);
    this.modifyIndex++;
  }

  /** Registers a service instance on an existing node. */
  registerService(dc: string, nodeName: string, service: DnsNodeService): void {
    const row = this.row(dc, nodeName);
    row.services = row.services.filter((s) => s.ID !== service.ID).concat(service);
    this.modifyIndex++;
  }

  /** Sets a check (node-level when ServiceID is empty). */
  setCheck(dc: string, nodeName: string, check: DnsCheck & { CheckID: string }): void {
    const row = this.row(dc, nodeName);
    row.checks = row.checks.filter((c) => c.CheckID !== check.CheckID).concat(check);
    this.modifyIndex++;
  }

  /** Adds a prepared query. */
  addPreparedQuery(q: MemoryPreparedQuery): void {
    this.queries.push(q);
    this.modifyIndex++;
  }

  private row(dc: string, nodeName: string): Row {
    const row = this.rows.get(`${dc}/${lc(nodeName)}`);
    if (!row) throw new Error(`node ${nodeName} in ${dc} is not registered`);
    return row;
  }

  private checkDc(dc: string): void {
    if (!this.datacenters.has(dc)) throw new NoPathToDatacenter(dc);
  }

  index(dc: string): number | undefined {
    return this.datacenters.has(dc) ? this.modifyIndex : undefined;
  }

  node(name: string, dc: string): DnsNode | undefined {
    this.checkDc(dc);
    return this.rows.get(`${dc}/${lc(name)}`)?.node;
  }

  serviceInstances(service: string, tag: string | undefined, dc: string): DnsServiceEntry[] {
    this.checkDc(dc);
    const out: DnsServiceEntry[] = [];
    for (const row of this.rows.values()) {
      if (row.node.Datacenter !== dc) continue;
      for (const s of row.services) {
        if (lc(s.Service) !== lc(service)) continue;
        if (tag !== undefined && !(s.Tags ?? []).some((t) => lc(t) === lc(tag))) continue;
        const checks = row.checks.filter((c) => !c.ServiceID || c.ServiceID === s.ID);
        out.push({ Node: row.node, Service: s, Checks: checks });
      }
    }
    return out;
  }

  preparedQuery(nameOrId: string, dc: string): DnsPreparedQueryResult | undefined {
    this.checkDc(dc);
    const q = this.queries.find((x) => x.ID === nameOrId || lc(x.Name) === lc(nameOrId));
    if (!q) return undefined;
    const run = (target: string): DnsServiceEntry[] =>
      this.serviceInstances(q.Service.Service, undefined, target).filter(
        (e) =>
          (q.Service.Tags ?? []).every((t) => (e.Service.Tags ?? []).some((x) => lc(x) === lc(t))) &&
          e.Checks.every((c) => c.Status !== 'critical' && (!q.Service.OnlyPassing || c.Status === 'passing')),
      );
    const candidates = [dc, ...(q.Service.Failover?.Datacenters ?? [])];
    for (let i = 0; i < candidates.length; i++) {
      const target = candidates[i] as string;
      if (!this.datacenters.has(target)) continue;
      const nodes = run(target);
      if (nodes.length > 0 || i === candidates.length - 1) {
        return { Service: q.Service.Service, Nodes: nodes, DNS: { TTL: q.DNS?.TTL ?? '' }, Datacenter: target, Failovers: i };
      }
    }
    return { Service: q.Service.Service, Nodes: [], DNS: { TTL: q.DNS?.TTL ?? '' }, Datacenter: dc, Failovers: 0 };
  }

  reverse(ip: string): DnsReverseMatch[] {
    const local = [...this.rows.values()].filter((r) => r.node.Datacenter === this.datacenter);
    const nodes: DnsReverseMatch[] = local.filter((r) => r.node.Address === ip).map((r) => ({ kind: 'node', node: r.node }));
    if (nodes.length > 0) return nodes;
    const seen = new Set<string>();
    const out: DnsReverseMatch[] = [];
    for (const r of local) {
      for (const s of r.services) {
        if (s.Address !== ip || seen.has(s.Service)) continue;
        seen.add(s.Service);
        out.push({ kind: 'service', service: s.Service, datacenter: this.datacenter });
      }
    }
    return out;
  }

  servers(dc: string): DnsNode[] {
    this.checkDc(dc);
    return [...this.serverNames].map((k) => this.rows.get(k)?.node).filter((n): n is DnsNode => n?.Datacenter === dc);
  }
}
