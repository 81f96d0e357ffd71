'use client';
/** The policies and roles a token or role form can pick from, loaded once per form. */
import { fetchPolicies, fetchRoles } from '../../lib/acl-endpoints.ts';
import { type BlockingQueryState, useBlockingQuery } from '../../lib/use-blocking-query.ts';
import type { PickOption } from './link-picker.tsx';

const option = (o: { ID: string; Name: string; Description: string }): PickOption => ({ id: o.ID, name: o.Name, description: o.Description });

export function useAclLinks(dc: string): BlockingQueryState<{ policies: PickOption[]; roles: PickOption[] }> {
  return useBlockingQuery(
    `acl-links:${dc}`,
    async (_i, signal) => {
      const [policies, roles] = await Promise.all([fetchPolicies(dc, { signal }), fetchRoles(dc, { signal })]);
      const byName = (a: PickOption, b: PickOption) => a.name.localeCompare(b.name);
      return { ...policies, data: { policies: (policies.data ?? []).map(option).sort(byName), roles: (roles.data ?? []).map(option).sort(byName) } };
    },
    { once: true },
  );
}
