/**
 * Node metadata as TXT strings (Consul's generateMeta / encodeKVasRFC1464): `key=value` per RFC 1464
 * with backquote escaping of `` ` ``, `=` and leading/trailing spaces in the key; keys prefixed
 * `rfc1035-` give just the value.
 */

/** RFC 1464 `key=value` with Consul's escaping. */
export function encodeKVasRFC1464(key: string, value: string): string {
  let k = key.replaceAll('`', '``').replaceAll('=', '`=');
  const lead = /^ +/.exec(k)?.[0].length ?? 0;
  k = '` '.repeat(lead) + k.slice(lead);
  const trail = / +$/.exec(k)?.[0].length ?? 0;
  k = k.slice(0, k.length - trail) + '` '.repeat(trail);
  return `${k}=${value.replaceAll('`', '``')}`;
}

/** One TXT string per meta key, in key order so answers are deterministic. */
export function nodeMetaTexts(meta: Readonly<Record<string, string>> | null | undefined): string[] {
  if (!meta) return [];
  return Object.keys(meta)
    .sort()
    .map((key) => {
      const value = meta[key] ?? '';
      return key.toLowerCase().startsWith('rfc1035-') ? value : encodeKVasRFC1464(key, value);
    });
}
