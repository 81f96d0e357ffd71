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
