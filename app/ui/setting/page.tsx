'use client';
/**
 * `/ui/setting`: live updates (blocking queries) on or off, and the ACL token the dashboard sends
 * as `X-Consul-Token` (saved unchecked here; the navigation's "Log in" checks it with token/self first).
 */
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { type FormEvent, Suspense, useEffect, useId, useState } from 'react';
import { ConsulLogo } from '../components/logo.tsx';
import { Loading } from '../components/states.tsx';
import { getBlocking, getToken, setBlocking, setToken } from '../lib/settings.ts';

function Settings() {
  const params = useSearchParams();
  const dc = params.get('dc');
  const blockingId = useId();
  const tokenId = useId();
  const [blocking, setBlockingState] = useState(true);
  const [token, setTokenState] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  // localStorage exists only in the browser: read after mount.
  useEffect(() => {
    setBlockingState(getBlocking());
    setTokenState(getToken());
  }, []);
  const saveToken = (e: FormEvent) => {
    e.preventDefault();
    setToken(token);
    setSaved(token.trim() === '' ? 'Token removed: requests use the agent’s default token.' : 'Token saved: every request now sends it.');
  };
  return (
    <main className="mx-auto max-w-2xl px-6 py-10">
      <div className="mb-6 flex items-center gap-2">
        <ConsulLogo className="h-7 w-7 text-brand" />
        <h1 className="text-2xl font-semibold">Settings</h1>
        {dc && (
          <Link href={`/ui/${encodeURIComponent(dc)}/services`} className="ml-auto text-sm text-action hover:underline">
            ← Back to {dc}
          </Link>
        )}
      </div>
      <section className="mb-6 rounded-md border border-line bg-surface p-5">
        <h2 className="mb-2 font-semibold">Blocking queries</h2>
        <label htmlFor={blockingId} className="flex items-start gap-3">
          <input
            id={blockingId}
            type="checkbox"
            checked={blocking}
            onChange={(e) => {
              setBlocking(e.target.checked);
              setBlockingState(e.target.checked);
            }}
            className="mt-1 accent-action"
          />
          <span className="text-sm text-fg-muted">
            Keep pages up to date as the catalog changes (long-polling with blocking queries). Turn off to load each page once; reload to see changes.
          </span>
        </label>
      </section>
      <form onSubmit={saveToken} className="rounded-md border border-line bg-surface p-5">
        <h2 className="mb-2 font-semibold">ACL token</h2>
        <label htmlFor={tokenId} className="mb-1 block text-sm text-fg-muted">
          Secret ID sent as <code className="font-mono text-xs">X-Consul-Token</code> with every request. Leave empty to use the agent’s default token.
        </label>
        <input
          id={tokenId}
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setTokenState(e.target.value)}
          className="w-full rounded border border-line-strong px-3 py-1.5 font-mono text-sm"
        />
        <button type="submit" className="mt-3 rounded bg-action px-4 py-1.5 text-sm font-medium text-white hover:bg-action-hover">
          Save token
        </button>
        {saved && (
          <p role="status" className="mt-2 text-sm text-ok">
            {saved}
          </p>
        )}
      </form>
    </main>
  );
}

export default function Page() {
  return (
    <Suspense fallback={<Loading what="settings" />}>
      <Settings />
    </Suspense>
  );
}
