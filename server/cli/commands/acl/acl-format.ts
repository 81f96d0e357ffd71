/**
 * Consul's ACL output (command/acl/{token,policy,role}/formatter.go): the "pretty" format with
 * aligned labels, or `-format=json` (the API objects, indented). `-meta` adds hash and indexes.
 */

export interface Link {
  ID: string;
  Name: string;
}

export interface TokenView {
  AccessorID: string;
  SecretID: string;
  Description: string;
  Policies?: Link[];
  Roles?: Link[];
  ServiceIdentities?: Array<{ ServiceName: string; Datacenters?: string[] }>;
  NodeIdentities?: Array<{ NodeName: string; Datacenter: string }>;
  Local: boolean;
  CreateTime: string;
  ExpirationTime?: string;
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface PolicyView {
  ID: string;
  Name: string;
  Description: string;
  Rules?: string;
  Datacenters: string[] | null;
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface RoleView {
  ID: string;
  Name: string;
  Description: string;
  Policies?: Link[];
  ServiceIdentities?: TokenView['ServiceIdentities'];
  NodeIdentities?: TokenView['NodeIdentities'];
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export type Format = 'pretty' | 'json';

/** `-format` values Consul accepts. */
export function parseFormat(v: string): Format {
  if (v !== 'pretty' && v !== 'json') throw new Error(`Invalid format: ${v}`);
  return v;
}

/** Go's time.Time `%v` for an RFC 3339 UTC time: `2026-11-21 08:30:00.123 +0000 UTC`. */
export function goTime(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(rfc3339);
  if (!m) return rfc3339;
  return `${m[1]} ${m[2]}${m[3] ?? ''} +0000 UTC`;
}

/** Hash bytes as `%x` (the API sends them base64). */
function hex(b64: string): string {
  try {
    return Array.from(atob(b64), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return b64;
  }
}

function identities(out: string[], t: Pick<TokenView, 'ServiceIdentities' | 'NodeIdentities'>, indent = '   '): void {
  if (t.ServiceIdentities?.length) {
    out.push('Service Identities:');
    for (const s of t.ServiceIdentities) out.push(`${indent}${s.ServiceName} (Datacenters: ${s.Datacenters?.length ? s.Datacenters.join(', ') : 'all'})`);
  }
  if (t.NodeIdentities?.length) {
    out.push('Node Identities:');
    for (const n of t.NodeIdentities) out.push(`${indent}${n.NodeName} (Datacenter: ${n.Datacenter})`);
  }
}

function links(out: string[], title: string, items: Link[] | undefined, indent = '   '): void {
  if (!items?.length) return;
  out.push(`${title}:`);
  for (const l of items) out.push(`${indent}${l.ID} - ${l.Name}`);
}

export function formatToken(t: TokenView, meta: boolean): string {
  const out = [
    `AccessorID:       ${t.AccessorID}`,
    `SecretID:         ${t.SecretID}`,
    `Description:      ${t.Description}`,
    `Local:            ${t.Local}`,
    `Create Time:      ${goTime(t.CreateTime)}`,
  ];
  if (t.ExpirationTime) out.push(`Expiration Time:  ${goTime(t.ExpirationTime)}`);
  if (meta) out.push(`Hash:             ${hex(t.Hash)}`, `Create Index:     ${t.CreateIndex}`, `Modify Index:     ${t.ModifyIndex}`);
  links(out, 'Policies', t.Policies);
  links(out, 'Roles', t.Roles);
  identities(out, t);
  return `${out.join('\n')}\n`;
}

export function formatTokenList(tokens: TokenView[], meta: boolean): string {
  return tokens.map((t) => formatToken(t, meta)).join('\n');
}

export function formatPolicy(p: PolicyView, meta: boolean): string {
  const out = [`ID:           ${p.ID}`, `Name:         ${p.Name}`, `Description:  ${p.Description}`, `Datacenters:  ${(p.Datacenters ?? []).join(', ')}`];
  if (meta) out.push(`Hash:         ${hex(p.Hash)}`, `Create Index: ${p.CreateIndex}`, `Modify Index: ${p.ModifyIndex}`);
  out.push('Rules:', p.Rules ?? '');
  return `${out.join('\n')}\n`;
}

export function formatPolicyList(policies: PolicyView[], meta: boolean): string {
  return policies
    .map((p) => {
      const out = [`${p.Name}:`, `   ID:           ${p.ID}`, `   Description:  ${p.Description}`, `   Datacenters:  ${(p.Datacenters ?? []).join(', ')}`];
      if (meta) out.push(`   Hash:         ${hex(p.Hash)}`, `   Create Index: ${p.CreateIndex}`, `   Modify Index: ${p.ModifyIndex}`);
      return `${out.join('\n')}\n`;
    })
    .join('');
}

export function formatRole(r: RoleView, meta: boolean): string {
  const out = [`ID:           ${r.ID}`, `Name:         ${r.Name}`, `Description:  ${r.Description}`];
  if (meta) out.push(`Hash:         ${hex(r.Hash)}`, `Create Index: ${r.CreateIndex}`, `Modify Index: ${r.ModifyIndex}`);
  links(out, 'Policies', r.Policies);
  identities(out, r);
  return `${out.join('\n')}\n`;
}

export function formatRoleList(roles: RoleView[], meta: boolean): string {
  return roles
    .map((r) => {
      const out = [`${r.Name}:`, `   ID:           ${r.ID}`, `   Description:  ${r.Description}`];
      if (meta) out.push(`   Hash:         ${hex(r.Hash)}`, `   Create Index: ${r.CreateIndex}`, `   Modify Index: ${r.ModifyIndex}`);
      links(out, '   Policies', r.Policies, '      ');
      identities(out, r, '      ');
      return `${out.join('\n')}\n`;
    })
    .join('');
}

/** `-format=json`: the API object, indented as Go's json.MarshalIndent(v, "", "    "). */
export function formatJson(v: unknown): string {
  return `${JSON.stringify(v, null, 4)}\n`;
}

/** `name[:dc1,dc2]` of `-service-identity`. */
export function parseServiceIdentity(v: string): { ServiceName: string; Datacenters?: string[] } {
  const [name = '', dcs] = v.split(':', 2);
  if (!name) throw new Error(`Malformed -service-identity argument: "${v}"`);
  return dcs ? { ServiceName: name, Datacenters: dcs.split(',').filter(Boolean) } : { ServiceName: name };
}

/** `name:dc` of `-node-identity`. */
export function parseNodeIdentity(v: string): { NodeName: string; Datacenter: string } {
  const [name = '', dc = ''] = v.split(':', 2);
  if (!name || !dc) throw new Error(`Malformed -node-identity argument: "${v}"`);
  return { NodeName: name, Datacenter: dc };
}
