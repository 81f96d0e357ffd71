import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirStorage } from './data-dir-storage.ts';

const here = new URL('.', import.meta.url).pathname;

/** Runs the writer child until it has acknowledged at least `minAcks` syncs plus a random extra moment, then SIGKILLs it. */
function runAndKill(dir: string, extraMs: number): Promise<{ acked: number; start: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-writer.ts'), dir], {
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
        if (line.startsWith('ack ')) acked = Math.max(acked, Number(line.slice(4)));
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
  it('keeps every acknowledged write and a contiguous log across repeated kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consul-crash-'));
    try {
      let previousLast = 0;
      for (let round = 0; round < 4; round++) {
        const extraMs = 50 + Math.floor(Math.random() * 400);
        const { acked, start } = await runAndKill(dir, extraMs);
        const s = new DataDirStorage(dir);
        const log = s.logStore('raft');
        const first = log.firstIndex();
        const last = log.lastIndex();
        const context = `round ${round}, killed ${extraMs} ms after the first ack; child saw "${start}"; acked ${acked}; reopened first ${first} last ${last}`;
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
        previousLast = last;
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
