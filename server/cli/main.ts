import { type CliIO, type CommandEntry, RUN_RESULT_HELP } from './command.ts';
import { COMMANDS } from './registry.ts';

/**
 * The `consul` command line (mitchellh/cli as Consul configures it): `consul <command> [args]`;
 * `-v`/`-version`/`--version` runs `version`; `-h`/`-help`/`--help` (alone or after a command)
 * prints help and exits 0; an unknown or missing command prints the usage list on stderr and
 * exits 127, as Consul does.
 */
export async function main(argv: readonly string[], io: CliIO, commands: readonly CommandEntry[] = COMMANDS): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(`${usage(commands)}\n`);
    return 127;
  }
  if (first === '-v' || first === '-version' || first === '--version') return main(['version', ...rest], io, commands);
  if (isHelp(first)) {
    io.stderr(`${usage(commands)}\n`);
    return 0;
  }
  const found = findCommand(argv, commands);
  if (!found) {
    io.stderr(`${usage(commands)}\n`);
    return 127;
  }
  const { entry } = found;
  rest.splice(0, found.words - 1);
  const command = await entry.load();
  if (rest.some((a) => a === '--')) {
    // A `--` ends flag parsing; help flags after it belong to the command's arguments.
  } else if (rest.some(isHelp)) {
    io.stderr(`${command.help().trim()}${subcommandList(entry.name, commands)}\n`);
    return 0;
  }
  const code = await command.run(rest, io);
  // A parent such as `consul kv` prints its help and the subcommands, exiting 1 (RunResultHelp).
  if (code === RUN_RESULT_HELP) {
    io.stderr(`${command.help().trim()}${subcommandList(entry.name, commands)}\n`);
    return 1;
  }
  return code;
}

/** Longest registered command name that prefixes argv (`operator raft list-peers` before `operator`). */
function findCommand(argv: readonly string[], commands: readonly CommandEntry[]): { entry: CommandEntry; words: number } | undefined {
  for (let n = Math.min(argv.length, 3); n >= 1; n--) {
    const name = argv.slice(0, n).join(' ');
    const entry = commands.find((c) => c.name === name);
    if (entry) return { entry, words: n };
  }
  return undefined;
}

/** mitchellh/cli's subcommand listing under a parent's help. */
function subcommandList(parent: string, commands: readonly CommandEntry[]): string {
  const depth = parent.split(' ').length + 1;
  const subs = commands.filter((c) => c.name.startsWith(`${parent} `) && c.name.split(' ').length === depth);
  if (subs.length === 0) return '';
  const names = subs.map((c) => c.name.slice(parent.length + 1));
  const width = Math.max(...names.map((n) => n.length));
  const lines = subs.map((c, i) => `    ${names[i]!.padEnd(width)}    ${c.synopsis}`).sort();
  return `\n\nSubcommands:\n${lines.join('\n')}`;
}

function isHelp(a: string): boolean {
  return a === '-h' || a === '-help' || a === '--help';
}

/** mitchellh/cli's BasicHelpFunc: the command list, names padded to the longest. */
export function usage(commands: readonly CommandEntry[]): string {
  const top = commands.filter((c) => !c.name.includes(' '));
  const width = Math.max(...top.map((c) => c.name.length));
  const lines = [...top]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((c) => `    ${c.name.padEnd(width)}    ${c.synopsis}`);
  return `Usage: consul [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n${lines.join('\n')}\n`;
}
