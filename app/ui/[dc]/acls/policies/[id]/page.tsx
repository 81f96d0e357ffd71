'use client';
/** `/ui/:dc/acls/policies/:id` (detail and edit) and `/ui/:dc/acls/policies/create`. */
import { useParams } from 'next/navigation';
import { Suspense } from 'react';
import { AclTabs, aclHref } from '../../../../components/acl/acl-tabs.tsx';
import { AppliedTokens } from '../../../../components/acl/applied-tokens.tsx';
import { useAclWrite } from '../../../../components/acl/use-acl-write.ts';
import { PageHeader } from '../../../../components/page-header.tsx';
import { Loading, QueryView } from '../../../../components/states.tsx';
import { fetchPolicy } from '../../../../lib/acl-endpoints.ts';
import type { AclPolicy } from '../../../../lib/acl-types.ts';
import { useBlockingQuery } from '../../../../lib/use-blocking-query.ts';
import { PolicyForm } from './policy-form.tsx';

function PolicyPage() {
  const { dc, id } = useParams<{ dc: string; id: string }>();
  const creating = id === 'create';
  const policy = useBlockingQuery(creating ? null : `acl-policy:${dc}:${id}`, (_i, signal) => fetchPolicy(dc, id, { signal }), { once: true });
  const canWrite = useAclWrite(dc);
  const form = (p: AclPolicy | null) => (canWrite === undefined ? <Loading what="permissions" /> : <PolicyForm dc={dc} policy={p} canWrite={canWrite} />);
  return (
    <>
      <PageHeader title={creating ? 'New Policy' : 'Edit Policy'} crumbs={[{ label: 'Policies', href: aclHref(dc, 'policies') }]} />
      <AclTabs dc={dc} current="policies" />
      {creating ? (
        form(null)
      ) : (
        <QueryView state={policy} what="the policy">
          {(p) => (
            <div className="space-y-6">
              {form(p)}
              {p && <AppliedTokens dc={dc} policy={p.ID} />}
            </div>
          )}
        </QueryView>
      )}
    </>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="the policy" />}>
      <PolicyPage />
    </Suspense>
  );
}
