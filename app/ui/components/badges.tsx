/** Small pills: tags, kinds, sources, the leader badge. */
import type { ReactNode } from 'react';

const TONES = {
  neutral: 'bg-none-soft text-fg-muted border-line',
  action: 'bg-action-soft text-action border-action-line',
  brand: 'bg-brand/10 text-brand border-brand/30',
  ok: 'bg-ok-soft text-ok border-ok-line',
  warn: 'bg-warn-soft text-warn border-warn-line',
  bad: 'bg-bad-soft text-bad border-bad-line',
} as const;

/** A rounded label. */
export function Badge({ children, tone = 'neutral', title }: { children: ReactNode; tone?: keyof typeof TONES; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center rounded border px-1.5 py-px text-xs font-medium whitespace-nowrap ${TONES[tone]}`}>
      {children}
    </span>
  );
}

/** A service's tags, truncated after `max` with a count of the rest. */
export function TagList({ tags, max = 6 }: { tags: readonly string[] | null | undefined; max?: number }) {
  const list = tags ?? [];
  if (list.length === 0) return null;
  const shown = list.slice(0, max);
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span className="sr-only">Tags:</span>
      {shown.map((t) => (
        <Badge key={t}>{t}</Badge>
      ))}
      {list.length > max && <span className="text-xs text-fg-faint">+{list.length - max} more</span>}
    </span>
  );
}
