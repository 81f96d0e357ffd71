/** Search and status filter of a service's instances (Consul UI: Name, Node, Tags, ID, Address, Port, metadata). */
import { compareNames } from './compare.ts';
import { type Status, statusOfChecks, statusRank } from './health.ts';
import { matchesText, metaStrings } from './text-search.ts';
import type { ServiceEntry } from './types.ts';

/** The address:port an instance is reached at (service address, else the node's). */
export function instanceAddress(entry: ServiceEntry): string {
  const host = entry.Service.Address !== '' ? entry.Service.Address : entry.Node.Address;
  if (entry.Service.SocketPath) return entry.Service.SocketPath;
  const port = entry.Service.Port ?? 0;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return port > 0 ? `${bracketed}:${port}` : host;
}

/** An instance's status from its node and service checks. */
export function instanceStatus(entry: ServiceEntry): Status {
  return statusOfChecks(entry.Checks);
}

/** Filters instances by text and status, worst first then by node and ID. */
export function selectInstances(entries: readonly ServiceEntry[], text: string, status: Status[]): ServiceEntry[] {
  return entries
    .filter((e) =>
      matchesText(text, [
        e.Service.Service,
        e.Service.ID,
        e.Node.Node,
        instanceAddress(e),
        ...(e.Service.Tags ?? []),
        ...metaStrings(e.Service.Meta),
        ...metaStrings(e.Node.Meta),
      ]),
    )
    .filter((e) => status.length === 0 || status.includes(instanceStatus(e)))
    .sort(
      (a, b) =>
        statusRank(instanceStatus(a)) - statusRank(instanceStatus(b)) ||
        compareNames(a.Node.Node, b.Node.Node) ||
        compareNames(a.Service.ID, b.Service.ID),
    );
}
