import { parseGoDuration } from '../../../lib/duration.ts';
import type { PreparedQuery, ServiceEntry } from '../../../state/types.ts';

/**
 * Prepared-query rules that do not need the state store (agent/consul/prepared_query_endpoint.go
 * parseQuery, prepared_query/template.go, and the Execute filters).
 */

/** The only template type Consul knows. */
export const TEMPLATE_NAME_PREFIX_MATCH = 'name_prefix_match';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** parseQuery: returns Consul's error text for an invalid definition, or undefined. */
export function validateQuery(q: Record<string, unknown>): string | undefined {
  const t = isObj(q.Template) ? q.Template : undefined;
  if (t && typeof t.Type === 'string' && t.Type !== '') {
    if (t.Type !== TEMPLATE_NAME_PREFIX_MATCH) return `Bad Template.Type '${t.Type}'`;
    if (typeof t.Regexp === 'string' && t.Regexp !== '') {
      try {
        new RegExp(t.Regexp);
      } catch (e) {
        return `Bad Regexp: ${(e as Error).message}`;
      }
    }
  }
  const svc = isObj(q.Service) ? q.Service : {};
  if (typeof svc.Service !== 'string' || svc.Service === '') return 'Must provide a Service name to query';
  const failover = isObj(svc.Failover) ? svc.Failover : {};
  if (typeof failover.NearestN === 'number' && failover.NearestN < 0) return `Bad NearestN '${failover.NearestN}', must be >= 0`;
  const dns = isObj(q.DNS) ? q.DNS : {};
  if (typeof dns.TTL === 'string' && dns.TTL !== '') {
    let ns: number;
    try {
      ns = parseGoDuration(dns.TTL);
    } catch (e) {
      return `Bad DNS TTL '${dns.TTL}': ${(e as Error).message}`;
    }
    if (ns < 0) return `DNS TTL '${dns.TTL}', must be >=0`;
  }
  return undefined;
}

/** Fills the defaults Consul's JSON shows (empty lists as null, zero values present). */
export function normaliseService(svc: Record<string, unknown>): Record<string, unknown> {
  const failover = isObj(svc.Failover) ? svc.Failover : {};
  return {
    Service: svc.Service ?? '',
    SamenessGroup: svc.SamenessGroup ?? '',
    Failover: { NearestN: failover.NearestN ?? 0, Datacenters: failover.Datacenters ?? null, Targets: failover.Targets ?? null },
    OnlyPassing: svc.OnlyPassing ?? false,
    IgnoreCheckIDs: svc.IgnoreCheckIDs ?? null,
    Near: svc.Near ?? '',
    Tags: svc.Tags ?? null,
    NodeMeta: svc.NodeMeta ?? null,
    ServiceMeta: svc.ServiceMeta ?? null,
    Peer: svc.Peer ?? '',
    Connect: { Enabled: isObj(svc.Connect) ? svc.Connect.Enabled === true : false },
  };
}

/**
 * Template rendering (prepared_query/template.go): `${name.full}`, `${name.prefix}`,
 * `${name.suffix}` and `${match(N)}` in every string of the query, for the name being looked up.
 */
export function renderTemplate(q: PreparedQuery, name: string): PreparedQuery {
  const t = q.Template;
  if (!t || t.Type !== TEMPLATE_NAME_PREFIX_MATCH) return q;
  const prefix = q.Name;
  const suffix = name.startsWith(prefix) ? name.slice(prefix.length) : '';
  const matches = t.Regexp ? (new RegExp(t.Regexp).exec(name) ?? []) : [];
  const sub = (s: string) =>
    s.replace(/\$\{\s*(name\.full|name\.prefix|name\.suffix|match\((\d+)\))\s*\}/g, (_m, what: string, n?: string) => {
      if (what === 'name.full') return name;
      if (what === 'name.prefix') return prefix;
      if (what === 'name.suffix') return suffix;
      return matches[Number(n)] ?? '';
    });
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return sub(v);
    if (Array.isArray(v)) {
      const out = v.map(walk);
      return t.RemoveEmptyTags ? out.filter((x) => x !== '') : out;
    }
    if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { ...q, Service: walk(q.Service) as Record<string, unknown> };
}

