/**
 * Health summaries as Consul's UI shows them: counts of passing/warning/critical checks and one
 * overall status, the worst one present (`empty` when there are no checks at all).
 */
import { compareNames } from './compare.ts';
import type { HealthCheck, HealthStatus, ServiceListingSummary } from './types.ts';

/** Overall status of a set of checks; `empty` = no checks registered. */
export type Status = HealthStatus | 'empty';

/** Check counts by status. */
export interface HealthCounts {
  passing: number;
  warning: number;
  critical: number;
}

/** Counts checks by status (unknown statuses count as critical: never hide trouble). */
export function countChecks(checks: readonly HealthCheck[] | null | undefined): HealthCounts {
  const counts: HealthCounts = { passing: 0, warning: 0, critical: 0 };
  for (const check of checks ?? []) {
    if (check.Status === 'passing') counts.passing += 1;
    else if (check.Status === 'warning') counts.warning += 1;
    else counts.critical += 1;
  }
  return counts;
}

/** The worst status among counts: critical > warning > passing > empty. */
export function statusOfCounts(counts: HealthCounts): Status {
  if (counts.critical > 0) return 'critical';
  if (counts.warning > 0) return 'warning';
  if (counts.passing > 0) return 'passing';
  return 'empty';
}

/** Overall status of a list of checks. */
export function statusOfChecks(checks: readonly HealthCheck[] | null | undefined): Status {
  return statusOfCounts(countChecks(checks));
}

/** Counts of a services-list entry. */
export function serviceCounts(service: ServiceListingSummary): HealthCounts {
  return { passing: service.ChecksPassing, warning: service.ChecksWarning, critical: service.ChecksCritical };
}

/** Overall status of a services-list entry. */
export function serviceStatus(service: ServiceListingSummary): Status {
  return statusOfCounts(serviceCounts(service));
}

/** Sort rank: worst first (critical 0 … empty 3). */
export function statusRank(status: Status): number {
  return { critical: 0, warning: 1, passing: 2, empty: 3 }[status];
}

/** Splits checks into node-level ones (no ServiceID) and the service's own. */
export function splitChecks(checks: readonly HealthCheck[] | null | undefined): { node: HealthCheck[]; service: HealthCheck[] } {
  const node: HealthCheck[] = [];
  const service: HealthCheck[] = [];
  for (const check of checks ?? []) (check.ServiceID === '' ? node : service).push(check);
  return { node, service };
}

/** Orders checks worst first, then by name, for display. */
export function sortChecks(checks: readonly HealthCheck[]): HealthCheck[] {
  return [...checks].sort(
    (a, b) => statusRank(a.Status) - statusRank(b.Status) || compareNames(a.Name, b.Name) || compareNames(a.CheckID, b.CheckID),
  );
}
