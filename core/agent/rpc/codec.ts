import { Decoder, Encoder } from '@msgpack/msgpack';

// One encoder and decoder for every call: `encode()`/`decode()` build a new one (with a 2 KB
// buffer) per message, which was a visible share of a 1,000-agent lab's garbage. Both are
// re-entrant (they clone themselves when nested) and `encode` returns a copy.
const encoder = new Encoder({ useBigInt64: true, ignoreUndefined: true });
const decoder = new Decoder({ useBigInt64: true });

/**
 * The msgpack settings of every internal RPC payload: 64-bit integers round-trip as bigint (KV
 * flags are uint64) while ordinary numbers stay numbers.
 */
export function encodeRpc(value: unknown): Uint8Array {
  return encoder.encode(value);
}

export function decodeRpc(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}

/**
 * The first byte of every connection to a server's RPC port says what speaks on it, as in Consul's
 * `pool.RPCType`: Consul RPC, Raft, or a snapshot stream.
 */
export const RpcType = {
  Consul: 0x00,
  Raft: 0x01,
  Snapshot: 0x05,
} as const;
export type RpcTypeByte = (typeof RpcType)[keyof typeof RpcType];