/** Picks the query for an ID or name: exact ID, exact name, else the longest matching template prefix. */
export function resolveQuery(all: readonly PreparedQuery[], idOrName: string): PreparedQuery | undefined {
  const byId = all.find((q) => q.ID === idOrName);
  if (byId) return byId;
  const lower = idOrName.toLowerCase();
  const byName = all.find((q) => q.Name !== '' && q.Name.toLowerCase() === lower && !q.Template?.Type);
  if (byName) return byName;
  let best: PreparedQuery | undefined;
  for (const q of all) {
    if (q.Template?.Type !== TEMPLATE_NAME_PREFIX_MATCH) continue;
    if (!lower.startsWith(q.Name.toLowerCase())) continue;
    if (!best || q.Name.length > best.Name.length) best = q;
  }
  return best;
}

/**
 * The Execute filters: drop instances with a critical check (or any non-passing one with
 * OnlyPassing), ignoring IgnoreCheckIDs; then tags (`!tag` excludes; case-insensitive), node meta
 * and service meta.
 */
export function filterInstances(rows: readonly ServiceEntry[], svc: Record<string, unknown>): ServiceEntry[] {
  const ignore = new Set(Array.isArray(svc.IgnoreCheckIDs) ? (svc.IgnoreCheckIDs as string[]) : []);
  const onlyPassing = svc.OnlyPassing === true;
  const tags = Array.isArray(svc.Tags) ? (svc.Tags as string[]) : [];
  const nodeMeta = isObj(svc.NodeMeta) ? svc.NodeMeta : {};
  const serviceMeta = isObj(svc.ServiceMeta) ? svc.ServiceMeta : {};
  return rows.filter((e) => {
    for (const c of e.Checks) {
      if (ignore.has(c.CheckID)) continue;
      if (c.Status === 'critical' || (onlyPassing && c.Status === 'warning')) return false;
    }
    const have = new Set((e.Service.Tags ?? []).map((t) => t.toLowerCase()));
    for (const raw of tags) {
      const neg = raw.startsWith('!');
      const tag = (neg ? raw.slice(1) : raw).toLowerCase();
      if (neg === have.has(tag)) return false;
    }
    for (const [k, v] of Object.entries(nodeMeta)) if ((e.Node.Meta ?? {})[k] !== v) return false;
    for (const [k, v] of Object.entries(serviceMeta)) if ((e.Service.Meta ?? {})[k] !== v) return false;
    return true;
  });
}

/** Fisher-Yates with the server's seeded randomness (Consul shuffles before any `near` sort). */
export function shuffle<T>(rows: T[], random: () => number): T[] {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = rows[i] as T;
    rows[i] = rows[j] as T;
    rows[j] = t;
  }
  return rows;
}

/**
 * queryFailover's target order: the NearestN nearest other datacenters (known list is nearest
 * first), then the listed Datacenters that are known and not already chosen; unknown ones are
 * skipped, as Consul does (it only logs them).
 */
export function failoverTargets(known: readonly string[], local: string, failover: unknown): string[] {
  const f = isObj(failover) ? failover : {};
  const nearestN = typeof f.NearestN === 'number' && f.NearestN > 0 ? f.NearestN : 0;
  const others = known.filter((dc) => dc !== local);
  const out = others.slice(0, nearestN);
  const listed = Array.isArray(f.Datacenters) ? (f.Datacenters as unknown[]).filter((d): d is string => typeof d === 'string') : [];
  for (const dc of listed) if (others.includes(dc) && !out.includes(dc)) out.push(dc);
  return out;
}
