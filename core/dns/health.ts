/**
 * Health filtering and SRV weights for service instances (Consul's CheckServiceNodes.Filter and
 * findWeight).
 */
import type { DnsServiceEntry } from './catalog.ts';

/**
 * True when DNS should return the instance: no check is critical, and with `onlyPassing` every
 * check is passing. (Maintenance mode registers a critical check, so those instances disappear.)
 */
export function isHealthy(entry: DnsServiceEntry, onlyPassing: boolean): boolean {
  for (const check of entry.Checks) {
    if (check.Status === 'critical') return false;
    if (onlyPassing && check.Status !== 'passing') return false;
  }
  return true;
}

/**
 * SRV weight: `Weights.Warning` when any check is warning, else `Weights.Passing` (1/1 by default);
 * an unknown status gives 1, as in Consul.
 */
export function srvWeight(entry: DnsServiceEntry): number {
  const w = entry.Service.Weights ?? { Passing: 1, Warning: 1 };
  for (const check of entry.Checks) {
    if (check.Status === 'passing') continue;
    if (check.Status === 'warning') return clampWeight(w.Warning);
    if (check.Status !== 'critical') return 1;
  }
  return clampWeight(w.Passing);
}

function clampWeight(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(65535, Math.floor(n))) : 1;
}
