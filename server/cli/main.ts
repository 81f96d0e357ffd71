import type { CliIO, CommandEntry } from './command.ts';
import { COMMANDS } from './registry.ts';

/**
 * The `consul` command line, following mitchellh/cli as Consul configures it:
 * - the subcommand is the first non-flag argument; with nested commands (`kv get`) the longest
 *   registered name that the arguments start with;
 * - `-v`/`-version`/`--version` before the subcommand runs `version`;
 * - `-h`/`-help`/`--help` anywhere before `--` prints the usage list (no subcommand) or the
 *   command's help, exit 0;
 * - an unknown or missing command prints the usage list and exits 127;
 * - other flags before the subcommand are refused with the command's help, exit 1.
 * Help and usage go to stdout (Consul's HelpWriter); commands write their errors to stderr.
 */
export async function main(argv: readonly string[], io: CliIO, commands: readonly CommandEntry[] = COMMANDS): Promise<number> {
  const args = processArgs(argv, commands);
  if (args.isVersion) return main(['version'], io, commands);
  if (args.isHelp && args.subcommand === '') {
    io.stdout(`${usage(commands)}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === args.subcommand);
  if (!entry) {
    io.stdout(`${usage(commands)}\n`);
    return 127;
  }
  const command = await entry.load();
  if (args.isHelp) {
    io.stdout(`${command.help().trim()}\n`);
    return 0;
  }
  if (args.topFlags.length > 0) {
    io.stdout('Invalid flags before the subcommand. If these flags are for\nthe subcommand, please put them after the subcommand.\n\n');
    io.stdout(`${command.help().trim()}\n`);
    return 1;
  }
  return command.run(args.subcommandArgs, io);
}

interface ParsedArgs {
  subcommand: string;
  subcommandArgs: string[];
  topFlags: string[];
  isHelp: boolean;
  isVersion: boolean;
}

/** mitchellh/cli's processArgs. */
function processArgs(argv: readonly string[], commands: readonly CommandEntry[]): ParsedArgs {
  const out: ParsedArgs = { subcommand: '', subcommandArgs: [], topFlags: [], isHelp: false, isVersion: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '-h' || arg === '-help' || arg === '--help') {
      out.isHelp = true;
      continue;
    }
    if (out.subcommand === '') {
      if (arg === '-v' || arg === '-version' || arg === '--version') {
        out.isVersion = true;
        continue;
      }
      if (arg.startsWith('-')) out.topFlags.push(arg);
    }
    if (out.subcommand === '' && arg !== '' && !arg.startsWith('-')) {
      const search = argv.slice(i).join(' ');
      const nested = commands
        .map((c) => c.name)
        .filter((n) => search === n || search.startsWith(`${n} `))
        .sort((a, b) => b.length - a.length)[0];
      out.subcommand = nested ?? arg;
      if (nested) i += nested.split(' ').length - 1;
      out.subcommandArgs = argv.slice(i + 1);
    }
  }
  return out;
}

/** mitchellh/cli's BasicHelpFunc over the top-level commands, names padded to the longest. */
export function usage(commands: readonly CommandEntry[]): string {
  const top = commands.filter((c) => !c.name.includes(' '));
  const width = Math.max(...top.map((c) => c.name.length));
  const lines = [...top].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => `    ${c.name.padEnd(width)}    ${c.synopsis}`);
  return `Usage: consul [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n${lines.join('\n')}\n`;
}
