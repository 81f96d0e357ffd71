import { createHash } from 'node:crypto';
import type { SnapshotMeta } from '../../core/ports/storage.ts';

/**
 * One snapshot file: `CTSSNAP1`, a uint32 header length, a JSON header (the meta, a save sequence
 * number and the SHA-256 of the data), then the data. The checksum is verified on every read, so a
 * corrupt or torn file is refused rather than restored.
 */
const MAGIC = 'CTSSNAP1';

/** The header of a snapshot file. */
export interface SnapshotHeader {
  meta: SnapshotMeta;
  /** Save order within the store: ties between equal (term, index) go to the newer save. */
  seq: number;
  sha256: string;
}

/** Serialises header and data into the file's bytes. */
export function encodeSnapshotFile(meta: SnapshotMeta, seq: number, data: Uint8Array): Uint8Array {
  const header = JSON.stringify({
    id: meta.id,
    index: meta.index,
    term: meta.term,
    configuration: Buffer.from(meta.configuration).toString('base64'),
    size: data.length,
    seq,
    sha256: sha256(data),
  });
  const h = Buffer.from(header, 'utf8');
  const out = Buffer.alloc(MAGIC.length + 4 + h.length + data.length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32BE(h.length, MAGIC.length);
  h.copy(out, MAGIC.length + 4);
  out.set(data, MAGIC.length + 4 + h.length);
  return out;
}

/** Parses only the header (for listing); throws on a malformed file. */
export function decodeSnapshotHeader(bytes: Uint8Array): { header: SnapshotHeader; dataOffset: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new Error('not a snapshot file (bad magic)');
  }
  const len = buf.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + len > buf.length) throw new Error('snapshot header truncated');
  const j = JSON.parse(buf.toString('utf8', start, start + len)) as Record<string, unknown>;
  const meta: SnapshotMeta = {
    id: String(j.id),
    index: Number(j.index),
    term: Number(j.term),
    configuration: new Uint8Array(Buffer.from(String(j.configuration), 'base64')),
    size: Number(j.size),
  };
  return { header: { meta, seq: Number(j.seq), sha256: String(j.sha256) }, dataOffset: start + len };
}

/** Parses and verifies a whole file; throws if the size or checksum does not match. */
export function decodeSnapshotFile(bytes: Uint8Array): { header: SnapshotHeader; data: Uint8Array } {
  const { header, dataOffset } = decodeSnapshotHeader(bytes);
  const data = bytes.slice(dataOffset);
  if (data.length !== header.meta.size) {
    throw new Error(`snapshot size mismatch: header says ${header.meta.size}, file has ${data.length}`);
  }
  if (sha256(data) !== header.sha256) throw new Error('snapshot checksum mismatch');
  return { header, data };
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
