import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from './backends.ts';
import { SMALL_REWRITE, snapshotBody } from './crash-fixtures.ts';
import { DataDirStorage } from './data-dir-storage.ts';
import { decodeRecords, OP_COMPACT } from './wal/wal-record.ts';
import { WalStorage } from './wal/wal-storage.ts';

const here = new URL('.', import.meta.url).pathname;

/**
 * Runs a child (`script`) that prints `<ackWord> <n>` after each durable write, waits for the first
 * acknowledgement plus `extraMs`, then SIGKILLs it. Returns the highest acknowledged number.
 */
function runAndKill(dir: string, extraMs: number, script = 'crash-writer.ts', ackWord = 'ack', backend = 'lmdb'): Promise<{ acked: number; start: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, script), dir, backend], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acked = 0;
    let start = '';
    let buf = '';
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('start ')) start = line;
        if (line.startsWith(`${ackWord} `)) acked = Math.max(acked, Number(line.slice(ackWord.length + 1)));
      }
      if (acked > 0 && !killTimer) killTimer = setTimeout(() => child.kill('SIGKILL'), extraMs);
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited with ${code ?? signal} before the kill`));
      else resolve({ acked, start });
    });
  });
}

describe('crash safety (real SIGKILL of a writing process)', () => {
  it.each(['lmdb', 'wal', 'wal-small'] as const)('%s: keeps every acknowledged write and a contiguous log across repeated kill -9', async (backend) => {
    const dir = mkdtempSync(join(tmpdir(), 'consul-crash-'));
    try {
      let previousLast = 0;
      let rewritten = false;
      for (let round = 0; round < 4; round++) {
        const extraMs = 50 + Math.floor(Math.random() * 400);
        const { acked, start } = await runAndKill(dir, extraMs, 'crash-writer.ts', 'ack', backend);
        const s = backend === 'wal-small' ? new WalStorage(dir, { rewriteThreshold: SMALL_REWRITE }) : BACKENDS[backend](dir);
        const log = s.logStore('raft');
        const first = log.firstIndex();
        const last = log.lastIndex();
        const context = `${backend} round ${round}, killed ${extraMs} ms after the first ack; child saw "${start}"; acked ${acked}; reopened first ${first} last ${last}`;
        console.log(context);
        expect(last, context).toBeGreaterThanOrEqual(acked);
        expect(last, context).toBeGreaterThanOrEqual(previousLast);
        const entries = log.range(first, last);
        expect(entries.length, context).toBe(last - first + 1);
        entries.forEach((e, i) => {
          expect(e.index, context).toBe(first + i);
          expect(new TextDecoder().decode(e.data).startsWith(`entry-${e.index}-`), context).toBe(true);
        });
        expect(Number(new TextDecoder().decode(s.stableStore('raft').get('LastWriter')))).toBeLessThanOrEqual(last);
        if (backend === 'wal-small') {
          // Rewrites happened under the kills: the file starts with the compaction point that a
          // rewrite writes first, not with entry 1.
          const head = decodeRecords(readFileSync(join(dir, 'raft', 'raft.wal')).subarray(0, 4096)).ops[0];
          rewritten ||= head?.op === OP_COMPACT;
        }
        previousLast = last;
        await s.close();
      }
      if (backend === 'wal-small') expect(rewritten, 'no WAL rewrite happened under the kills').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the newest acknowledged snapshot intact across repeated kill -9 mid-save', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consul-snapcrash-'));
    try {
      for (let round = 0; round < 3; round++) {
        const extraMs = 30 + Math.floor(Math.random() * 300);
        const { acked } = await runAndKill(dir, extraMs, 'crash-snapshotter.ts', 'saved');
        const s = new DataDirStorage(dir);
        const store = s.snapshotStore('raft');
        const latest = store.latest();
        const context = `round ${round}, killed ${extraMs} ms after the first save; acked ${acked}; latest ${latest?.meta.index}`;
        console.log(context);
        expect(latest, context).toBeDefined();
        expect(latest!.meta.index, context).toBeGreaterThanOrEqual(acked);
        expect(Buffer.compare(Buffer.from(latest!.data), Buffer.from(snapshotBody(latest!.meta.index))), context).toBe(0);
        expect(readdirSync(join(dir, 'raft', 'snapshots', 'raft')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
        expect(store.list().length).toBeLessThanOrEqual(2);
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
