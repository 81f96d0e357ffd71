'use client';
/**
 * `/ui/:dc/services/:name/instances` (and `/tags`, and an instance's page
 * `/instances/:node/:id/{health-checks,tags,metadata}`): one blocking query on
 * `/v1/health/service/:name` feeds them all, so every tab is live.
 */
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { Suspense, useMemo } from 'react';
import { Badge, TagList } from '../../../../components/badges.tsx';
import { CheckList } from '../../../../components/check-list.tsx';
import { FilterBar, MultiSelect, SearchInput, STATUS_OPTIONS } from '../../../../components/filter-bar.tsx';
import { HealthSummary } from '../../../../components/health-summary.tsx';
import { MetaTable } from '../../../../components/meta-table.tsx';
import { PageHeader } from '../../../../components/page-header.tsx';
import { Empty, Loading, QueryView } from '../../../../components/states.tsx';
import { StatusIcon } from '../../../../components/status-icon.tsx';
import { Tabs } from '../../../../components/tabs.tsx';
import { fetchServiceInstances } from '../../../../lib/endpoints.ts';
import { countChecks, type Status, sortChecks, splitChecks, statusOfChecks } from '../../../../lib/health.ts';
import { instanceAddress, instanceStatus, selectInstances } from '../../../../lib/instances-view.ts';
import type { ServiceEntry } from '../../../../lib/types.ts';
import { useBlockingQuery } from '../../../../lib/use-blocking-query.ts';
import { listParam, useUrlState } from '../../../../lib/use-url-state.ts';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `/ui/:dc/nodes/:node` from a service base URL `/ui/:dc/services/:name` (dc already encoded). */
function nodeHref(base: string, node: string): string {
  return `${base.slice(0, base.indexOf('/services/'))}/nodes/${encodeURIComponent(node)}`;
}

function InstanceRow({ base, entry }: { base: string; entry: ServiceEntry }) {
  const { node, service } = splitChecks(entry.Checks);
  const href = `${base}/instances/${encodeURIComponent(entry.Node.Node)}/${encodeURIComponent(entry.Service.ID)}/health-checks`;
  return (
    <li className="border-t border-line px-4 py-3 first:border-t-0" data-instance={entry.Service.ID} data-status={instanceStatus(entry)}>
      <div className="flex flex-wrap items-center gap-2">
        <StatusIcon status={instanceStatus(entry)} />
        <Link href={href} className="font-semibold text-action hover:underline">
          {entry.Service.ID}
        </Link>
      </div>
      <dl className="mt-1 flex flex-wrap gap-x-6 gap-y-1 pl-6 text-sm">
        <div className="flex gap-1">
          <dt className="text-fg-faint">Node</dt>
          <dd>
            <Link href={nodeHref(base, entry.Node.Node)} className="text-action hover:underline">
              {entry.Node.Node}
            </Link>
          </dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-fg-faint">Address</dt>
          <dd className="font-mono text-xs leading-5">{instanceAddress(entry)}</dd>
        </div>
        <div className="flex items-center gap-1">
          <dt className="text-fg-faint">Node checks</dt>
          <dd>
            <HealthSummary counts={countChecks(node)} />
          </dd>
        </div>
        <div className="flex items-center gap-1">
          <dt className="text-fg-faint">Service checks</dt>
          <dd>
            <HealthSummary counts={countChecks(service)} />
          </dd>
        </div>
      </dl>
      <div className="mt-1 flex flex-wrap items-center gap-2 pl-6">
        <TagList tags={entry.Service.Tags} />
        {Object.entries(entry.Service.Meta ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => (
            <Badge key={k} tone="action" title="Service metadata">
              {k}={v}
            </Badge>
          ))}
      </div>
      <ul className="mt-2 space-y-1 pl-6" aria-label={`Health checks of ${entry.Service.ID}`}>
        {sortChecks(entry.Checks ?? []).map((c) => (
          <li key={c.CheckID} className="flex min-w-0 items-start gap-2 text-sm" data-check-id={c.CheckID} data-status={c.Status}>
            <StatusIcon status={c.Status} className="mt-0.5" />
            <span className="shrink-0 font-medium">{c.Name}</span>
            {c.Output !== '' && (
              <span className="min-w-0 truncate font-mono text-xs leading-5 text-fg-faint" title={c.Output}>
                {c.Output}
              </span>
            )}
          </li>
        ))}
      </ul>
    </li>
  );
}

function InstancesTab({ base, entries }: { base: string; entries: ServiceEntry[] }) {
  const [params, setParams] = useUrlState();
  const text = params.get('filter') ?? '';
  const status = listParam(params, 'status') as Status[];
  const shown = useMemo(() => selectInstances(entries, text, status), [entries, text, status]);
  return (
    <>
      <FilterBar>
        <SearchInput value={text} onChange={(v) => setParams({ filter: v })} placeholder="Search instances (name, node, address, tags, meta)" />
        <MultiSelect label="Health status" options={STATUS_OPTIONS.slice(0, 3)} selected={status} onChange={(v) => setParams({ status: v })} />
      </FilterBar>
      {shown.length === 0 ? (
        <Empty title="No instances match">Change the search text or clear the filters.</Empty>
      ) : (
        <ul className="overflow-hidden rounded-md border border-line bg-surface" aria-label="Instances">
          {shown.map((e) => (
            <InstanceRow key={`${e.Node.Node}/${e.Service.ID}`} base={base} entry={e} />
          ))}
        </ul>
      )}
    </>
  );
}

