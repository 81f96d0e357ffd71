/** File and flag helpers shared by `consul tls ca create` and `consul tls cert create`. */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIO } from '../../command.ts';
import { FlagError, type FlagSet } from '../../go-flags.ts';

/** Writes `data` atomically (temp file + rename) with `mode`, relative paths from the working dir. */
export function writeAtomic(path: string, data: string, mode: number): void {
  const full = resolve(path);
  const tmp = `${full}.tmp${process.pid}`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, full);
}

export const fileExists = (path: string): boolean => existsSync(resolve(path));

/**
 * Parses `args` into the options behind `fs`. Returns the exit code when the command is done
 * already: 0 after printing `help` for `-h`, 1 after Consul's `Failed to parse args:` error.
 */
export function parseOrExit(fs: FlagSet, args: string[], io: CliIO, help: () => string): number | undefined {
  try {
    fs.parse(args);
    return undefined;
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    if (e.help) {
      io.stdout(help());
      return 0;
    }
    io.stderr(`Failed to parse args: ${e.message}\n`);
    return 1;
  }
}
