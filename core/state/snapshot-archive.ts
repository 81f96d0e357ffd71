import { crc32 } from '../gossip/codec/crc32.ts';
import { SnapshotError } from './snapshot.ts';

/**
 * The file `GET /v1/snapshot` returns and `PUT /v1/snapshot` restores (`consul snapshot save |
 * restore | inspect`). Layout, all integers big-endian:
 *
 *   offset 0   8 bytes   magic "CTSARCH1" (archive format version 1)
 *   offset 8   4 bytes   length L of the metadata JSON
 *   offset 12  L bytes   metadata, UTF-8 JSON: {"Version":1,"Index":n,"Datacenter":"dc1",
 *                         "Size":<state bytes>,"CRC32":<crc of the state bytes>}
 *   then       Size bytes the state snapshot (core/state/snapshot.ts: "CTSSNAP1" + msgpack stream)
 *   last       4 bytes   CRC-32 (IEEE) of every byte before it
 *
 * `snapshot inspect` reads the metadata without parsing the state. A restore checks both CRCs,
 * the sizes and then parses the whole state before anything is replaced, so a truncated or
 * corrupted file is refused with a clear error and nothing is restored.
 */

const MAGIC = 'CTSARCH1';
export const ARCHIVE_VERSION = 1;

/** What the archive's header says about its state. */
export interface ArchiveMeta {
  Version: number;
  Index: number;
  Datacenter: string;
  Size: number;
  CRC32: number;
}

/** Wraps a state snapshot into the archive format. */
export function writeArchive(state: Uint8Array, meta: Omit<ArchiveMeta, 'Version' | 'Size' | 'CRC32'>): Uint8Array {
  const full: ArchiveMeta = { Version: ARCHIVE_VERSION, ...meta, Size: state.length, CRC32: crc32(state) };
  const json = new TextEncoder().encode(JSON.stringify(full));
  const out = new Uint8Array(8 + 4 + json.length + state.length + 4);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, json.length);
  out.set(json, 12);
  out.set(state, 12 + json.length);
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)));
  return out;
}

/** Reads the metadata only (for `snapshot inspect`); throws SnapshotError on a malformed header. */
export function readArchiveMeta(data: Uint8Array): { meta: ArchiveMeta; stateOffset: number } {
  if (data.length < 16) throw new SnapshotError('snapshot file too short');
  if (new TextDecoder().decode(data.subarray(0, 8)) !== MAGIC) throw new SnapshotError('not a snapshot file (bad magic)');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = view.getUint32(8);
  if (12 + len + 4 > data.length) throw new SnapshotError('snapshot file truncated (metadata)');
  let meta: ArchiveMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(data.subarray(12, 12 + len))) as ArchiveMeta;
  } catch {
    throw new SnapshotError('snapshot metadata is not valid JSON');
  }
  if (meta.Version !== ARCHIVE_VERSION) throw new SnapshotError(`unsupported snapshot file version ${String(meta.Version)}`);
  if (!Number.isSafeInteger(meta.Size) || meta.Size < 0) throw new SnapshotError('bad snapshot size in metadata');
  return { meta, stateOffset: 12 + len };
}

/** Verifies an archive and returns its state snapshot bytes; throws SnapshotError otherwise. */
export function readArchive(data: Uint8Array): { meta: ArchiveMeta; state: Uint8Array } {
  const { meta, stateOffset } = readArchiveMeta(data);
  if (stateOffset + meta.Size + 4 !== data.length) throw new SnapshotError(`snapshot file truncated or padded: expected ${stateOffset + meta.Size + 4} bytes, got ${data.length}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(data.length - 4) !== crc32(data.subarray(0, data.length - 4))) throw new SnapshotError('snapshot file checksum mismatch');
  const state = data.subarray(stateOffset, stateOffset + meta.Size);
  if (crc32(state) !== meta.CRC32) throw new SnapshotError('snapshot state checksum mismatch');
  return { meta, state };
}
