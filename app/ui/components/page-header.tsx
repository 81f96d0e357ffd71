/** A page's title row with optional breadcrumbs, badges and actions. */
import Link from 'next/link';
import type { ReactNode } from 'react';

export function PageHeader({
  title,
  crumbs = [],
  badges,
  actions,
}: {
  title: ReactNode;
  crumbs?: { label: string; href: string }[];
  badges?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="mb-6">
      {crumbs.length > 0 && (
        <nav aria-label="Breadcrumb" className="mb-1 text-sm">
          <ol className="flex flex-wrap items-center gap-1 text-fg-faint">
            {crumbs.map((c) => (
              <li key={c.href} className="flex items-center gap-1">
                <Link href={c.href} className="hover:text-action hover:underline">
                  {c.label}
                </Link>
                <span aria-hidden>/</span>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="min-w-0 break-all text-2xl font-semibold text-fg">{title}</h1>
        {badges}
        {actions && <div className="ml-auto flex items-center gap-2">{actions}</div>}
      </div>
    </header>
  );
}
