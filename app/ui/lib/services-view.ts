/**
 * The services list's search, filters and sort (Consul UI query params `filter`, `searchproperty`,
 * `status`, `source`, `kind`, `tag`, `sort`), as pure functions of the list and the URL state.
 */
import { compareNames } from './compare.ts';
import { type Status, serviceStatus, statusRank } from './health.ts';
import { matchesText } from './text-search.ts';
import type { ServiceListingSummary } from './types.ts';

/** What the search box searches. */
export type ServiceSearchProperty = 'Name' | 'Tags';

/** Sort orders offered, in Consul's `sort` param spelling. */
export const SERVICE_SORTS = ['Name:asc', 'Name:desc', 'Status:asc', 'Status:desc'] as const;
export type ServiceSort = (typeof SERVICE_SORTS)[number];

/** The list view's state; empty sets mean "no filter". */
export interface ServiceQuery {
  text: string;
  searchProperties: ServiceSearchProperty[];
  status: Status[];
  source: string[];
  kind: string[];
  tags: string[];
  sort: ServiceSort;
}

/** The source of a service: its external sources, or `consul` when registered natively. */
export function serviceSources(service: ServiceListingSummary): string[] {
  const external = service.ExternalSources ?? [];
  return external.length > 0 ? external : ['consul'];
}

/** Kind label: `service` for plain services, else the gateway/proxy kind. */
export function serviceKind(service: ServiceListingSummary): string {
  return service.Kind === undefined || service.Kind === '' ? 'service' : service.Kind;
}

/** The distinct values present in the list, to offer as filter options (sorted). */
export function serviceFacets(services: readonly ServiceListingSummary[]): { sources: string[]; kinds: string[]; tags: string[] } {
  const sources = new Set<string>();
  const kinds = new Set<string>();
  const tags = new Set<string>();
  for (const s of services) {
    for (const x of serviceSources(s)) sources.add(x);
    kinds.add(serviceKind(s));
    for (const t of s.Tags ?? []) tags.add(t);
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => compareNames(a, b));
  return { sources: sorted(sources), kinds: sorted(kinds), tags: sorted(tags) };
}

function matchesService(s: ServiceListingSummary, q: ServiceQuery): boolean {
  const props = q.searchProperties.length > 0 ? q.searchProperties : ['Name', 'Tags'];
  const haystacks = [...(props.includes('Name') ? [s.Name] : []), ...(props.includes('Tags') ? (s.Tags ?? []) : [])];
  if (!matchesText(q.text, haystacks)) return false;
  if (q.status.length > 0 && !q.status.includes(serviceStatus(s))) return false;
  if (q.source.length > 0 && !serviceSources(s).some((x) => q.source.includes(x))) return false;
  if (q.kind.length > 0 && !q.kind.includes(serviceKind(s))) return false;
  if (q.tags.length > 0 && !q.tags.every((t) => (s.Tags ?? []).includes(t))) return false;
  return true;
}

function compareServices(sort: ServiceSort): (a: ServiceListingSummary, b: ServiceListingSummary) => number {
  const byName = (a: ServiceListingSummary, b: ServiceListingSummary) => compareNames(a.Name, b.Name);
  switch (sort) {
    case 'Name:desc':
      return (a, b) => byName(b, a);
    case 'Status:asc':
      return (a, b) => statusRank(serviceStatus(a)) - statusRank(serviceStatus(b)) || byName(a, b);
    case 'Status:desc':
      return (a, b) => statusRank(serviceStatus(b)) - statusRank(serviceStatus(a)) || byName(a, b);
    default:
      return byName;
  }
}

/** Filters and sorts the services list (does not mutate the input). */
export function selectServices(services: readonly ServiceListingSummary[], q: ServiceQuery): ServiceListingSummary[] {
  return services.filter((s) => matchesService(s, q)).sort(compareServices(q.sort));
}
