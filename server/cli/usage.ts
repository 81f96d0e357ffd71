import { type FlagSet, unquoteUsage } from './go-flags.ts';

/** Consul's command/flags maxLineLength. */
const MAX_LINE = 72;

/** Named groups of flags, printed in order under their titles (`HTTP API Options`, `Command Options`). */
export type FlagGroups = Array<[title: string, flags: FlagSet]>;

/**
 * Consul's command/flags.Usage: the trimmed help text, then each group of flags under its title,
 * each flag as `  -name=<value>` (or `  -name` for booleans) with its usage wrapped to 72 columns
 * (kr/text's minimum-raggedness wrap) and indented by five spaces.
 */
export function commandUsage(help: string, groups: FlagGroups | FlagSet = []): string {
  const list: FlagGroups = Array.isArray(groups) ? groups : [['Command Options', groups]];
  let out = `${help.trim()}\n\n`;
  for (const [title, flags] of list) {
    out += `${title}\n\n`;
    for (const def of flags.sorted()) {
      const { type, usage } = unquoteUsage(def);
      out += type ? `  -${def.name}=<${type}>\n` : `  -${def.name}\n`;
      out += `${wrapAtLength(usage, 5)}\n\n`;
    }
  }
  return `${out.trimEnd()}\n`;
}

/** Consul's wrapAtLength: wrap to `72 - pad` columns, indent every line by `pad` spaces. */
export function wrapAtLength(s: string, pad: number): string {
  const indent = ' '.repeat(pad);
  return wrap(s, MAX_LINE - pad)
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

/** kr/text.Wrap: words into lines of at most `lim` columns with minimal raggedness. */
export function wrap(s: string, lim: number): string {
  const words = s.split(/\s+/).filter((w) => w !== '');
  const n = words.length;
  if (n === 0) return '';
  const penalty = 1e5;
  const width = (i: number, j: number) => {
    let w = 0;
    for (let k = i; k <= j; k++) w += [...words[k]!].length + (k > i ? 1 : 0);
    return w;
  };
  const cost = new Array<number>(n).fill(Number.MAX_SAFE_INTEGER);
  const brk = new Array<number>(n).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    if (width(i, n - 1) <= lim || i === n - 1) {
      cost[i] = 0;
      brk[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const len = width(i, j - 1);
      const d = lim - len;
      let c = d * d + cost[j]!;
      if (len > lim) c += penalty;
      if (c < cost[i]!) {
        cost[i] = c;
        brk[i] = j;
      }
    }
  }
  const lines: string[] = [];
  for (let i = 0; i < n; i = brk[i]!) lines.push(words.slice(i, brk[i]).join(' '));
  return lines.join('\n');
}
