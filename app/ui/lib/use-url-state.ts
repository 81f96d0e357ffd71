'use client';
/**
 * List-view state kept in the URL query (Consul UI's `filter`, `status`, `sort` … params), so a
 * filtered view is a deep link that survives reload.
 */
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/** Reads a comma-separated list param. */
export function listParam(params: URLSearchParams, name: string): string[] {
  const raw = params.get(name);
  return raw === null || raw === '' ? [] : raw.split(',').filter((v) => v !== '');
}

/** The current query and a setter that replaces some params (empty value = remove). */
export function useUrlState(): [URLSearchParams, (changes: Record<string, string | string[] | null>) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const update = useCallback(
    (changes: Record<string, string | string[] | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [name, value] of Object.entries(changes)) {
        const v = Array.isArray(value) ? value.join(',') : value;
        if (v === null || v === '') next.delete(name);
        else next.set(name, v);
      }
      const query = next.toString();
      // The native History API: Next syncs useSearchParams with it without a server round trip
      // (router.replace would re-request the page's payload on every keystroke).
      window.history.replaceState(null, '', query === '' ? pathname : `${pathname}?${query}`);
    },
    [params, pathname],
  );
  return [new URLSearchParams(params.toString()), update];
}
