import type { CliIO, CommandEntry } from './command.ts';
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
  const entry = commands.find((c) => c.name === first);
  if (!entry) {
    io.stderr(`${usage(commands)}\n`);
    return 127;
  }
  const command = await entry.load();
  if (rest.some((a) => a === '--')) {
    // A `--` ends flag parsing; help flags after it belong to the command's arguments.
  } else if (rest.some(isHelp)) {
    io.stderr(`${command.help().trim()}\n`);
    return 0;
  }
  return command.run(rest, io);
}

function isHelp(a: string): boolean {
  return a === '-h' || a === '-help' || a === '--help';
}

/** mitchellh/cli's BasicHelpFunc: the command list, names padded to the longest. */
export function usage(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [...commands]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((c) => `    ${c.name.padEnd(width)}    ${c.synopsis}`);
  return `Usage: consul [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n${lines.join('\n')}\n`;
}
