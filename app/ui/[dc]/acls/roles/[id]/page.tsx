'use client';
/** `/ui/:dc/acls/roles/:id` (detail and edit) and `/ui/:dc/acls/roles/create`. */
import { useParams } from 'next/navigation';
import { Suspense } from 'react';
import { AclTabs, aclHref } from '../../../../components/acl/acl-tabs.tsx';
import { AppliedTokens } from '../../../../components/acl/applied-tokens.tsx';
import { useAclLinks } from '../../../../components/acl/use-acl-links.ts';
import { useAclWrite } from '../../../../components/acl/use-acl-write.ts';
import { PageHeader } from '../../../../components/page-header.tsx';
import { Loading, QueryView } from '../../../../components/states.tsx';
import { fetchRole } from '../../../../lib/acl-endpoints.ts';
import type { AclRole } from '../../../../lib/acl-types.ts';
import { useBlockingQuery } from '../../../../lib/use-blocking-query.ts';
import { RoleForm } from './role-form.tsx';

function RolePage() {
  const { dc, id } = useParams<{ dc: string; id: string }>();
  const creating = id === 'create';
  const role = useBlockingQuery(creating ? null : `acl-role:${dc}:${id}`, (_i, signal) => fetchRole(dc, id, { signal }), { once: true });
  const links = useAclLinks(dc);
  const canWrite = useAclWrite(dc);
  const form = (r: AclRole | null) => (
    <QueryView state={links} what="policies">
      {(l) => (canWrite === undefined ? <Loading what="permissions" /> : <RoleForm dc={dc} role={r} policies={l.policies} canWrite={canWrite} />)}
    </QueryView>
  );
  return (
    <>
      <PageHeader title={creating ? 'New Role' : 'Edit Role'} crumbs={[{ label: 'Roles', href: aclHref(dc, 'roles') }]} />
      <AclTabs dc={dc} current="roles" />
      {creating ? (
        form(null)
      ) : (
        <QueryView state={role} what="the role">
          {(r) => (
            <div className="space-y-6">
              {form(r)}
              {r && <AppliedTokens dc={dc} role={r.ID} />}
            </div>
          )}
        </QueryView>
      )}
    </>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="the role" />}>
      <RolePage />
    </Suspense>
  );
}
