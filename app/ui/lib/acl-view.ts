/**
 * Pure view models of the ACL pages: list rows (built-in tokens and policies marked as Consul's UI
 * marks them), search, and the request bodies the forms send with their validation.
 */
import type { AclLink, AclNodeIdentity, AclPolicy, AclServiceIdentity, AclPolicyWrite, AclRole, AclRoleWrite, AclToken, AclTokenWrite } from './acl-types.ts';
import { ConsulError } from './errors.ts';
import { matchesText } from './text-search.ts';

/** The anonymous token's fixed AccessorID (structs.ACLTokenAnonymousID). */
export const ANONYMOUS_ACCESSOR_ID = '00000000-0000-0000-0000-000000000002';
/** The built-in policy's fixed ID (structs.ACLPolicyGlobalManagementID). */
export const GLOBAL_MANAGEMENT_ID = '00000000-0000-0000-0000-000000000001';
/** What the agent sends in place of a secret the caller may not see. */
export const HIDDEN_SECRET = '<hidden>';

/** A badge on a token or role row: a policy, role or identity. */
export interface LinkBadge {
  kind: 'policy' | 'role' | 'service-identity' | 'node-identity';
  name: string;
  id?: string;
  /** The built-in global-management policy (drawn like Consul's management badge). */
  management: boolean;
}

/** One token row. */
export interface TokenRow {
  accessor: string;
  description: string;
  badges: LinkBadge[];
  yours: boolean;
  scope: 'local' | 'global';
  /** The anonymous token or a token holding global-management. */
  builtIn: 'anonymous' | 'management' | null;
  /** The anonymous token cannot be deleted (Consul refuses it). */
  deletable: boolean;
}

function policyBadges(list: AclLink[] | null | undefined): LinkBadge[] {
  return (list ?? []).map((p) => ({ kind: 'policy', name: p.Name, id: p.ID, management: p.ID === GLOBAL_MANAGEMENT_ID }));
}

/** The badges of a token or role: policies, then roles, then identities. */
export function linkBadges(o: Pick<AclToken, 'Policies' | 'Roles' | 'ServiceIdentities' | 'NodeIdentities'>): LinkBadge[] {
  return [
    ...policyBadges(o.Policies),
    ...(o.Roles ?? []).map((r): LinkBadge => ({ kind: 'role', name: r.Name, id: r.ID, management: false })),
    ...(o.ServiceIdentities ?? []).map((s): LinkBadge => ({ kind: 'service-identity', name: s.ServiceName, management: false })),
    ...(o.NodeIdentities ?? []).map((n): LinkBadge => ({ kind: 'node-identity', name: `${n.NodeName} (${n.Datacenter})`, management: false })),
  ];
}

/** Whether a token holds the global-management policy. */
export function isManagement(token: Pick<AclToken, 'Policies'>): boolean {
  return (token.Policies ?? []).some((p) => p.ID === GLOBAL_MANAGEMENT_ID);
}

/** A token as its list row; `selfAccessor` is the logged-in token's AccessorID ('' = none). */
export function tokenRow(token: AclToken, selfAccessor: string): TokenRow {
  const anonymous = token.AccessorID === ANONYMOUS_ACCESSOR_ID;
  return {
    accessor: token.AccessorID,
    description: token.Description,
    badges: linkBadges(token),
    yours: selfAccessor !== '' && token.AccessorID === selfAccessor,
    scope: token.Local ? 'local' : 'global',
    builtIn: anonymous ? 'anonymous' : isManagement(token) ? 'management' : null,
    deletable: !anonymous,
  };
}

/** Tokens matching `text` (AccessorID, description, policy/role names), newest first. */
export function selectTokens(tokens: readonly AclToken[], text: string, selfAccessor: string): TokenRow[] {
  return [...tokens]
    .sort((a, b) => b.CreateIndex - a.CreateIndex || a.AccessorID.localeCompare(b.AccessorID))
    .map((t) => tokenRow(t, selfAccessor))
    .filter((r) => matchesText(text, [r.accessor, r.description, ...r.badges.map((b) => b.name)]));
}

/** One policy row. */
export interface PolicyRow {
  id: string;
  name: string;
  description: string;
  /** "All" when valid in every datacenter, else the list. */
  datacenters: string;
  builtIn: boolean;
}

/** A policy as its list row. */
export function policyRow(p: AclPolicy): PolicyRow {
  const dcs = p.Datacenters ?? [];
  return { id: p.ID, name: p.Name, description: p.Description, datacenters: dcs.length === 0 ? 'All' : dcs.join(', '), builtIn: p.ID === GLOBAL_MANAGEMENT_ID };
}

/** Policies matching `text` (name, description), global-management first, then by name. */
export function selectPolicies(policies: readonly AclPolicy[], text: string): PolicyRow[] {
  return policies
    .map(policyRow)
    .filter((r) => matchesText(text, [r.name, r.description]))
    .sort((a, b) => Number(b.builtIn) - Number(a.builtIn) || a.name.localeCompare(b.name));
}

/** One role row. */
export interface RoleRow {
  id: string;
  name: string;
  description: string;
  badges: LinkBadge[];
}

