/** Go duration strings (`"10s"`, `"1m30s"`, `"250ms"`), as prepared queries store `DNS.TTL`. */

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * Whole seconds in a Go duration string (rounded down; DNS TTLs are whole seconds). Throws
 * RangeError for text Go's time.ParseDuration would reject.
 */
export function parseGoDurationSeconds(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  const sign = text.startsWith('-') ? -1 : 1;
  if (text[0] === '-' || text[0] === '+') pos = 1;
  re.lastIndex = pos;
  if (pos >= text.length) throw new RangeError(`invalid duration '${text}'`);
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) throw new RangeError(`invalid duration '${text}'`);
    total += Number(m[1]) * (UNITS[m[2] as string] as number);
  }
  return Math.max(0, Math.floor(sign * total + 1e-9));
}
