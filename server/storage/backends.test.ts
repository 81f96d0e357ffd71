import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../core/ports/logger.ts';
import { chooseBackend } from './backends.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(files: string[]): string {
  const d = mkdtempSync(join(tmpdir(), 'consul-backend-'));
  dirs.push(d);
  mkdirSync(join(d, 'raft'));
  for (const f of files) writeFileSync(join(d, 'raft', f), '');
  return d;
}

function recorder(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = { log: (level: string, msg: string) => lines.push(`${level}: ${msg}`) } as unknown as Logger;
  return { logger, lines };
}

describe('chooseBackend (raft_logstore.backend)', () => {
  it('gives a new data dir the configured backend, the WAL when unset', () => {
    expect(chooseBackend(dataDir([]), '')).toBe('wal');
    expect(chooseBackend(dataDir([]), 'wal')).toBe('wal');
    expect(chooseBackend(dataDir([]), 'boltdb')).toBe('lmdb');
  });

  it('keeps the format already on disk, warning as Consul does when the config asks for the other', () => {
    const bolt = recorder();
    expect(chooseBackend(dataDir(['raft.db']), 'wal', bolt.logger)).toBe('lmdb');
    expect(bolt.lines).toEqual(["warn: BoltDB file raft.db found, IGNORING raft_logstore.backend which is set to 'wal'"]);
    const wal = recorder();
    expect(chooseBackend(dataDir(['raft.wal']), 'boltdb', wal.logger)).toBe('wal');
    expect(wal.lines).toEqual(["warn: WAL file raft.wal found, IGNORING raft_logstore.backend which is set to 'boltdb'"]);
    const quiet = recorder();
    expect(chooseBackend(dataDir(['raft.db']), '', quiet.logger)).toBe('lmdb');
    expect(chooseBackend(dataDir(['raft.wal']), '', quiet.logger)).toBe('wal');
    expect(quiet.lines).toEqual([]);
  });
});
