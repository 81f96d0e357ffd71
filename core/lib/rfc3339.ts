/**
 * Formats Unix milliseconds as Go's time.Time JSON (RFC 3339 in UTC, fractional seconds only when
 * non-zero), without the Date global, which core/ does not use (the clock comes through ports).
 * Civil date from days since the epoch: Howard Hinnant's algorithm.
 */
export function formatRfc3339(unixMs: number): string {
  const ms = Math.floor(unixMs);
  const days = Math.floor(ms / 86_400_000);
  const rem = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(rem / 3_600_000);
  const min = Math.floor((rem % 3_600_000) / 60_000);
  const s = Math.floor((rem % 60_000) / 1000);
  const frac = rem % 1000;
  const fracText = frac === 0 ? '' : `.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  return `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}T${p2(h)}:${p2(min)}:${p2(s)}${fracText}Z`;
}

/** Go's zero time.Time in JSON. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Parses an RFC 3339 time (`2026-11-21T10:00:00Z`, `...T10:00:00.5+01:00`) into Unix milliseconds;
 * undefined when the text is not one. The inverse of {@link formatRfc3339} (days from the civil
 * date: Howard Hinnant's algorithm), again without the Date global.
 */
export function parseRfc3339(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return undefined;
  const [y0, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const y = mo <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  const frac = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let ms = days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + frac;
  if (m[9]) ms -= (m[9] === '+' ? 1 : -1) * (Number(m[10]) * 3_600_000 + Number(m[11]) * 60_000);
  return ms;
}
