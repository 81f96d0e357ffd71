/**
 * The host's side of a DNS worker's catalog reads: runs each read on the agent's own catalog and
 * applies the agent's DNS ACL hook to the rows before they leave the process, so a worker (whose
 * resolver allows everything) returns exactly what the host's resolver would.
 */
import type { DnsCanRead, DnsCatalog, DnsNode, DnsPreparedQueryResult, DnsReadOptions, DnsReverseMatch, DnsServiceEntry } from '../../../core/dns/catalog.ts';
import { NoPathToDatacenter } from '../../../core/dns/catalog.ts';
import type { CatalogMethod, HostMessage } from './protocol.ts';

const readable = (canRead: DnsCanRead, e: DnsServiceEntry): boolean => canRead('service', e.Service.Service) && canRead('node', e.Node.Node);

/** Runs one read for a worker, ACL-filtered. */
async function runRead(catalog: DnsCatalog, canRead: DnsCanRead, method: CatalogMethod, args: unknown[]): Promise<unknown> {
  switch (method) {
    case 'node': {
      const [name, dc, opts] = args as [string, string, DnsReadOptions];
      const node = await catalog.node(name, dc, opts);
      return node && canRead('node', node.Node) ? node : undefined;
    }
    case 'serviceInstances': {
      const [service, tag, dc, opts] = args as [string, string | undefined, string, DnsReadOptions];
      const rows = await catalog.serviceInstances(service, tag, dc, opts);
      return rows.filter((e) => readable(canRead, e));
    }
    case 'preparedQuery': {
      const [nameOrId, dc, source, opts] = args as [string, string, string | undefined, DnsReadOptions];
      const r: DnsPreparedQueryResult | undefined = await catalog.preparedQuery(nameOrId, dc, source, opts);
      return r && { ...r, Nodes: r.Nodes.filter((e) => readable(canRead, e)) };
    }
    case 'reverse': {
      const [ip, opts] = args as [string, DnsReadOptions];
      const matches: readonly DnsReverseMatch[] = await catalog.reverse(ip, opts);
      return matches.filter((m) => canRead(m.kind, m.kind === 'node' ? m.node.Node : m.service));
    }
    case 'servers': {
      const [dc, opts] = args as [string, DnsReadOptions];
      const servers: readonly DnsNode[] = await catalog.servers(dc, opts);
      return servers.filter((s) => canRead('node', s.Node));
    }
  }
}

/** Answers a worker's read with a `reply` or `fail` message (never throws). */
export async function answerRead(
  catalog: DnsCatalog,
  canRead: DnsCanRead,
  m: { id: number; method: CatalogMethod; args: unknown[] },
  send: (reply: HostMessage) => void,
): Promise<void> {
  try {
    send({ t: 'reply', id: m.id, value: await runRead(catalog, canRead, m.method, m.args) });
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    send(e instanceof NoPathToDatacenter ? { t: 'fail', id: m.id, error, noPathTo: e.datacenter } : { t: 'fail', id: m.id, error });
  }
}
