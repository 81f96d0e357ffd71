/**
 * Client-side reading of the snapshot archive that `GET /v1/snapshot` returns (the format is
 * defined with the endpoint: core/state/snapshot-archive.ts): "CTSARCH1", a uint32 length, the
 * metadata JSON {Version, Index, Datacenter, Size, CRC32}, the state bytes, and a trailing CRC-32
 * of everything before it. The CLI verifies a file before saving it under its final name and
 * before sending it for restore, as Consul's snapshot.Verify does, so a corrupt file is refused
 * here with a clear error and nothing is written or restored.
 */
import { crc32 } from '../../../core/gossip/codec/crc32.ts';

const MAGIC = 'CTSARCH1';

export interface ArchiveMeta {
  Version: number;
  Index: number;
  Datacenter: string;
  Size: number;
  CRC32: number;
}

/** Reads and checks the header only. */
export function readArchiveMeta(data: Uint8Array): { meta: ArchiveMeta; stateOffset: number } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 16) throw new Error('snapshot file too short');
  if (buf.toString('latin1', 0, 8) !== MAGIC) throw new Error('not a snapshot file (bad magic)');
  const len = buf.readUInt32BE(8);
  if (12 + len + 4 > buf.length) throw new Error('snapshot file truncated (metadata)');
  let meta: ArchiveMeta;
  try {
    meta = JSON.parse(buf.toString('utf8', 12, 12 + len)) as ArchiveMeta;
  } catch {
    throw new Error('snapshot metadata is not valid JSON');
  }
  if (meta.Version !== 1) throw new Error(`unsupported snapshot file version ${String(meta.Version)}`);
  if (!Number.isSafeInteger(meta.Size) || meta.Size < 0) throw new Error('bad snapshot size in metadata');
  return { meta, stateOffset: 12 + len };
}

/** Verifies sizes and both checksums; returns the metadata. */
export function verifyArchive(data: Uint8Array): ArchiveMeta {
  const { meta, stateOffset } = readArchiveMeta(data);
  const expected = stateOffset + meta.Size + 4;
  if (expected !== data.length) throw new Error(`snapshot file truncated or padded: expected ${expected} bytes, got ${data.length}`);
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.readUInt32BE(data.length - 4) !== crc32(data.subarray(0, data.length - 4))) throw new Error('snapshot file checksum mismatch');
  if (crc32(data.subarray(stateOffset, stateOffset + meta.Size)) !== meta.CRC32) throw new Error('snapshot state checksum mismatch');
  return meta;
}
