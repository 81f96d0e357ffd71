import { Decoder, Encoder } from '@msgpack/msgpack';

// One encoder and one decoder for every call: msgpack's `encode`/`decode` functions build a new
// instance (buffers, string caches) per call, which showed up in CPU profiles of the write path.
// Both are safe to share: `encode` returns a copy, and a re-entered instance clones itself.
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
