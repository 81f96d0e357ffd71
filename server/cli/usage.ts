import type { FlagSet } from './go-flags.ts';

/**
 * Consul's command/flags.Usage: the command's help text followed by its flags. HTTP API commands
 * group their flags under "HTTP API Options"; the commands here have only "Command Options".
 */
export function commandUsage(help: string, flags?: FlagSet): string {
  const body = help.trim();
  if (!flags) return `${body}\n`;
  return `${body}\n\nCommand Options:\n\n${flags.defaults()}`;
}
