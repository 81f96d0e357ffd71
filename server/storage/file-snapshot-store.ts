import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotMeta, SnapshotStore, SyncCallback } from '../../core/ports/storage.ts';
import { fsyncDir, fsyncDirSync } from './fsync-dir.ts';
import { decodeSnapshotFile, decodeSnapshotHeader, encodeSnapshotFile, type SnapshotHeader } from './snapshot-file.ts';

interface Entry {
  header: SnapshotHeader;
  file: string;
}

/**
 * Snapshots as files in one directory, newest `retain` kept (hashicorp/raft's FileSnapshotStore
 * idea). A save writes `<name>.tmp`, fsyncs it, renames it to `<name>.snap` and fsyncs the
 * directory; only then is it listed and the callback told. Leftover `.tmp` files (a crash mid-save)
 * are deleted on open, as are snapshots beyond the newest `retain`. Every file carries a SHA-256 of its data: `latest()` skips a snapshot whose
 * checksum fails and returns the next older one.
 */
export class FileSnapshotStore implements SnapshotStore {
  private entries: Entry[] = [];
  private seq = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly retain: number,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.tmp')) unlinkSync(join(dir, name));
      if (!name.endsWith('.snap')) continue;
      const header = readHeader(join(dir, name));
      if (!header) continue;
      this.entries.push({ header, file: name });
      this.seq = Math.max(this.seq, header.seq);
    }
    this.entries.sort(newestFirst);
    // A crash between a save's rename and its pruning leaves one too many: prune now.
    const extra = this.entries.splice(this.retain);
    for (const e of extra) unlinkSync(join(dir, e.file));
    if (extra.length > 0) fsyncDirSync(dir);
  }

  save(meta: SnapshotMeta, data: Uint8Array, callback: SyncCallback): void {
    const seq = ++this.seq;
    const file = `${String(seq).padStart(12, '0')}-${safeName(meta.id)}.snap`;
    const bytes = encodeSnapshotFile(meta, seq, data);
    const header: SnapshotHeader = { meta: { ...meta, size: data.length }, seq, sha256: '' };
    this.chain = this.chain.then(async () => {
      try {
        await this.writeDurably(file, bytes);
        this.entries.push({ header, file });
        this.entries.sort(newestFirst);
        await this.prune();
        callback(undefined);
      } catch (e) {
        callback(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  latest(): { meta: SnapshotMeta; data: Uint8Array } | undefined {
    for (const e of this.entries) {
      try {
        const { header, data } = decodeSnapshotFile(readFileSync(join(this.dir, e.file)));
        return { meta: header.meta, data };
      } catch {
        // A corrupt or missing file: fall back to the next older snapshot.
      }
    }
    return undefined;
  }

  list(): SnapshotMeta[] {
    return this.entries.map((e) => ({ ...e.header.meta }));
  }

  private async writeDurably(file: string, bytes: Uint8Array): Promise<void> {
    const tmp = join(this.dir, `${file}.tmp`);
    try {
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, join(this.dir, file));
    } catch (e) {
      // Disk full or I/O error: leave nothing half-written behind; the previous snapshot stays latest.
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    await fsyncDir(this.dir);
  }

  private async prune(): Promise<void> {
    const drop = this.entries.slice(this.retain);
    this.entries = this.entries.slice(0, this.retain);
    for (const e of drop) await unlink(join(this.dir, e.file)).catch(() => undefined);
    if (drop.length > 0) await fsyncDir(this.dir);
  }
}

function newestFirst(a: Entry, b: Entry): number {
  const x = a.header.meta;
  const y = b.header.meta;
  return y.term - x.term || y.index - x.index || b.header.seq - a.header.seq;
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
}

/** Reads just the header of a snapshot file, or undefined if it is not a readable snapshot. */
function readHeader(path: string): SnapshotHeader | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(12);
    if (readSync(fd, head, 0, 12, 0) < 12) return undefined;
    const len = head.readUInt32BE(8);
    const buf = Buffer.alloc(12 + len);
    if (readSync(fd, buf, 0, buf.length, 0) < buf.length) return undefined;
    return decodeSnapshotHeader(buf).header;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
