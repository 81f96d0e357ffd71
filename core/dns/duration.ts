import { parseGoDuration } from '../lib/duration.ts';

/**
 * Whole seconds in a Go duration string, as prepared queries store `DNS.TTL` (rounded down; DNS
 * TTLs are whole seconds, negative ones count as 0). Throws RangeError for text Go's
 * time.ParseDuration would reject, which the lookups turn into "no TTL override".
 */
export function parseGoDurationSeconds(text: string): number {
  let ns: number;
  try {
    ns = parseGoDuration(text);
  } catch {
    throw new RangeError(`invalid duration '${text}'`);
  }
  return Math.max(0, Math.floor(ns / 1e9 + 1e-9));
}
