'use client';
/** `/ui/:dc/services`: every service with its health counts, live through a blocking query. */
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { Suspense, useMemo } from 'react';
import { Badge, TagList } from '../../components/badges.tsx';
import { FilterBar, MultiSelect, SearchInput, SortSelect, STATUS_OPTIONS } from '../../components/filter-bar.tsx';
import { HealthSummary } from '../../components/health-summary.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProgressiveList } from '../../components/progressive-list.tsx';
import { AclEmptyHint } from '../../components/forbidden.tsx';
import { Empty, Loading, QueryView } from '../../components/states.tsx';
import { StatusIcon } from '../../components/status-icon.tsx';
import { fetchServices } from '../../lib/endpoints.ts';
import { type Status, serviceCounts, serviceStatus } from '../../lib/health.ts';
import {
  SERVICE_SORTS,
  type ServiceQuery,
  type ServiceSearchProperty,
  type ServiceSort,
  selectServices,
  serviceFacets,
  serviceKind,
  serviceSources,
} from '../../lib/services-view.ts';
import type { ServiceListingSummary } from '../../lib/types.ts';
import { useBlockingQuery } from '../../lib/use-blocking-query.ts';
import { listParam, useUrlState } from '../../lib/use-url-state.ts';

const SORT_LABELS: Record<ServiceSort, string> = {
  'Name:asc': 'Service name A to Z',
  'Name:desc': 'Service name Z to A',
  'Status:asc': 'Unhealthy to healthy',
  'Status:desc': 'Healthy to unhealthy',
};

function ServiceRow({ dc, service }: { dc: string; service: ServiceListingSummary }) {
  const kind = serviceKind(service);
  const sources = serviceSources(service).filter((s) => s !== 'consul');
  return (
    <li className="border-t border-line first:border-t-0" data-service={service.Name} data-status={serviceStatus(service)}>
      <Link
        href={`/ui/${encodeURIComponent(dc)}/services/${encodeURIComponent(service.Name)}/instances`} prefetch={false}
        className="block px-4 py-3 hover:bg-canvas focus-visible:bg-canvas"
      >
        <div className="flex flex-wrap items-center gap-2">
          <StatusIcon status={serviceStatus(service)} />
          <span className="font-semibold text-fg">{service.Name}</span>
          {kind !== 'service' && <Badge tone="brand">{kind}</Badge>}
          {sources.map((s) => (
            <Badge key={s} tone="action" title="External source">
              {s}
            </Badge>
          ))}
        </div>
        <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 pl-6 text-sm text-fg-faint">
          <HealthSummary counts={serviceCounts(service)} />
          <span>
            {service.InstanceCount} {service.InstanceCount === 1 ? 'instance' : 'instances'}
          </span>
          <TagList tags={service.Tags} />
        </div>
      </Link>
    </li>
  );
}

/** The list state from the URL (Consul UI param names). */
function parseQuery(params: URLSearchParams): ServiceQuery {
  return {
    text: params.get('filter') ?? '',
    searchProperties: listParam(params, 'searchproperty') as ServiceSearchProperty[],
    status: listParam(params, 'status') as Status[],
    source: listParam(params, 'source'),
    kind: listParam(params, 'kind'),
    tags: listParam(params, 'tag'),
    sort: (SERVICE_SORTS as readonly string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as ServiceSort) : 'Name:asc',
  };
}

function ServicesList({ dc, services }: { dc: string; services: ServiceListingSummary[] }) {
  const [params, setParams] = useUrlState();
  const qs = params.toString();
  const query = useMemo(() => parseQuery(new URLSearchParams(qs)), [qs]);
  const facets = useMemo(() => serviceFacets(services), [services]);
  const shown = useMemo(() => selectServices(services, query), [services, query]);
  const filtered = shown.length !== services.length;
  return (
    <>
      <FilterBar>
        <SearchInput value={query.text} onChange={(v) => setParams({ filter: v })} placeholder="Search services" />
        <MultiSelect
          label="Search across"
          options={[
            { value: 'Name', label: 'Name' },
            { value: 'Tags', label: 'Tags' },
          ]}
          selected={query.searchProperties}
          onChange={(v) => setParams({ searchproperty: v })}
        />
        <MultiSelect label="Health status" options={STATUS_OPTIONS} selected={query.status} onChange={(v) => setParams({ status: v })} />
        <MultiSelect
          label="Source"
          options={facets.sources.map((s) => ({ value: s, label: s }))}
          selected={query.source}
          onChange={(v) => setParams({ source: v })}
        />
        <MultiSelect label="Kind" options={facets.kinds.map((s) => ({ value: s, label: s }))} selected={query.kind} onChange={(v) => setParams({ kind: v })} />
        <MultiSelect label="Tags" options={facets.tags.map((s) => ({ value: s, label: s }))} selected={query.tags} onChange={(v) => setParams({ tag: v })} />
        <SortSelect value={query.sort} options={SERVICE_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] }))} onChange={(v) => setParams({ sort: v })} />
      </FilterBar>
      <p className="mb-2 text-sm text-fg-faint" aria-live="polite">
        {filtered ? `${shown.length} of ${services.length} services` : `${services.length} services`}
      </p>
      {services.length === 0 ? (
        <Empty title="No services yet">Services appear here once they are registered with an agent in this datacenter.
          <AclEmptyHint what="services" />
        </Empty>
      ) : shown.length === 0 ? (
        <Empty title="No services match">Change the search text or clear the filters.</Empty>
      ) : (
        <ProgressiveList items={shown} label="Services" render={(s) => <ServiceRow key={`${s.PeerName ?? ''}/${s.Name}`} dc={dc} service={s} />} />
      )}
    </>
  );
}

function ServicesPage() {
  const { dc } = useParams<{ dc: string }>();
  const state = useBlockingQuery(`services:${dc}`, (index, signal) => fetchServices(dc, { index, signal }));
  return (
    <>
      <PageHeader title="Services" />
      <QueryView state={state} what="services">
        {(data) => <ServicesList dc={dc} services={data ?? []} />}
      </QueryView>
    </>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="services" />}>
      <ServicesPage />
    </Suspense>
  );
}
