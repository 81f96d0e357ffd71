'use client';
/**
 * `/ui/`: picks the datacenter. With one datacenter, or when the agent names its own, it goes
 * straight there (as Consul does); otherwise it lists them.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { ConsulLogo } from './components/logo.tsx';
import { ErrorState, Loading } from './components/states.tsx';
import type { ConsulResult } from './lib/api.ts';
import { pickDatacenter } from './lib/datacenters.ts';
import { fetchAgentSelf, fetchDatacenters } from './lib/endpoints.ts';
import { useBlockingQuery } from './lib/use-blocking-query.ts';

async function loadChoice(signal: AbortSignal): Promise<ConsulResult<{ dcs: string[]; local?: string }>> {
  const dcs = await fetchDatacenters(signal);
  // agent/self may be denied by ACLs; the list alone still works.
  const local = await fetchAgentSelf(signal).then(
    (r) => r.data?.Config?.Datacenter,
    () => undefined,
  );
  return { ...dcs, data: { dcs: dcs.data ?? [], local } };
}

export default function DatacenterPicker() {
  const router = useRouter();
  const state = useBlockingQuery('dc-choice', (_i, signal) => loadChoice(signal));
  const choice = state.data ? pickDatacenter(state.data.dcs, state.data.local) : null;
  useEffect(() => {
    if (choice !== null) router.replace(`/ui/${encodeURIComponent(choice)}/services`);
  }, [choice, router]);
  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <div className="mb-8 flex items-center gap-2">
        <ConsulLogo className="h-8 w-8 text-brand" />
        <span className="text-2xl font-semibold">Consul</span>
      </div>
      {state.data === undefined && state.error ? <ErrorState error={state.error} retryInMs={state.retryInMs} onRetry={state.refresh} /> : null}
      {state.data === undefined && !state.error && <Loading what="datacenters" />}
      {state.data && choice !== null && <Loading what={`datacenter ${choice}`} />}
      {state.data && choice === null && (
        <section>
          <h1 className="mb-4 text-xl font-semibold">Choose a datacenter</h1>
          {state.data.dcs.length === 0 ? (
            <p className="text-fg-faint">This agent knows no datacenters yet.</p>
          ) : (
            <ul className="overflow-hidden rounded-md border border-line bg-surface">
              {state.data.dcs.map((dc) => (
                <li key={dc} className="border-t border-line first:border-t-0">
                  <Link href={`/ui/${encodeURIComponent(dc)}/services`} className="block px-4 py-3 text-action hover:bg-canvas">
                    {dc}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </main>
  );
}
