import type { FlagSet } from '../../go-flags.ts';
import { parseGoBool } from '../../go-flags.ts';
import type { CliIO } from '../../command.ts';
import { type Format, formatJson, parseFormat } from './acl-format.ts';

/** `-format` and `-meta`, shared by every ACL command that prints objects. */
export interface OutputOpts {
  format: Format;
  meta: boolean;
}

export function outputFlags(fs: FlagSet, o: OutputOpts): FlagSet {
  return fs
    .add({ name: 'format', usage: 'Output format {pretty|json}', set: (v) => void (o.format = parseFormat(v)) })
    .add({ name: 'meta', bool: true, usage: 'Indicates that token metadata such as the content hash and Raft indices should be shown for each entry', set: (v) => void (o.meta = parseGoBool(v)) });
}

/** Prints `value` as JSON or with `pretty`. */
export function print<T>(io: CliIO, o: OutputOpts, value: T, pretty: (v: T, meta: boolean) => string): void {
  io.stdout(o.format === 'json' ? formatJson(value) : pretty(value, o.meta));
}

/** Links from `-policy-id`/`-policy-name` (or role) flags. */
export function linksFrom(ids: string[], names: string[]): Array<{ ID?: string; Name?: string }> {
  return [...ids.map((ID) => ({ ID })), ...names.map((Name) => ({ Name }))];
}
