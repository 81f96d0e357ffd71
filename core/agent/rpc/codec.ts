import { decode, encode } from '@msgpack/msgpack';

/**
 * The msgpack settings of every internal RPC payload: 64-bit integers round-trip as bigint (KV
 * flags are uint64) while ordinary numbers stay numbers.
 */
export function encodeRpc(value: unknown): Uint8Array {
  return encode(value, { useBigInt64: true, ignoreUndefined: true });
}

export function decodeRpc(bytes: Uint8Array): unknown {
  return decode(bytes, { useBigInt64: true });
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
