/**
 * KV pairs as the CLI reads them: `Flags` as an exact bigint (uint64: the lock flags exceed
 * 2^53), `Value` decoded from base64 (null in JSON means empty).
 */
import { parseJson } from '../api-client.ts';

export interface KvPair {
  Key: string;
  Flags: bigint;
  Value: Buffer;
  LockIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
  Session: string;
}

interface KvPairJson {
  Key: string;
  Flags?: string | number;
  Value?: string | null;
  LockIndex?: number;
  CreateIndex?: number;
  ModifyIndex?: number;
  Session?: string;
}

/** Decodes a `/v1/kv/...` JSON array. */
export function decodeKvPairs(text: string): KvPair[] {
  return parseJson<KvPairJson[]>(text).map((p) => ({
    Key: p.Key,
    Flags: BigInt(p.Flags ?? 0),
    Value: p.Value ? Buffer.from(p.Value, 'base64') : Buffer.alloc(0),
    LockIndex: p.LockIndex ?? 0,
    CreateIndex: p.CreateIndex ?? 0,
    ModifyIndex: p.ModifyIndex ?? 0,
    Session: p.Session ?? '',
  }));
}

/** Go's base64.StdEncoding.DecodeString: strict alphabet and padding; throws Go's error text. */
export function decodeStdBase64(s: string): Buffer {
  const bad = /[^A-Za-z0-9+/=]/.exec(s);
  if (bad) throw new Error(`illegal base64 data at input byte ${bad.index}`);
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(={0,2})$/.test(s) || (s.endsWith('=') && !/[A-Za-z0-9+/]{2}(==|[A-Za-z0-9+/]=)$/.test(s))) {
    throw new Error(`illegal base64 data at input byte ${Math.max(0, s.length - (s.length % 4 || 4))}`);
  }
  return Buffer.from(s, 'base64');
}

/** Path-escapes a key for `/v1/kv/<key>` (slashes stay, as the Go client's url.URL does). */
export function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}
