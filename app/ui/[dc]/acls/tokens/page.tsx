'use client';
/** `/ui/:dc/acls/tokens`: every token with its policies and roles, "Your token" marked. */
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { Suspense } from 'react';
import { AclTabs, aclHref } from '../../../components/acl/acl-tabs.tsx';
import { LinkBadges } from '../../../components/acl/link-badges.tsx';
import { useAuth } from '../../../components/auth-provider.tsx';
import { Badge } from '../../../components/badges.tsx';
import { FilterBar, SearchInput } from '../../../components/filter-bar.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Empty, Loading, QueryView } from '../../../components/states.tsx';
import { fetchTokens } from '../../../lib/acl-endpoints.ts';
import type { AclToken } from '../../../lib/acl-types.ts';
import { canWriteAcls, selectTokens, type TokenRow } from '../../../lib/acl-view.ts';
import { useBlockingQuery } from '../../../lib/use-blocking-query.ts';
import { useUrlState } from '../../../lib/use-url-state.ts';

const BUILT_IN_LABEL = { anonymous: 'Anonymous token', management: 'Management' } as const;

function TokenItem({ dc, row }: { dc: string; row: TokenRow }) {
  return (
    <li className="border-t border-line px-4 py-3 first:border-t-0" data-token={row.accessor}>
      <div className="flex flex-wrap items-center gap-2">
        <Link href={aclHref(dc, 'tokens', row.accessor)} prefetch={false} className="font-mono text-sm font-semibold text-action hover:underline">
          {row.accessor}
        </Link>
        {row.yours && <Badge tone="ok">Your token</Badge>}
        {row.builtIn && <Badge tone={row.builtIn === 'management' ? 'brand' : 'neutral'}>{BUILT_IN_LABEL[row.builtIn]}</Badge>}
        <Badge title="Scope">{row.scope}</Badge>
      </div>
      <p className="mt-1 text-sm text-fg-muted">{row.description === '' ? <span className="text-fg-faint">(no description)</span> : row.description}</p>
      <div className="mt-1">
        <LinkBadges dc={dc} badges={row.badges} />
      </div>
    </li>
  );
}

function TokenList({ dc, tokens }: { dc: string; tokens: AclToken[] }) {
  const [params, setParams] = useUrlState();
  const auth = useAuth();
  const text = params.get('filter') ?? '';
  const rows = selectTokens(tokens, text, auth?.self?.AccessorID ?? '');
  return (
    <>
      <FilterBar>
        <SearchInput value={text} onChange={(v) => setParams({ filter: v })} placeholder="Search tokens" />
      </FilterBar>
      {rows.length === 0 ? (
        <Empty title="No tokens match">Change the search text.</Empty>
      ) : (
        <ul aria-label="Tokens" className="rounded-md border border-line bg-surface">
          {rows.map((r) => (
            <TokenItem key={r.accessor} dc={dc} row={r} />
          ))}
        </ul>
      )}
    </>
  );
}

function TokensPage() {
  const { dc } = useParams<{ dc: string }>();
  const state = useBlockingQuery(`acl-tokens:${dc}`, (index, signal) => fetchTokens(dc, { index, signal }));
  const create = canWriteAcls(state.data) ? (
    <Link href={aclHref(dc, 'tokens', 'create')} className="rounded bg-action px-4 py-1.5 text-sm font-medium text-white hover:bg-action-hover">
      Create
    </Link>
  ) : null;
  return (
    <>
      <PageHeader title="Tokens" actions={create} />
      <AclTabs dc={dc} current="tokens" />
      <QueryView state={state} what="tokens">
        {(data) => <TokenList dc={dc} tokens={data ?? []} />}
      </QueryView>
    </>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="tokens" />}>
      <TokensPage />
    </Suspense>
  );
}
