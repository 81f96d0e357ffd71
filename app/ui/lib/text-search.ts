/** Case-insensitive free-text matching shared by the list views' search boxes. */

/** True when `needle` (trimmed, case-insensitive) occurs in any of the haystacks; '' matches all. */
export function matchesText(needle: string, haystacks: readonly (string | null | undefined)[]): boolean {
  const n = needle.trim().toLowerCase();
  if (n === '') return true;
  return haystacks.some((h) => h?.toLowerCase().includes(n));
}

/** The `key` and `value` strings of a metadata map, for searching. */
export function metaStrings(meta: Record<string, string> | null | undefined): string[] {
  return Object.entries(meta ?? {}).flat();
}
