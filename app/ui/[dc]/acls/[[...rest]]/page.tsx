'use client';
/**
 * `/ui/:dc/acls/*` (shown in the navigation only when ACLs are enabled): the token the dashboard
 * currently sends, from `/v1/acl/token/self`. Token, policy and role management is the ACL
 * issue's; this page is where it plugs in.
 */
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { Badge } from '../../../components/badges.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryView } from '../../../components/states.tsx';
import { fetchTokenSelf } from '../../../lib/endpoints.ts';
import { useBlockingQuery } from '../../../lib/use-blocking-query.ts';

function names(list: { Name?: string; ServiceName?: string; NodeName?: string }[] | null | undefined): string {
  const all = (list ?? []).map((x) => x.Name ?? x.ServiceName ?? x.NodeName ?? '').filter((x) => x !== '');
  return all.length === 0 ? 'none' : all.join(', ');
}

export default function AclPage() {
  const { dc } = useParams<{ dc: string }>();
  const self = useBlockingQuery(`acl-self:${dc}`, (_i, signal) => fetchTokenSelf(dc, signal), { once: true });
  return (
    <>
      <PageHeader title="Access Controls" />
      <QueryView state={self} what="your token">
        {(token) =>
          token === null ? null : (
            <section className="rounded-md border border-line bg-surface p-5" aria-label="Current token">
              <h2 className="mb-3 flex items-center gap-2 font-semibold">
                Your token {token.Local && <Badge>local</Badge>}
              </h2>
              <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
                <dt className="text-fg-faint">AccessorID</dt>
                <dd className="break-all font-mono text-xs leading-5">{token.AccessorID}</dd>
                <dt className="text-fg-faint">Description</dt>
                <dd>{token.Description === '' ? '(none)' : token.Description}</dd>
                <dt className="text-fg-faint">Policies</dt>
                <dd>{names(token.Policies)}</dd>
                <dt className="text-fg-faint">Roles</dt>
                <dd>{names(token.Roles)}</dd>
                <dt className="text-fg-faint">Service identities</dt>
                <dd>{names(token.ServiceIdentities)}</dd>
                <dt className="text-fg-faint">Node identities</dt>
                <dd>{names(token.NodeIdentities)}</dd>
              </dl>
              <p className="mt-4 text-sm text-fg-muted">
                Use another token in{' '}
                <Link href={`/ui/setting?dc=${encodeURIComponent(dc)}`} className="text-action hover:underline">
                  Settings
                </Link>
                .
              </p>
            </section>
          )
        }
      </QueryView>
    </>
  );
}
