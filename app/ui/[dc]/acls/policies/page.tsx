'use client';
/** `/ui/:dc/acls/policies`: every policy with its description and the datacenters it is valid in. */
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { Suspense } from 'react';
import { AclTabs, aclHref } from '../../../components/acl/acl-tabs.tsx';
import { useAclWrite } from '../../../components/acl/use-acl-write.ts';
import { Badge } from '../../../components/badges.tsx';
import { FilterBar, SearchInput } from '../../../components/filter-bar.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Empty, Loading, QueryView } from '../../../components/states.tsx';
import { fetchPolicies } from '../../../lib/acl-endpoints.ts';
import type { AclPolicy } from '../../../lib/acl-types.ts';
import { selectPolicies } from '../../../lib/acl-view.ts';
import { useBlockingQuery } from '../../../lib/use-blocking-query.ts';
import { useUrlState } from '../../../lib/use-url-state.ts';

function PolicyList({ dc, policies }: { dc: string; policies: AclPolicy[] }) {
  const [params, setParams] = useUrlState();
  const text = params.get('filter') ?? '';
  const rows = selectPolicies(policies, text);
  return (
    <>
      <FilterBar>
        <SearchInput value={text} onChange={(v) => setParams({ filter: v })} placeholder="Search policies" />
      </FilterBar>
      {rows.length === 0 ? (
        <Empty title="No policies match">Change the search text.</Empty>
      ) : (
        <ul aria-label="Policies" className="rounded-md border border-line bg-surface">
          {rows.map((r) => (
            <li key={r.id} className="border-t border-line px-4 py-3 first:border-t-0" data-policy={r.name}>
              <div className="flex flex-wrap items-center gap-2">
                <Link href={aclHref(dc, 'policies', r.id)} prefetch={false} className="font-semibold text-action hover:underline">
                  {r.name}
                </Link>
                {r.builtIn && <Badge tone="brand">Built-in</Badge>}
              </div>
              <p className="mt-1 text-sm text-fg-muted">{r.description === '' ? <span className="text-fg-faint">(no description)</span> : r.description}</p>
              <p className="mt-1 text-xs text-fg-faint">Datacenters: {r.datacenters}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function PoliciesPage() {
  const { dc } = useParams<{ dc: string }>();
  const state = useBlockingQuery(`acl-policies:${dc}`, (index, signal) => fetchPolicies(dc, { index, signal }));
  const canWrite = useAclWrite(dc);
  const create = canWrite ? (
    <Link href={aclHref(dc, 'policies', 'create')} className="rounded bg-action px-4 py-1.5 text-sm font-medium text-white hover:bg-action-hover">
      Create
    </Link>
  ) : null;
  return (
    <>
      <PageHeader title="Policies" actions={create} />
      <AclTabs dc={dc} current="policies" />
      <QueryView state={state} what="policies">
        {(data) => <PolicyList dc={dc} policies={data ?? []} />}
      </QueryView>
    </>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="policies" />}>
      <PoliciesPage />
    </Suspense>
  );
}
