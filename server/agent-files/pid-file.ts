import { openSync, closeSync, statSync, unlinkSync, writeSync } from 'node:fs';

/**
 * `-pid-file` (Consul's storePid / deletePid): the process ID as decimal text without a newline,
 * written at start and removed on shutdown. Errors carry Consul's wording.
 */
export function writePidFile(path: string, pid: number = process.pid): void {
  if (path === '') return;
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o666);
  } catch (e) {
    throw new Error(`Could not open pid file: ${(e as Error).message}`);
  }
  try {
    writeSync(fd, String(pid));
  } catch (e) {
    throw new Error(`Could not write to pid file: ${(e as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** Removes the pid file; refuses a directory. */
export function removePidFile(path: string): void {
  if (path === '') return;
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    throw new Error(`Could not remove pid file: ${(e as Error).message}`);
  }
  if (st.isDirectory()) throw new Error('Specified pid file path is directory');
  try {
    unlinkSync(path);
  } catch (e) {
    throw new Error(`Could not remove pid file: ${(e as Error).message}`);
  }
}
