/** The Tokens / Policies / Roles tabs of `/ui/:dc/acls/*`, each a route as in Consul's UI. */
import { Tabs } from '../tabs.tsx';

export type AclSection = 'tokens' | 'policies' | 'roles';

/** Href of an ACL page: `/ui/:dc/acls/<section>[/<id>]`. */
export function aclHref(dc: string, section: AclSection, id?: string): string {
  return `/ui/${encodeURIComponent(dc)}/acls/${section}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
}

export function AclTabs({ dc, current }: { dc: string; current: AclSection }) {
  const tabs = (['tokens', 'policies', 'roles'] as const).map((id) => ({ id, label: id[0]?.toUpperCase() + id.slice(1), href: aclHref(dc, id) }));
  return <Tabs tabs={tabs} current={current} label="Access Controls" />;
}
