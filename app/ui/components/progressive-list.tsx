'use client';
/**
 * Renders a long list in pages of `step` rows: the first page at once, more as the end scrolls
 * into view (or "Show more" is pressed, for keyboards). 5,000 services render as 200 rows first,
 * so the page is interactive quickly without a virtual-scroll library.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';

export function ProgressiveList<T>({
  items,
  render,
  label,
  step = 200,
}: {
  items: readonly T[];
  render: (item: T) => ReactNode;
  label: string;
  step?: number;
}) {
  const [limit, setLimit] = useState(step);
  const sentinel = useRef<HTMLDivElement>(null);
  const more = items.length > limit;
  useEffect(() => {
    if (!more || sentinel.current === null || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setLimit((l) => l + step);
    });
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, [more, step]);
  return (
    <>
      <ul className="overflow-hidden rounded-md border border-line bg-surface" aria-label={label}>
        {items.slice(0, limit).map(render)}
      </ul>
      {more && (
        <div ref={sentinel} className="mt-3 flex items-center gap-3 text-sm text-fg-faint">
          Showing {limit} of {items.length}.
          <button type="button" onClick={() => setLimit((l) => l + step)} className="rounded border border-line-strong bg-surface px-3 py-1 font-medium text-fg hover:bg-canvas">
            Show more
          </button>
        </div>
      )}
    </>
  );
}
