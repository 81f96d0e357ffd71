import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/ports/logger.ts';
import { fsyncDirSync } from '../storage/fsync-dir.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A random UUID as hashicorp/go-uuid formats 16 random bytes (8-4-4-4-12 hex, no version bits). */
export function generateUUID(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The agent's node ID (Consul's setupNodeID): the configured `node_id` if set; otherwise in -dev
 * (no data dir) a fresh random one; otherwise the UUID stored in `<data-dir>/node-id`, created
 * once (written to a temp file, fsynced, renamed) and reused on every later start.
 * Throws with a clear message if the stored ID is not a UUID.
 */
export function resolveNodeId(opts: { configured: string; dataDir: string; logger?: Logger }): string {
  const log = opts.logger;
  if (opts.configured !== '') {
    const id = opts.configured.toLowerCase();
    if (!UUID.test(id)) throw new Error(`Node ID ${JSON.stringify(opts.configured)} is not a valid UUID`);
    return id;
  }
  if (opts.dataDir === '') {
    const id = generateUUID();
    log?.log('debug', 'Using random ID as node ID', { id });
    return id;
  }
  const file = join(opts.dataDir, 'node-id');
  let existing: string | undefined;
  try {
    existing = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (existing !== undefined) {
    const id = existing.toLowerCase();
    if (!UUID.test(id)) throw new Error(`Node ID in file ${JSON.stringify(file)} is invalid: ${JSON.stringify(existing)} is not a UUID`);
    return id;
  }
  const id = generateUUID();
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, id);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDirSync(opts.dataDir);
  log?.log('debug', 'Using random ID as node ID', { id });
  return id;
}
