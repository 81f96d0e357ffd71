'use client';
/** `/ui/:dc/acls/roles`: every role with its description and policies. */
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { Suspense } from 'react';
import { AclTabs, aclHref } from '../../../components/acl/acl-tabs.tsx';
import { LinkBadges } from '../../../components/acl/link-badges.tsx';
import { useAclWrite } from '../../../components/acl/use-acl-write.ts';
import { FilterBar, SearchInput } from '../../../components/filter-bar.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Empty, Loading, QueryView } from '../../../components/states.tsx';
import { fetchRoles } from '../../../lib/acl-endpoints.ts';
import type { AclRole } from '../../../lib/acl-types.ts';
import { selectRoles } from '../../../lib/acl-view.ts';
import { useBlockingQuery } from '../../../lib/use-blocking-query.ts';
import { useUrlState } from '../../../lib/use-url-state.ts';

function RoleList({ dc, roles }: { dc: string; roles: AclRole[] }) {
  const [params, setParams] = useUrlState();
  const text = params.get('filter') ?? '';
  const rows = selectRoles(roles, text);
  if (roles.length === 0) return <Empty title="No roles yet">Roles group policies so that many tokens can share them.</Empty>;
  return (
    <>
      <FilterBar>
        <SearchInput value={text} onChange={(v) => setParams({ filter: v })} placeholder="Search roles" />
      </FilterBar>
      {rows.length === 0 ? (
        <Empty title="No roles match">Change the search text.</Empty>
      ) : (
        <ul aria-label="Roles" className="rounded-md border border-line bg-surface">
          {rows.map((r) => (
            <li key={r.id} className="border-t border-line px-4 py-3 first:border-t-0" data-role={r.name}>
              <Link href={aclHref(dc, 'roles', r.id)} prefetch={false} className="font-semibold text-action hover:underline">
                {r.name}
              </Link>
              <p className="mt-1 text-sm text-fg-muted">{r.description === '' ? <span className="text-fg-faint">(no description)</span> : r.description}</p>
              <div className="mt-1">
                <LinkBadges dc={dc} badges={r.badges} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function RolesPage() {
  const { dc } = useParams<{ dc: string }>();
  const state = useBlockingQuery(`acl-roles:${dc}`, (index, signal) => fetchRoles(dc, { index, signal }));
  const canWrite = useAclWrite(dc);
  const create = canWrite ? (
    <Link href={aclHref(dc, 'roles', 'create')} className="rounded bg-action px-4 py-1.5 text-sm font-medium text-white hover:bg-action-hover">
      Create
    </Link>
  ) : null;
  return (
    <>
      <PageHeader title="Roles" actions={create} />
      <AclTabs dc={dc} current="roles" />
      <QueryView state={state} what="roles">
        {(data) => <RoleList dc={dc} roles={data ?? []} />}
      </QueryView>
    </>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="roles" />}>
      <RolesPage />
    </Suspense>
  );
}
