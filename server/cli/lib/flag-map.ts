/** Consul's flags.FlagMapValue: repeated `key=value` flags into a map (Go error text on a missing `=`). */
export function setMapFlag(map: Map<string, string>, value: string): void {
  const idx = value.indexOf('=');
  if (idx === -1) throw new Error(`Missing "=" value in argument: ${value}`);
  map.set(value.slice(0, idx), value.slice(idx + 1));
}

/** The Go client's `node-meta=k:v` query values. */
export function nodeMetaQuery(map: Map<string, string>): string[] {
  return [...map].map(([k, v]) => `${k}:${v}`);
}

/** Consul's mapToKV: sorted `k=v` pairs joined by `sep`. */
export function mapToKv(m: Record<string, string> | null | undefined, sep: string): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${m![k]}`)
    .join(sep);
}
