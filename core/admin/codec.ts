/** Base64 and KV-entry conversions between Consul's JSON and the admin API's shapes. */
import type { AdminMember, KvEntry, MemberStatus } from './admin-cluster.ts';

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Decodes standard base64; throws on anything else (the caller reports it as a bad request). */
export function base64ToBytes(text: string): Uint8Array {
  const s = atob(text.replace(/\s+/g, ''));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Consul's KV JSON (`/v1/kv`). */
export interface KvPairJson {
  Key: string;
  Value: string | null;
  Flags: number;
  CreateIndex: number;
  ModifyIndex: number;
  LockIndex: number;
  Session?: string;
}

export function kvEntryFrom(p: KvPairJson): KvEntry {
  const bytes = p.Value ? base64ToBytes(p.Value) : undefined;
  return {
    key: p.Key,
    value: bytes ? new TextDecoder().decode(bytes) : null,
    valueBase64: p.Value ?? null,
    flags: p.Flags,
    createIndex: p.CreateIndex,
    modifyIndex: p.ModifyIndex,
    lockIndex: p.LockIndex,
    session: p.Session,
  };
}

/** Consul's member JSON (`/v1/agent/members`). */
export interface MemberJson {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string> | null;
  Status: number;
}

const STATUS: MemberStatus[] = ['none', 'alive', 'leaving', 'left', 'failed'];

export function memberFrom(m: MemberJson): AdminMember {
  const tags = m.Tags ?? {};
  const host = m.Addr.includes(':') ? `[${m.Addr}]` : m.Addr;
  return {
    name: m.Name,
    address: `${host}:${m.Port}`,
    status: STATUS[m.Status] ?? 'none',
    role: tags.role === 'consul' ? 'server' : 'client',
    datacenter: tags.dc ?? '',
    tags,
  };
}
