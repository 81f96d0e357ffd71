'use client';
/**
 * Whether the logged-in token may change ACLs. Consul's UI asks /v1/internal/acl/authorize; this
 * agent's answer is read from the token list instead, which reveals secrets only to acl:write
 * (lib/acl-view.ts canWriteAcls). undefined until known; false also when the list is refused.
 */
import { fetchTokens } from '../../lib/acl-endpoints.ts';
import { canWriteAcls } from '../../lib/acl-view.ts';
import { useBlockingQuery } from '../../lib/use-blocking-query.ts';

export function useAclWrite(dc: string): boolean | undefined {
  const tokens = useBlockingQuery(`acl-write:${dc}`, (_i, signal) => fetchTokens(dc, { signal }), { once: true });
  if (tokens.data !== undefined) return canWriteAcls(tokens.data);
  return tokens.error ? false : undefined;
}
