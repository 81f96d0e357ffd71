/**
 * Go's `time.ParseDuration` and `Duration.String`, in milliseconds, so that config values such as
 * `"30s"`, `"1m30s"`, `"500ms"` and `"72h"` parse exactly as Consul parses them and errors read the same.
 */

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a Go duration string into milliseconds; throws Go's error text on bad input. */
export function parseDuration(input: string): number {
  const bad = () => new Error(`time: invalid duration ${JSON.stringify(input)}`);
  let s = input;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw bad();
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(\.(\d*))?/.exec(s);
    const whole = num?.[1] ?? '';
    const frac = num?.[3] ?? '';
    if (!num || (whole === '' && frac === '') || num[0] === '.') throw bad();
    s = s.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(s)?.[0] ?? '';
    if (unit === '') throw new Error(`time: missing unit in duration ${JSON.stringify(input)}`);
    const scale = UNITS[unit];
    if (scale === undefined) {
      throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(input)}`);
    }
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${frac || '0'}`) * scale;
  }
  return sign * total;
}

/** Formats milliseconds like Go's `Duration.String` (`72h0m0s`, `1m30s`, `500ms`, `0s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  const abs = Math.abs(ms);
  let out: string;
  if (abs < 1000) {
    out = abs >= 1 ? `${trim(abs)}ms` : abs >= 1e-3 ? `${trim(abs * 1e3)}µs` : `${trim(abs * 1e6)}ns`;
  } else {
    const h = Math.floor(abs / 3_600_000);
    const m = Math.floor((abs % 3_600_000) / 60_000);
    const s = (abs % 60_000) / 1000;
    out = h > 0 ? `${h}h${m}m${trim(s)}s` : m > 0 ? `${m}m${trim(s)}s` : `${trim(s)}s`;
  }
  return neg ? `-${out}` : out;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
