/** File helpers shared by `consul tls ca create` and `consul tls cert create`. */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Writes `data` atomically (temp file + rename) with `mode`, relative paths from the working dir. */
export function writeAtomic(path: string, data: string, mode: number): void {
  const full = resolve(path);
  const tmp = `${full}.tmp${process.pid}`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, full);
}

export const fileExists = (path: string): boolean => existsSync(resolve(path));
