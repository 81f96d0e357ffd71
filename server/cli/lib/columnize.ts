/**
 * ryanuber/columnize with Consul's defaults: each line's `|`-separated cells are trimmed, padded
 * to the widest cell of their column and joined by two spaces; the last column is not padded.
 * Consul's `members`, `catalog nodes` and `operator raft list-peers` print their tables this way.
 */
export function columnize(lines: readonly string[], delim = '|'): string {
  const rows = lines.map((l) => l.split(delim).map((c) => c.trim()));
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => void (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

/**
 * Go's text/tabwriter with minwidth 0, tabwidth 2, padding `padding`, pad char ' ', no flags:
 * cells (tab-terminated) in a column block are padded to the widest plus `padding`; the text after
 * the last tab of a line is not a cell and is printed as is.
 */
export function tabwrite(lines: readonly string[], padding: number): string {
  const rows = lines.map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((c, i) => void (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]! + padding))).join('')).join('\n');
}
