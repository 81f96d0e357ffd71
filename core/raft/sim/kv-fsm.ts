/**
 * A KV register state machine for the simulation workload: writes, compare-and-set and reads of
 * string values under string keys. Commands are msgpack `[op, key, a, b]`. It also records the
 * sequence of applied (index, command) pairs so checkers can compare servers.
 */
import { decode, encode } from '@msgpack/msgpack';
import type { RaftFSM } from '../raft-server.ts';

export type KvCommand = { op: 'write'; key: string; value: string } | { op: 'cas'; key: string; expect: string | null; value: string };

export function encodeKvCommand(c: KvCommand): Uint8Array {
  return c.op === 'write' ? encode(['w', c.key, c.value]) : encode(['c', c.key, c.expect, c.value]);
}

export function decodeKvCommand(data: Uint8Array): KvCommand {
  const v = decode(data);
  if (!Array.isArray(v) || typeof v[1] !== 'string') throw new Error('kv: malformed command');
  if (v[0] === 'w' && typeof v[2] === 'string') return { op: 'write', key: v[1], value: v[2] };
  if (v[0] === 'c' && typeof v[3] === 'string') return { op: 'cas', key: v[1], expect: (v[2] as string | null) ?? null, value: v[3] };
  throw new Error('kv: unknown command');
}

export class KvFSM implements RaftFSM {
  private data = new Map<string, string>();
  /** Called for every applied entry (index and a printable form), for the checkers. */
  onApply: ((index: number, command: string) => void) | undefined;

  apply(index: number, bytes: Uint8Array): unknown {
    const c = decodeKvCommand(bytes);
    this.onApply?.(index, c.op === 'write' ? `w ${c.key}=${c.value}` : `c ${c.key} ${c.expect}->${c.value}`);
    if (c.op === 'write') {
      this.data.set(c.key, c.value);
      return true;
    }
    if ((this.data.get(c.key) ?? null) !== c.expect) return false;
    this.data.set(c.key, c.value);
    return true;
  }

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  snapshot(): Uint8Array {
    return encode([...this.data]);
  }

  restore(bytes: Uint8Array): void {
    const v = decode(bytes);
    if (!Array.isArray(v)) throw new Error('kv: malformed snapshot');
    this.data = new Map(v as Array<[string, string]>);
  }
}
