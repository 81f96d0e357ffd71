'use client';
/**
 * The dashboard frame like Consul's: a dark left navigation (datacenter switcher, Services, Nodes,
 * Key/Value, Access Controls when ACLs are on and the token may read them, Log in/out, Settings) and the page on the right. Below `md` the navigation
 * folds into a top bar with a menu button.
 */
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { fetchDatacenters } from '../lib/endpoints.ts';
import { useBlockingQuery } from '../lib/use-blocking-query.ts';
import { AuthProvider, useAuth } from './auth-provider.tsx';
import { ConsulLogo } from './logo.tsx';

/** The section of a `/ui/:dc/<section>/…` path, used to keep the section when switching DC. */
export function sectionOf(pathname: string): string {
  const parts = pathname.split('/');
  return parts[3] ?? 'services';
}

function DatacenterSwitcher({ dc }: { dc: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const id = useId();
  const dcs = useBlockingQuery('datacenters', (_i, signal) => fetchDatacenters(signal), { intervalMs: 30_000 });
  const list = dcs.data ?? [];
  const options = list.includes(dc) ? list : [dc, ...list];
  return (
    <div className="px-3">
      <label htmlFor={id} className="block px-1 pb-1 text-xs font-medium uppercase tracking-wide text-nav-fg">
        Datacenter
      </label>
      <select
        id={id}
        value={dc}
        onChange={(e) => router.push(`/ui/${encodeURIComponent(e.target.value)}/${sectionOf(pathname)}`)}
        className="w-full rounded border border-nav-hover bg-nav-raised px-2 py-1.5 text-sm text-nav-fg-strong"
        data-testid="dc-switcher"
      >
        {options.map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </select>
    </div>
  );
}

function NavLink({ href, active, children }: { href: string; active: boolean; children: ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      className={`block rounded px-3 py-1.5 text-sm font-medium ${
        active ? 'bg-nav-hover text-nav-fg-strong' : 'text-nav-fg hover:bg-nav-raised hover:text-nav-fg-strong'
      }`}
    >
      {children}
    </Link>
  );
}

function Navigation({ dc }: { dc: string }) {
  const pathname = usePathname();
  const section = sectionOf(pathname);
  const auth = useAuth();
  const base = `/ui/${encodeURIComponent(dc)}`;
  return (
    <nav aria-label="Main" className="flex flex-1 flex-col gap-4 py-4">
      <DatacenterSwitcher dc={dc} />
      <ul className="space-y-0.5 px-3">
        <li>
          <NavLink href={`${base}/services`} active={section === 'services'}>
            Services
          </NavLink>
        </li>
        <li>
          <NavLink href={`${base}/nodes`} active={section === 'nodes'}>
            Nodes
          </NavLink>
        </li>
        <li>
          <NavLink href={`${base}/kv`} active={section === 'kv'}>
            Key/Value
          </NavLink>
        </li>
        {auth?.aclsEnabled === true && auth.canReadAcls === true && (
          <li>
            <NavLink href={`${base}/acls/tokens`} active={section === 'acls'}>
              Access Controls
            </NavLink>
          </li>
        )}
      </ul>
      <ul className="mt-auto space-y-0.5 border-t border-nav-raised px-3 pt-4">
        <AuthNavItem />
        <li>
          <NavLink href={`/ui/setting?dc=${encodeURIComponent(dc)}`} active={false}>
            Settings
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}

/** "Log in" when ACLs are on and no valid token is saved; else who is logged in and "Log out". */
function AuthNavItem() {
  const auth = useAuth();
  if (auth?.aclsEnabled !== true || auth.self === undefined) return null;
  const button = 'block w-full rounded px-3 py-1.5 text-left text-sm font-medium text-nav-fg hover:bg-nav-raised hover:text-nav-fg-strong';
  if (auth.self === null) {
    return (
      <li>
        <button type="button" onClick={auth.openLogin} className={button} data-testid="nav-login">
          Log in
        </button>
      </li>
    );
  }
  return (
    <li>
      <p className="truncate px-3 pb-1 text-xs text-nav-fg" title={auth.self.AccessorID} data-testid="nav-token">
        Token: {auth.self.Description === '' ? auth.self.AccessorID.slice(0, 8) : auth.self.Description}
      </p>
      <button type="button" onClick={auth.logout} className={button} data-testid="nav-logout">
        Log out
      </button>
    </li>
  );
}

/** The frame around every datacenter page, inside the login state for that datacenter. */
export function Shell({ dc, children }: { dc: string; children: ReactNode }) {
  return (
    <AuthProvider dc={dc}>
      <Frame dc={dc}>{children}</Frame>
    </AuthProvider>
  );
}

function Frame({ dc, children }: { dc: string; children: ReactNode }) {
  const auth = useAuth();
  const epoch = auth?.epoch ?? 0;
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  // Close the folded menu after navigating.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect runs because the path changed
  useEffect(() => setOpen(false), [pathname]);
  return (
    <div className="min-h-screen md:flex">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-surface focus:p-2">
        Skip to content
      </a>
      <aside className="bg-nav text-nav-fg md:sticky md:top-0 md:flex md:h-screen md:w-56 md:shrink-0 md:flex-col">
        <div className="flex items-center gap-2 px-4 py-3 md:py-4">
          <Link href={`/ui/${encodeURIComponent(dc)}/services`} className="flex items-center gap-2 text-nav-fg-strong">
            <ConsulLogo className="h-6 w-6 text-brand" />
            <span className="text-lg font-semibold tracking-tight">Consul</span>
          </Link>
          <button
            type="button"
            className="ml-auto rounded border border-nav-hover px-2 py-1 text-sm md:hidden"
            aria-expanded={open}
            aria-controls="main-nav"
            onClick={() => setOpen((o) => !o)}
          >
            Menu
          </button>
        </div>
        <div id="main-nav" className={`${open ? 'flex' : 'hidden'} flex-1 flex-col md:flex`}>
          <Navigation key={epoch} dc={dc} />
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-8">
        {/* Keyed by the login epoch: logging in or out remounts the page, so it re-requests with the new token. */}
        <div key={epoch} className="mx-auto max-w-6xl">
          {children}
        </div>
      </main>
    </div>
  );
}
