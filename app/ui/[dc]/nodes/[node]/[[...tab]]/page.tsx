'use client';
/**
 * `/ui/:dc/nodes/:node/{health-checks,service-instances,round-trip-time,lock-sessions,metadata}`:
 * one node, each tab live through its own blocking query.
 */
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { Badge, TagList } from '../../../../components/badges.tsx';
import { CheckList } from '../../../../components/check-list.tsx';
import { MetaTable } from '../../../../components/meta-table.tsx';
import { PageHeader } from '../../../../components/page-header.tsx';
import { Empty, ErrorState, Loading, QueryView } from '../../../../components/states.tsx';
import { StatusIcon } from '../../../../components/status-icon.tsx';
import { Tabs } from '../../../../components/tabs.tsx';
import { describeError } from '../../../../lib/errors.ts';
import { destroySession, fetchCoordinates, fetchLeader, fetchNode, fetchNodeSessions } from '../../../../lib/endpoints.ts';
import { isLeader, nodeStatus } from '../../../../lib/nodes-view.ts';
import { formatMs, rttSummary } from '../../../../lib/rtt.ts';
import type { NodeInfo, Session } from '../../../../lib/types.ts';
import { useBlockingQuery } from '../../../../lib/use-blocking-query.ts';

const TABS = [
  { id: 'health-checks', label: 'Health Checks' },
  { id: 'service-instances', label: 'Service Instances' },
  { id: 'round-trip-time', label: 'Round Trip Time' },
  { id: 'lock-sessions', label: 'Lock Sessions' },
  { id: 'metadata', label: 'Metadata' },
];

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function ServicesTab({ dc, node }: { dc: string; node: NodeInfo }) {
  const services = [...(node.Services ?? [])].sort((a, b) => a.Service.localeCompare(b.Service) || a.ID.localeCompare(b.ID));
  if (services.length === 0) return <Empty title="No service instances">This node runs no registered services.</Empty>;
  return (
    <ul className="overflow-hidden rounded-md border border-line bg-surface" aria-label="Service instances">
      {services.map((s) => {
        const checks = (node.Checks ?? []).filter((c) => c.ServiceID === s.ID);
        const status = checks.length === 0 ? 'empty' : nodeStatus({ ...node, Checks: checks });
        const address = `${s.Address !== '' ? s.Address : node.Address}${s.Port ? `:${s.Port}` : ''}`;
        return (
          <li key={s.ID} className="border-t border-line px-4 py-3 first:border-t-0">
            <div className="flex flex-wrap items-center gap-2">
              <StatusIcon status={status} />
              <Link
                href={`/ui/${encodeURIComponent(dc)}/services/${encodeURIComponent(s.Service)}/instances/${encodeURIComponent(node.Node)}/${encodeURIComponent(s.ID)}/health-checks`}
                className="font-semibold text-action hover:underline"
              >
                {s.ID}
              </Link>
              {s.Kind && <Badge tone="brand">{s.Kind}</Badge>}
              <span className="text-sm text-fg-faint">{s.Service}</span>
            </div>
            <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 pl-6 text-sm">
              <span className="font-mono text-xs">{address}</span>
              <TagList tags={s.Tags} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function RttTab({ dc, node }: { dc: string; node: string }) {
  const coords = useBlockingQuery(`coords:${dc}`, (index, signal) => fetchCoordinates(dc, { index, signal }));
  return (
    <QueryView state={coords} what="network coordinates">
      {(data) => {
        const summary = rttSummary(node, data);
        if (summary === null) {
          return (
            <Empty title="No round-trip times">
              Consul has no network coordinate for this node, or no other node to compare it with. Coordinates appear after the agents have exchanged gossip for a while.
            </Empty>
          );
        }
        return (
          <div className="space-y-4">
            <dl className="grid grid-cols-3 gap-3" data-testid="rtt-summary">
              {(
                [
                  ['Minimum', summary.min],
                  ['Median', summary.median],
                  ['Maximum', summary.max],
                ] as const
              ).map(([label, ms]) => (
                <div key={label} className="rounded-md border border-line bg-surface p-4">
                  <dt className="text-sm text-fg-faint">{label}</dt>
                  <dd className="text-xl font-semibold tabular-nums">{formatMs(ms)}</dd>
                </div>
              ))}
            </dl>
            <table className="w-full rounded-md border border-line bg-surface text-sm">
              <caption className="sr-only">Estimated round-trip time from {node} to each node</caption>
              <thead className="bg-canvas text-left text-fg-faint">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Node
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Estimated RTT
                  </th>
                </tr>
              </thead>
              <tbody>
                {summary.others.map((o) => (
                  <tr key={o.node} className="border-t border-line">
                    <td className="px-4 py-2">
                      <Link href={`/ui/${encodeURIComponent(dc)}/nodes/${encodeURIComponent(o.node)}/round-trip-time`} className="text-action hover:underline">
                        {o.node}
                      </Link>
                    </td>
                    <td className="px-4 py-2 tabular-nums">{formatMs(o.ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      }}
    </QueryView>
  );
}

function SessionItem({ dc, session, onDone }: { dc: string; session: Session; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const invalidate = async () => {
    if (!window.confirm(`Invalidate session ${session.ID}? Locks it holds are released (or their keys deleted, for behavior “delete”).`)) return;
    setBusy(true);
    setError(null);
    try {
      await destroySession(dc, session.ID);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const checks = [...(session.NodeChecks ?? []), ...(session.Checks ?? []), ...(session.ServiceChecks ?? []).map((c) => c.ID)];
  return (
    <li className="rounded-md border border-line bg-surface p-4" data-session={session.ID}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold">{session.Name === '' ? '(unnamed session)' : session.Name}</span>
        <Badge>{session.Behavior}</Badge>
        <button
          type="button"
          disabled={busy}
          onClick={invalidate}
          className="ml-auto rounded border border-bad-line bg-surface px-3 py-1 text-sm font-medium text-bad hover:bg-bad-soft disabled:opacity-50"
        >
          {busy ? 'Invalidating…' : 'Invalidate'}
        </button>
      </div>
      <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-fg-faint">ID</dt>
        <dd className="break-all font-mono text-xs leading-5">{session.ID}</dd>
        <dt className="text-fg-faint">Lock delay</dt>
        <dd>{session.LockDelay / 1e9}s</dd>
        <dt className="text-fg-faint">TTL</dt>
        <dd>{session.TTL === '' ? 'none' : session.TTL}</dd>
        <dt className="text-fg-faint">Health checks</dt>
        <dd>{checks.length === 0 ? 'none' : checks.join(', ')}</dd>
      </dl>
      {error ? <p role="alert" className="mt-2 text-sm text-bad">{describeError(error).title}: {describeError(error).detail}</p> : null}
    </li>
  );
}

function SessionsTab({ dc, node }: { dc: string; node: string }) {
  const sessions = useBlockingQuery(`sessions:${dc}:${node}`, (index, signal) => fetchNodeSessions(dc, node, { index, signal }));
  return (
    <QueryView state={sessions} what="lock sessions">
      {(data) =>
        (data ?? []).length === 0 ? (
          <Empty title="No lock sessions">This node holds no sessions. Sessions are created by clients (for example `consul lock`) to hold locks on keys.</Empty>
        ) : (
          <ul className="space-y-3">
            {(data ?? []).map((s) => (
              <SessionItem key={s.ID} dc={dc} session={s} onDone={sessions.refresh} />
            ))}
          </ul>
        )
      }
    </QueryView>
  );
}

function NodeBody({ dc, node, tab, leader }: { dc: string; node: NodeInfo; tab: string; leader: string | null | undefined }) {
  const base = `/ui/${encodeURIComponent(dc)}/nodes/${encodeURIComponent(node.Node)}`;
  return (
    <>
      <PageHeader
        title={node.Node}
        crumbs={[{ label: 'All Nodes', href: `/ui/${encodeURIComponent(dc)}/nodes` }]}
        badges={
          <>
            <StatusIcon status={nodeStatus(node)} className="h-6 w-6" />
            {isLeader(node, leader) && <Badge tone="brand">★ Leader</Badge>}
            <span className="font-mono text-sm text-fg-faint">{node.Address}</span>
          </>
        }
      />
      <Tabs label="Node" current={tab} tabs={TABS.map((t) => ({ ...t, href: `${base}/${t.id}` }))} />
      {tab === 'health-checks' && <CheckList checks={node.Checks ?? []} emptyText="This node has no health checks." />}
      {tab === 'service-instances' && <ServicesTab dc={dc} node={node} />}
      {tab === 'round-trip-time' && <RttTab dc={dc} node={node.Node} />}
      {tab === 'lock-sessions' && <SessionsTab dc={dc} node={node.Node} />}
      {tab === 'metadata' && (
        <div className="space-y-6">
          <MetaTable meta={node.Meta} caption="Node metadata" />
          <section>
            <h2 className="mb-2 font-semibold">Tagged addresses</h2>
            <MetaTable meta={node.TaggedAddresses} caption="Tagged addresses" />
          </section>
          {node.ID !== '' && (
            <p className="text-sm text-fg-faint">
              Node ID <span className="font-mono text-xs">{node.ID}</span>
            </p>
          )}
        </div>
      )}
      {!TABS.some((t) => t.id === tab) && <Empty title="No such tab">Pick one of the tabs above.</Empty>}
    </>
  );
}

function NodePage() {
  const params = useParams<{ dc: string; node: string; tab?: string[] }>();
  const dc = decode(params.dc);
  const name = decode(params.node);
  const tab = params.tab?.[0] ?? 'health-checks';
  const node = useBlockingQuery(`node:${dc}:${name}`, (index, signal) => fetchNode(dc, name, { index, signal }));
  const leader = useBlockingQuery(`leader:${dc}`, (_i, signal) => fetchLeader(dc, { signal }), { intervalMs: 30_000 });
  if (node.data === undefined && node.error && (node.error as { kind?: string }).kind === 'not-found') {
    return (
      <>
        <PageHeader title={name} crumbs={[{ label: 'All Nodes', href: `/ui/${encodeURIComponent(dc)}/nodes` }]} />
        <ErrorState error={node.error} retryInMs={node.retryInMs} onRetry={node.refresh} />
      </>
    );
  }
  return (
    <QueryView state={node} what={`node ${name}`}>
      {(data) =>
        data === null ? <Empty title="Node not found">Consul has no node “{name}” in {dc}.</Empty> : <NodeBody dc={dc} node={data} tab={tab} leader={leader.data} />
      }
    </QueryView>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="node" />}>
      <NodePage />
    </Suspense>
  );
}
