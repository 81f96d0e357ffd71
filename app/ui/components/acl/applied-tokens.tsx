'use client';
/** "Applied to these tokens": the tokens linked to a policy or role (`/v1/acl/tokens?policy=|role=`). */
import Link from 'next/link';
import { fetchTokens } from '../../lib/acl-endpoints.ts';
import { useBlockingQuery } from '../../lib/use-blocking-query.ts';
import { QueryView } from '../states.tsx';
import { aclHref } from './acl-tabs.tsx';

export function AppliedTokens({ dc, policy, role }: { dc: string; policy?: string; role?: string }) {
  const state = useBlockingQuery(`acl-applied:${dc}:${policy ?? ''}:${role ?? ''}`, (index, signal) => fetchTokens(dc, { index, signal, policy, role }));
  return (
    <section aria-label="Applied to these tokens" className="rounded-md border border-line bg-surface p-4">
      <h2 className="mb-2 font-semibold">Applied to these tokens</h2>
      <QueryView state={state} what="tokens">
        {(tokens) =>
          (tokens ?? []).length === 0 ? (
            <p className="text-sm text-fg-faint">No token uses this {policy === undefined ? 'role' : 'policy'} directly.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {(tokens ?? []).map((t) => (
                <li key={t.AccessorID}>
                  <Link href={aclHref(dc, 'tokens', t.AccessorID)} prefetch={false} className="font-mono text-xs text-action hover:underline">
                    {t.AccessorID}
                  </Link>{' '}
                  <span className="text-fg-muted">{t.Description}</span>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