function TagsTab({ entries }: { entries: ServiceEntry[] }) {
  const tags = [...new Set(entries.flatMap((e) => e.Service.Tags ?? []))].sort((a, b) => a.localeCompare(b));
  if (tags.length === 0) return <Empty title="No tags">No instance of this service has tags.</Empty>;
  return (
    <div className="rounded-md border border-line bg-surface p-4">
      <TagList tags={tags} max={1000} />
    </div>
  );
}

function InstanceDetail({ base, entry, tab }: { base: string; entry: ServiceEntry; tab: string }) {
  const { node, service } = splitChecks(entry.Checks);
  const instanceBase = `${base}/instances/${encodeURIComponent(entry.Node.Node)}/${encodeURIComponent(entry.Service.ID)}`;
  const tabs = [
    { id: 'health-checks', label: 'Health Checks', href: `${instanceBase}/health-checks` },
    { id: 'tags', label: 'Tags', href: `${instanceBase}/tags` },
    { id: 'metadata', label: 'Metadata', href: `${instanceBase}/metadata` },
  ];
  return (
    <>
      <dl className="mb-4 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        <div className="flex gap-1">
          <dt className="text-fg-faint">Service</dt>
          <dd>{entry.Service.Service}</dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-fg-faint">Node</dt>
          <dd>
            <Link href={nodeHref(base, entry.Node.Node)} className="text-action hover:underline">
              {entry.Node.Node}
            </Link>
          </dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-fg-faint">Address</dt>
          <dd className="font-mono text-xs leading-5">{instanceAddress(entry)}</dd>
        </div>
      </dl>
      <Tabs label="Instance" current={tab} tabs={tabs} />
      {tab === 'tags' && (entry.Service.Tags ?? []).length === 0 && <Empty title="No tags">This instance has no tags.</Empty>}
      {tab === 'tags' && <TagList tags={entry.Service.Tags} max={1000} />}
      {tab === 'metadata' && (
        <div className="space-y-6">
          <section>
            <h2 className="mb-2 font-semibold">Service metadata</h2>
            <MetaTable meta={entry.Service.Meta} caption="Service metadata" />
          </section>
          <section>
            <h2 className="mb-2 font-semibold">Node metadata</h2>
            <MetaTable meta={entry.Node.Meta} caption="Node metadata" />
          </section>
        </div>
      )}
      {tab === 'health-checks' && (
        <div className="space-y-6">
          <section>
            <h2 className="mb-2 font-semibold">Service checks</h2>
            <CheckList checks={service} emptyText="This instance has no service-level checks." />
          </section>
          <section>
            <h2 className="mb-2 font-semibold">Node checks</h2>
            <CheckList checks={node} emptyText="The node has no node-level checks." />
          </section>
        </div>
      )}
    </>
  );
}

function ServiceBody({ dc, name, rest, entries }: { dc: string; name: string; rest: string[]; entries: ServiceEntry[] }) {
  const base = `/ui/${encodeURIComponent(dc)}/services/${encodeURIComponent(name)}`;
  const crumbs = [{ label: 'All Services', href: `/ui/${encodeURIComponent(dc)}/services` }];
  if (entries.length === 0) {
    return (
      <>
        <PageHeader title={name} crumbs={crumbs} />
        <Empty title="No instances">Consul has no instances of “{name}” in {dc}. It may have been deregistered.</Empty>
      </>
    );
  }
  const kind = entries[0]?.Service.Kind;
  const allChecks = entries.flatMap((e) => e.Checks ?? []);
  if (rest[0] === 'instances' && rest.length >= 3) {
    const entry = entries.find((e) => e.Node.Node === rest[1] && e.Service.ID === rest[2]);
    const instanceCrumbs = [...crumbs, { label: name, href: `${base}/instances` }];
    if (entry === undefined) {
      return (
        <>
          <PageHeader title={rest[2]} crumbs={instanceCrumbs} />
          <Empty title="Instance not found">
            There is no instance “{rest[2]}” of {name} on node {rest[1]}.
          </Empty>
        </>
      );
    }
    return (
      <>
        <PageHeader title={entry.Service.ID} crumbs={instanceCrumbs} badges={<StatusIcon status={instanceStatus(entry)} className="h-6 w-6" />} />
        <InstanceDetail base={base} entry={entry} tab={rest[3] ?? 'health-checks'} />
      </>
    );
  }
  const tab = rest[0] === 'tags' ? 'tags' : 'instances';
  return (
    <>
      <PageHeader
        title={name}
        crumbs={crumbs}
        badges={
          <>
            <StatusIcon status={statusOfChecks(allChecks)} className="h-6 w-6" />
            {kind && <Badge tone="brand">{kind}</Badge>}
            <HealthSummary counts={countChecks(allChecks)} />
          </>
        }
      />
      <Tabs
        label="Service"
        current={tab}
        tabs={[
          { id: 'instances', label: `Instances (${entries.length})`, href: `${base}/instances` },
          { id: 'tags', label: 'Tags', href: `${base}/tags` },
        ]}
      />
      {tab === 'instances' ? <InstancesTab base={base} entries={entries} /> : <TagsTab entries={entries} />}
    </>
  );
}

function ServicePage() {
  const params = useParams<{ dc: string; name: string; rest: string[] }>();
  const dc = decode(params.dc);
  const name = decode(params.name);
  const rest = (params.rest ?? []).map(decode);
  const state = useBlockingQuery(`service:${dc}:${name}`, (index, signal) => fetchServiceInstances(dc, name, { index, signal }));
  return (
    <QueryView state={state} what={`service ${name}`}>
      {(data) => <ServiceBody dc={dc} name={name} rest={rest} entries={data ?? []} />}
    </QueryView>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="service" />}>
      <ServicePage />
    </Suspense>
  );
}
