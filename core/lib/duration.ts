/**
 * Go's `time.Duration` text form, which Consul uses everywhere: request bodies (`"10s"`), query
 * parameters (`?wait=60000ms`), config files and JSON output (`"Interval": "10s"`). Durations are
 * carried as nanoseconds in a bigint-free number when they fit (every realistic Consul duration
 * does: 2^53 ns is 104 days) and printed exactly as Go prints them.
 */

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** The error Go's `time.ParseDuration` reports, in its words. */
export class DurationError extends Error {}

/**
 * Parses a Go duration string (`"300ms"`, `"-1.5h"`, `"2h45m"`) into nanoseconds.
 * Throws DurationError with Go's message (`time: invalid duration "x"`) on bad input.
 */
export function parseGoDuration(text: string): number {
  const invalid = () => new DurationError(`time: invalid duration "${text}"`);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  const part = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  while (s.length > 0) {
    if (/^\d*\.?\d*$/.test(s) && /\d/.test(s)) throw new DurationError(`time: missing unit in duration "${text}"`);
    const m = part.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw invalid();
    const unit = UNIT_NS[m[3] ?? ''];
    if (unit === undefined) throw new DurationError(`time: unknown unit "${m[3]}" in duration "${text}"`);
    const whole = Number(m[1] || '0');
    const frac = m[2] ? Number(`0.${m[2]}`) : 0;
    total += whole * unit + Math.round(frac * unit);
    s = s.slice(m[0].length);
  }
  if (!Number.isSafeInteger(total)) throw invalid();
  return sign * total;
}

/** Formats nanoseconds as Go's `Duration.String()` does: `1h0m0s`, `1m30s`, `1.5s`, `500ms`, `0s`. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(Math.trunc(ns));
  const sign = neg ? '-' : '';
  if (u < 1e9) {
    // Sub-second: the largest unit that keeps a non-zero integer part.
    if (u < 1e3) return `${sign}${u}ns`;
    if (u < 1e6) return `${sign}${trimFraction(u, 1e3)}µs`;
    return `${sign}${trimFraction(u, 1e6)}ms`;
  }
  const hours = Math.floor(u / 3600e9);
  u -= hours * 3600e9;
  const minutes = Math.floor(u / 60e9);
  u -= minutes * 60e9;
  let out = `${trimFraction(u, 1e9)}s`;
  if (hours > 0 || minutes > 0) out = `${minutes}m${out}`;
  if (hours > 0) out = `${hours}h${out}`;
  return sign + out;
}

/** `value / unit` with Go's fraction printing: no trailing zeros, no trailing dot. */
function trimFraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value - whole * unit;
  if (rest === 0) return String(whole);
  const digits = String(unit).length - 1;
  const frac = String(rest).padStart(digits, '0').replace(/0+$/, '');
  return `${whole}.${frac}`;
}

/**
 * A duration field in a Consul request body: a Go duration string or a number of nanoseconds.
 * Returns nanoseconds; throws DurationError for a bad string.
 */
export function durationFromJson(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string') return parseGoDuration(value);
  if (value === null || value === undefined) return 0;
  throw new DurationError(`time: invalid duration ${JSON.stringify(value)}`);
}

/** Milliseconds to nanoseconds, and back. */
export const msToNs = (ms: number): number => Math.round(ms * 1e6);
export const nsToMs = (ns: number): number => ns / 1e6;
