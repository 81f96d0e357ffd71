/** Passing / warning / critical check counts, as in Consul's services list. */
import type { HealthCounts } from '../lib/health.ts';
import { StatusIcon } from './status-icon.tsx';

/** Renders the non-zero counts, or "No health checks" when all are zero. */
export function HealthSummary({ counts }: { counts: HealthCounts }) {
  const items = (['passing', 'warning', 'critical'] as const).filter((s) => counts[s] > 0);
  if (items.length === 0) {
    return (
      <span className="inline-flex items-center gap-1 text-sm text-fg-faint">
        <StatusIcon status="empty" label={false} /> No health checks
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-3 text-sm">
      {items.map((s) => (
        <span key={s} className="inline-flex items-center gap-1" title={`${counts[s]} ${s} check${counts[s] === 1 ? '' : 's'}`}>
          <StatusIcon status={s} label={false} />
          <span className="tabular-nums">{counts[s]}</span>
          <span className="sr-only">{s}</span>
        </span>
      ))}
    </span>
  );
}
