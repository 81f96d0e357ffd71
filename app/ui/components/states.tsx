/** Loading, empty and error states with plain, specific text (403s become a login prompt). */
import type { ReactNode } from 'react';
import { ConsulError, describeError } from '../lib/errors.ts';
import { FilteredNotice, Forbidden } from './forbidden.tsx';

/** Shown until the first answer arrives. */
export function Loading({ what }: { what: string }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 py-12 text-fg-faint">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-line border-t-action motion-reduce:animate-none" aria-hidden />
      Loading {what}…
    </div>
  );
}

/** Shown when a list is empty (nothing registered, or nothing matches the filters). */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-line-strong bg-surface px-6 py-10 text-center">
      <p className="font-semibold text-fg">{title}</p>
      {children && <div className="mt-1 text-sm text-fg-faint">{children}</div>}
    </div>
  );
}

function retryText(retryInMs: number | null): string {
  return retryInMs === null ? '' : ` Retrying in ${Math.max(1, Math.round(retryInMs / 1000))} s.`;
}

/** A full error panel (no data to show). */
export function ErrorState({ error, retryInMs = null, onRetry }: { error: unknown; retryInMs?: number | null; onRetry?: () => void }) {
  // A 403 is not a failure to retry: the token lacks permission, so offer to log in instead.
  if (error instanceof ConsulError && error.kind === 'forbidden') return <Forbidden body={error.body.trim()} />;
  const text = describeError(error);
  return (
    <div role="alert" className="rounded-md border border-bad-line bg-bad-soft px-6 py-8">
      <h2 className="text-lg font-semibold text-bad">{text.title}</h2>
      <p className="mt-1 max-w-prose text-sm text-fg-muted">
        {text.detail}
        {retryText(retryInMs)}
      </p>
      {onRetry && (
        <button type="button" onClick={onRetry} className="mt-4 rounded border border-line-strong bg-surface px-3 py-1.5 text-sm font-medium hover:bg-canvas">
          Retry now
        </button>
      )}
    </div>
  );
}

/** A banner over data that may be stale because the live update failed. */
export function StaleBanner({ error, retryInMs }: { error: unknown; retryInMs: number | null }) {
  const text = describeError(error);
  return (
    <div role="alert" className="mb-4 flex items-start gap-2 rounded-md border border-warn-line bg-warn-soft px-4 py-2 text-sm">
      <span className="font-semibold text-warn">{text.title}.</span>
      <span className="text-fg-muted">
        Showing the last data received; live updates are paused.{retryText(retryInMs)}
      </span>
    </div>
  );
}

/**
 * Renders a query's states: error without data, loading, or the content (with a stale banner when
 * an update failed after data arrived).
 */
export function QueryView<T>({
  state,
  what,
  children,
}: {
  state: { data: T | undefined; error: unknown; retryInMs: number | null; loading: boolean; filtered?: boolean; refresh: () => void };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.data === undefined) {
    if (state.error) return <ErrorState error={state.error} retryInMs={state.retryInMs} onRetry={state.refresh} />;
    return <Loading what={what} />;
  }
  return (
    <>
      {state.error ? <StaleBanner error={state.error} retryInMs={state.retryInMs} /> : null}
      {state.filtered ? <FilteredNotice /> : null}
      {children(state.data)}
    </>
  );
}
