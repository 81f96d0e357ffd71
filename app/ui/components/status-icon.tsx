/** Health status glyphs (inline SVG, no icon font) with a text label for screen readers. */
import type { Status } from '../lib/health.ts';

const LABEL: Record<Status, string> = {
  passing: 'Passing',
  warning: 'Warning',
  critical: 'Critical',
  empty: 'No health checks',
};

const COLOR: Record<Status, string> = {
  passing: 'text-ok',
  warning: 'text-warn',
  critical: 'text-bad',
  empty: 'text-none',
};

function Glyph({ status }: { status: Status }) {
  switch (status) {
    case 'passing':
      return <path d="M5 8.5l2 2 4-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />;
    case 'warning':
      return <path d="M8 4.5v4M8 11v.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />;
    case 'critical':
      return <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />;
    default:
      return <path d="M5 8h6" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />;
  }
}

/** A 16px status glyph; `label` false hides the accessible name when text is next to it. */
export function StatusIcon({ status, label = true, className = '' }: { status: Status; label?: boolean; className?: string }) {
  return (
    <svg
      viewBox="0 0 16 16"
      className={`inline-block h-4 w-4 shrink-0 ${COLOR[status]} ${className}`}
      role={label ? 'img' : undefined}
      aria-label={label ? LABEL[status] : undefined}
      aria-hidden={label ? undefined : true}
    >
      <circle cx="8" cy="8" r="7" fill="currentColor" opacity="0.14" />
      <Glyph status={status} />
    </svg>
  );
}

/** The status word as shown next to icons. */
export function statusLabel(status: Status): string {
  return LABEL[status];
}
