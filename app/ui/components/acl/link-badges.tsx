/** A token's or role's policies, roles and identities as badges linking to their pages. */
import Link from 'next/link';
import type { LinkBadge } from '../../lib/acl-view.ts';
import { Badge } from '../badges.tsx';
import { aclHref } from './acl-tabs.tsx';

const KIND_LABEL: Record<LinkBadge['kind'], string> = {
  policy: 'Policy',
  role: 'Role',
  'service-identity': 'Service identity',
  'node-identity': 'Node identity',
};

export function LinkBadges({ dc, badges }: { dc: string; badges: LinkBadge[] }) {
  if (badges.length === 0) return <span className="text-xs text-fg-faint">No policies or roles</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      {badges.map((b) => {
        const key = `${b.kind}:${b.id ?? b.name}`;
        const text = b.kind === 'role' ? `role: ${b.name}` : b.kind === 'policy' ? b.name : `${KIND_LABEL[b.kind].toLowerCase()}: ${b.name}`;
        const tone = b.management ? 'brand' : b.kind === 'role' ? 'action' : 'neutral';
        const href = b.id === undefined ? null : b.kind === 'policy' ? aclHref(dc, 'policies', b.id) : b.kind === 'role' ? aclHref(dc, 'roles', b.id) : null;
        return href === null ? (
          <Badge key={key} tone={tone} title={KIND_LABEL[b.kind]}>
            {text}
          </Badge>
        ) : (
          <Link key={key} href={href} prefetch={false} className="hover:opacity-80">
            <Badge tone={tone} title={KIND_LABEL[b.kind]}>
              {text}
            </Badge>
          </Link>
        );
      })}
    </span>
  );
}
