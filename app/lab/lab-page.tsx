'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { LabApp, type LabRequest, requestFromParams } from '../../lab/views/lab-app.tsx';

/** Reads the cluster from the URL and runs it; bad parameters get a clear message, not a broken lab. */
export function LabPage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const query = params.toString();
  const parsed = useMemo((): { ok: LabRequest } | { error: string } => {
    try {
      return { ok: requestFromParams(new URLSearchParams(query)) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }, [query]);
  const navigate = (q: string) => router.push(`${pathname}?${q}`);
  if ('error' in parsed) {
    return (
      <div className="mx-auto mt-16 max-w-lg rounded-xl border border-red-200 bg-white p-6 shadow-sm" role="alert">
        <h1 className="text-lg font-semibold text-red-700">This lab URL cannot start a cluster</h1>
        <p className="mt-2 text-sm text-slate-700">{parsed.error}</p>
        <a href="/lab" className="mt-4 inline-block text-sm font-semibold text-[#1060ff] hover:underline">
          Start the default lab
        </a>
      </div>
    );
  }
  return <LabApp key={parsed.ok.key} request={parsed.ok} navigate={navigate} />;
}
