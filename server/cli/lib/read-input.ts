/**
 * Reads a command's DATA argument as Consul does: `@path` reads the file, `-` reads stdin, anything
 * else is the data itself.
 */
import { readFileSync } from 'node:fs';

/** All of stdin as bytes. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Resolves `@file` / `-` / literal; throws `Failed to read file: …` / `Failed to read stdin: …`. */
export async function readDataArg(data: string): Promise<Buffer> {
  if (data.startsWith('@')) {
    try {
      return readFileSync(data.slice(1));
    } catch (e) {
      throw new Error(`Failed to read file: ${goFileError(e, data.slice(1))}`);
    }
  }
  if (data === '-') {
    try {
      return await readStdin();
    } catch (e) {
      throw new Error(`Failed to read stdin: ${(e as Error).message}`);
    }
  }
  return Buffer.from(data, 'utf8');
}

/** Go's *PathError text: `open <path>: no such file or directory`. */
export function goFileError(e: unknown, path: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `open ${path}: no such file or directory`;
  if (code === 'EACCES') return `open ${path}: permission denied`;
  if (code === 'EISDIR') return `read ${path}: is a directory`;
  return (e as Error).message;
}
