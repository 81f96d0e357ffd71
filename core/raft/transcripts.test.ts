/**
 * Transcript tests (etcd testdata style): each testdata/*.txt file is a sequence of commands, each
 * followed by `----` and the exact expected output. Run with REWRITE=1 to regenerate the expected
 * outputs after an intended change, then read the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InteractionEnv } from './interaction-env.ts';

const dir = join(import.meta.dirname, 'testdata');
const rewrite = process.env.REWRITE === '1';

interface Block {
  comments: string[];
  command: string;
  expected: string;
}

function parse(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const comments: string[] = [];
    while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.startsWith('#'))) {
      if (lines[i]!.startsWith('#')) comments.push(lines[i]!);
      i++;
    }
    if (i >= lines.length) break;
    const command = lines[i++]!;
    if (lines[i] !== '----') throw new Error(`expected ---- after "${command}" at line ${i + 1}`);
    i++;
    const out: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') out.push(lines[i++]!);
    blocks.push({ comments, command, expected: out.join('\n') });
  }
  return blocks;
}

function render(blocks: Block[]): string {
  return `${blocks.map((b) => [...b.comments, b.command, '----', b.expected].join('\n')).join('\n\n')}\n`;
}

describe('raft transcripts', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    it(file, () => {
      const path = join(dir, file);
      const blocks = parse(readFileSync(path, 'utf8'));
      const env = new InteractionEnv();
      const actual = blocks.map((b) => ({ ...b, expected: env.handle(b.command) }));
      if (rewrite) {
        writeFileSync(path, render(actual));
        return;
      }
      for (let k = 0; k < blocks.length; k++) {
        expect(`${blocks[k]!.command}\n${actual[k]!.expected}`, `${file}: command ${k + 1}`).toBe(
          `${blocks[k]!.command}\n${blocks[k]!.expected}`,
        );
      }
    });
  }
});
