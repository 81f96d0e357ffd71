'use client';
/** `/ui/:dc/nodes`: every node with health, address and the leader badge, live. */
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { Suspense, useMemo } from 'react';
import { Badge } from '../../components/badges.tsx';
import { FilterBar, MultiSelect, SearchInput, SortSelect, STATUS_OPTIONS } from '../../components/filter-bar.tsx';
import { HealthSummary } from '../../components/health-summary.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProgressiveList } from '../../components/progressive-list.tsx';
import { AclEmptyHint } from '../../components/forbidden.tsx';
import { Empty, Loading, QueryView } from '../../components/states.tsx';
import { StatusIcon } from '../../components/status-icon.tsx';
import { fetchLeader, fetchNodes } from '../../lib/endpoints.ts';
import { countChecks, type Status } from '../../lib/health.ts';
import { isLeader, NODE_SORTS, type NodeSort, nodeStatus, selectNodes } from '../../lib/nodes-view.ts';
import type { NodeInfo } from '../../lib/types.ts';
import { useBlockingQuery } from '../../lib/use-blocking-query.ts';
import { listParam, useUrlState } from '../../lib/use-url-state.ts';

const SORT_LABELS: Record<NodeSort, string> = {
  'Node:asc': 'Node name A to Z',
  'Node:desc': 'Node name Z to A',
  'Status:asc': 'Unhealthy to healthy',
  'Status:desc': 'Healthy to unhealthy',
};

function NodeRow({ dc, node, leader }: { dc: string; node: NodeInfo; leader: boolean }) {
  const services = node.Services ?? [];
  return (
    <li className="border-t border-line first:border-t-0" data-node={node.Node} data-status={nodeStatus(node)}>
      <Link href={`/ui/${encodeURIComponent(dc)}/nodes/${encodeURIComponent(node.Node)}`} prefetch={false} className="block px-4 py-3 hover:bg-canvas focus-visible:bg-canvas">
        <div className="flex flex-wrap items-center gap-2">
          <StatusIcon status={nodeStatus(node)} />
          <span className="font-semibold">{node.Node}</span>
          {leader && (
            <Badge tone="brand" title="Raft leader of this datacenter">
              ★ Leader
            </Badge>
          )}
        </div>
        <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 pl-6 text-sm text-fg-faint">
          <HealthSummary counts={countChecks(node.Checks)} />
          <span className="font-mono text-xs">{node.Address}</span>
          <span>
            {services.length} {services.length === 1 ? 'service' : 'services'}
          </span>
        </div>
      </Link>
    </li>
  );
}

function NodesList({ dc, nodes, leader }: { dc: string; nodes: NodeInfo[]; leader: string | null | undefined }) {
  const [params, setParams] = useUrlState();
  const text = params.get('filter') ?? '';
  const status = listParam(params, 'status') as Status[];
  const sortParam = params.get('sort') ?? '';
  const sort = (NODE_SORTS as readonly string[]).includes(sortParam) ? (sortParam as NodeSort) : 'Node:asc';
  const shown = useMemo(() => selectNodes(nodes, { text, status, sort }), [nodes, text, status, sort]);
  return (
    <>
      <FilterBar>
        <SearchInput value={text} onChange={(v) => setParams({ filter: v })} placeholder="Search nodes (name, address, meta)" />
        <MultiSelect label="Health status" options={STATUS_OPTIONS} selected={status} onChange={(v) => setParams({ status: v })} />
        <SortSelect value={sort} options={NODE_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] }))} onChange={(v) => setParams({ sort: v })} />
      </FilterBar>
      <p className="mb-2 text-sm text-fg-faint" aria-live="polite">
        {shown.length !== nodes.length ? `${shown.length} of ${nodes.length} nodes` : `${nodes.length} nodes`}
      </p>
      {nodes.length === 0 ? (
        <Empty title="No nodes">No agent has joined this datacenter yet.
          <AclEmptyHint what="nodes" />
        </Empty>
      ) : shown.length === 0 ? (
        <Empty title="No nodes match">Change the search text or clear the filters.</Empty>
      ) : (
        <ProgressiveList items={shown} label="Nodes" render={(n) => <NodeRow key={n.Node} dc={dc} node={n} leader={isLeader(n, leader)} />} />
      )}
    </>
  );
}

function NodesPage() {
  const { dc } = useParams<{ dc: string }>();
  const nodes = useBlockingQuery(`nodes:${dc}`, (index, signal) => fetchNodes(dc, { index, signal }));
  // The leader has no blocking support; Consul's UI refreshes it every 30 s.
  const leader = useBlockingQuery(`leader:${dc}`, (_i, signal) => fetchLeader(dc, { signal }), { intervalMs: 30_000 });
  return (
    <>
      <PageHeader title="Nodes" />
      <QueryView state={nodes} what="nodes">
        {(data) => <NodesList dc={dc} nodes={data ?? []} leader={leader.data} />}
      </QueryView>
    </>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="nodes" />}>
      <NodesPage />
    </Suspense>
  );
}
