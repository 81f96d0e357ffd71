/** Health checks with their output, as on Consul's instance and node pages. */
import { sortChecks } from '../lib/health.ts';
import type { HealthCheck } from '../lib/types.ts';
import { Badge } from './badges.tsx';
import { Empty } from './states.tsx';
import { StatusIcon, statusLabel } from './status-icon.tsx';

function CheckItem({ check }: { check: HealthCheck }) {
  return (
    <li className="rounded-md border border-line bg-surface p-4" data-check-id={check.CheckID} data-status={check.Status}>
      <div className="flex flex-wrap items-center gap-2">
        <StatusIcon status={check.Status} label={false} />
        <span className="font-semibold">{check.Name}</span>
        <span className="text-sm text-fg-faint">{statusLabel(check.Status)}</span>
        {check.Type !== '' && <Badge>{check.Type}</Badge>}
        {check.ServiceName !== '' && <Badge tone="action">{check.ServiceName}</Badge>}
      </div>
      <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-fg-faint">CheckID</dt>
        <dd className="break-all font-mono text-xs leading-5">{check.CheckID}</dd>
        {check.Notes !== '' && (
          <>
            <dt className="text-fg-faint">Notes</dt>
            <dd>{check.Notes}</dd>
          </>
        )}
        {check.Interval && (
          <>
            <dt className="text-fg-faint">Interval</dt>
            <dd>{check.Interval}</dd>
          </>
        )}
      </dl>
      <div className="mt-2">
        <p className="text-sm text-fg-faint">Output</p>
        <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-nav-raised px-3 py-2 font-mono text-xs text-nav-fg-strong">
          {check.Output === '' ? '(no output)' : check.Output}
        </pre>
      </div>
    </li>
  );
}

/** All checks, worst first; an explanation when there are none. */
export function CheckList({ checks, emptyText }: { checks: readonly HealthCheck[]; emptyText: string }) {
  if (checks.length === 0) return <Empty title="No health checks">{emptyText}</Empty>;
  return (
    <ul className="space-y-3">
      {sortChecks(checks).map((c) => (
        <CheckItem key={`${c.Node}/${c.CheckID}`} check={c} />
      ))}
    </ul>
  );
}