/** Roles matching `text` (name, description, policy names), by name. */
export function selectRoles(roles: readonly AclRole[], text: string): RoleRow[] {
  return roles
    .map((r) => ({ id: r.ID, name: r.Name, description: r.Description, badges: linkBadges({ ...r, Roles: null }) }))
    .filter((r) => matchesText(text, [r.name, r.description, ...r.badges.map((b) => b.name)]))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Whether the logged-in token may write ACLs, read from the token list: the agent reveals
 * secrets only to acl:write (every list holds at least the anonymous token).
 */
export function canWriteAcls(tokens: readonly AclToken[] | null | undefined): boolean {
  return (tokens ?? []).some((t) => t.SecretID !== HIDDEN_SECRET);
}

/** Whether a response was filtered by ACLs (`X-Consul-Results-Filtered-By-ACLs: true`). */
export function filteredByAcls(headers: Headers): boolean {
  return headers.get('X-Consul-Results-Filtered-By-ACLs')?.toLowerCase() === 'true';
}

/** A secret as shown before "reveal": its length hidden too. */
export function maskSecret(secret: string): string {
  return secret === '' ? '' : '•'.repeat(24);
}

/** Toggles an ID in a picked list (keeps order, no duplicates). */
export function togglePick(picked: readonly string[], id: string): string[] {
  return picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id];
}

/**
 * The datacenters a policy form offers: the known ones plus any the policy names that this agent
 * does not know (so saving never drops them silently), sorted.
 */
export function datacenterChoices(known: readonly string[], policy: readonly string[]): string[] {
  return [...new Set([...known, ...policy])].sort();
}

/** Consul's policy and role name rule (agent/structs validPolicyName / validRoleName). */
const NAME = /^[A-Za-z0-9\-_]{1,128}$/;

/** The policy form's fields. */
export interface PolicyForm {
  name: string;
  description: string;
  rules: string;
  /** Empty = valid in all datacenters (Consul's "All"). */
  datacenters: string[];
}

/** The body of a policy write, or the reason the form cannot be saved. */
export function policyBody(f: PolicyForm): AclPolicyWrite | { error: string } {
  const name = f.name.trim();
  if (!NAME.test(name)) return { error: 'Name is required and may only contain letters, digits, dashes and underscores (up to 128).' };
  return { Name: name, Description: f.description, Rules: f.rules, Datacenters: [...new Set(f.datacenters)] };
}

/** The body of a role write, or the reason the form cannot be saved. */
export function roleBody(f: { name: string; description: string; policies: string[] }, keep: Pick<AclRole, 'ServiceIdentities' | 'NodeIdentities'> = {}): AclRoleWrite | { error: string } {
  const name = f.name.trim();
  if (!/^[A-Za-z0-9\-_]{1,256}$/.test(name)) return { error: 'Name is required and may only contain letters, digits, dashes and underscores.' };
  return { Name: name, Description: f.description, Policies: f.policies.map((ID) => ({ ID })), ...identities(keep) };
}

/** Both identity lists, always sent: an update replaces the token, so an omitted list is not "unchanged". */
function identities(keep: IdentitySet) {
  return { ServiceIdentities: keep.ServiceIdentities ?? [], NodeIdentities: keep.NodeIdentities ?? [] };
}

/**
 * The body of a token write: the form's identities (else the token's own); `Local` only on
 * create (Consul refuses to change it on update).
 */
export function tokenBody(
  f: { description: string; policies: string[]; roles: string[]; local: boolean; identities?: IdentitySet },
  existing: AclToken | null,
): AclTokenWrite {
  const body: AclTokenWrite = {
    Description: f.description,
    Policies: f.policies.map((ID) => ({ ID })),
    Roles: f.roles.map((ID) => ({ ID })),
    ...identities(f.identities ?? existing ?? {}),
  };
  if (existing === null) body.Local = f.local;
  return body;
}

/** The message under the login form when a secret was refused. */
export function loginErrorText(error: unknown): string {
  if (error instanceof ConsulError && error.kind === 'forbidden') {
    return 'The token you entered does not exist (ACL not found). Enter the SecretID of an existing token.';
  }
  if (error instanceof ConsulError && error.kind === 'unreachable') return 'The Consul agent cannot be reached; try again in a moment.';
  return error instanceof Error ? error.message : String(error);
}

/** The service and node identities of a token or role. */
export interface IdentitySet {
  ServiceIdentities?: AclServiceIdentity[] | null;
  NodeIdentities?: AclNodeIdentity[] | null;
}

/** Consul's rule for service and node identity names (structs validServiceIdentityName). */
const IDENTITY_NAME = /^[a-z0-9]([a-z0-9\-_]*[a-z0-9])?$/;

/**
 * Adds a service identity, or a node identity in datacenter `dc` (Consul requires one), unless
 * the name is invalid or already there.
 */
export function addIdentity(set: IdentitySet, kind: 'service' | 'node', rawName: string, dc: string): IdentitySet | { error: string } {
  const name = rawName.trim();
  if (name.length > 256 || !IDENTITY_NAME.test(name)) {
    return { error: `A ${kind} identity name uses lower-case letters, digits, dashes and underscores, starting and ending with a letter or digit.` };
  }
  const services = set.ServiceIdentities ?? [];
  const nodes = set.NodeIdentities ?? [];
  if (kind === 'service') {
    if (services.some((s) => s.ServiceName === name)) return { error: `Service identity "${name}" is already there.` };
    return { ...set, ServiceIdentities: [...services, { ServiceName: name }] };
  }
  if (nodes.some((n) => n.NodeName === name && n.Datacenter === dc)) return { error: `Node identity "${name}" is already there.` };
  return { ...set, NodeIdentities: [...nodes, { NodeName: name, Datacenter: dc }] };
}

/** Removes the identity a badge stands for (`name` as linkBadges shows it). */
export function removeIdentity(set: IdentitySet, badge: Pick<LinkBadge, 'kind' | 'name'>): IdentitySet {
  if (badge.kind === 'service-identity') return { ...set, ServiceIdentities: (set.ServiceIdentities ?? []).filter((s) => s.ServiceName !== badge.name) };
  return { ...set, NodeIdentities: (set.NodeIdentities ?? []).filter((n) => `${n.NodeName} (${n.Datacenter})` !== badge.name) };
}
