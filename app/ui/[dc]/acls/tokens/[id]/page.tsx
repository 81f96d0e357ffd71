'use client';
/** `/ui/:dc/acls/tokens/:id` (a token's detail and edit form) and `/ui/:dc/acls/tokens/create`. */
import { useParams } from 'next/navigation';
import { Suspense } from 'react';
import { AclTabs, aclHref } from '../../../../components/acl/acl-tabs.tsx';
import { useAclLinks } from '../../../../components/acl/use-acl-links.ts';
import { useAclWrite } from '../../../../components/acl/use-acl-write.ts';
import { PageHeader } from '../../../../components/page-header.tsx';
import { Loading, QueryView } from '../../../../components/states.tsx';
import { fetchToken } from '../../../../lib/acl-endpoints.ts';
import { useBlockingQuery } from '../../../../lib/use-blocking-query.ts';
import { TokenForm } from './token-form.tsx';

function TokenPage() {
  const { dc, id } = useParams<{ dc: string; id: string }>();
  const creating = id === 'create';
  const token = useBlockingQuery(creating ? null : `acl-token:${dc}:${id}`, (_i, signal) => fetchToken(dc, id, { signal }), { once: true });
  const links = useAclLinks(dc);
  const canWrite = useAclWrite(dc);
  const crumbs = [{ label: 'Tokens', href: aclHref(dc, 'tokens') }];
  const form = (t: Parameters<typeof TokenForm>[0]['token']) => (
    <QueryView state={links} what="policies and roles">
      {(l) => (canWrite === undefined ? <Loading what="permissions" /> : <TokenForm dc={dc} token={t} policies={l.policies} roles={l.roles} canWrite={canWrite} />)}
    </QueryView>
  );
  return (
    <>
      <PageHeader title={creating ? 'New Token' : 'Edit Token'} crumbs={crumbs} />
      <AclTabs dc={dc} current="tokens" />
      {creating ? form(null) : <QueryView state={token} what="the token">{(t) => form(t)}</QueryView>}
    </>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="the token" />}>
      <TokenPage />
    </Suspense>
  );
}
