/**
 * Consul's ACL JSON (`/v1/acl/*`, reference §3 ACL): tokens, policies and roles as the agent
 * returns them. Link lists the agent omits when empty are optional.
 */

/** A reference from a token or role to a policy or role: `{ID, Name}` (either may be sent). */
export interface AclLink {
  ID: string;
  Name: string;
}

/** A service identity on a token or role. */
export interface AclServiceIdentity {
  ServiceName: string;
  Datacenters?: string[] | null;
}

/** A node identity on a token or role. */
export interface AclNodeIdentity {
  NodeName: string;
  Datacenter: string;
}

/** structs.ACLToken as JSON. `SecretID` is `<hidden>` without acl:write. */
export interface AclToken {
  AccessorID: string;
  SecretID: string;
  Description: string;
  Policies?: AclLink[] | null;
  Roles?: AclLink[] | null;
  ServiceIdentities?: AclServiceIdentity[] | null;
  NodeIdentities?: AclNodeIdentity[] | null;
  Local: boolean;
  ExpirationTime?: string;
  CreateTime?: string;
  Hash?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** structs.ACLPolicy; the list endpoint omits `Rules`. `Datacenters` null = valid in all. */
export interface AclPolicy {
  ID: string;
  Name: string;
  Description: string;
  Rules?: string;
  Datacenters?: string[] | null;
  Hash?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** structs.ACLRole as JSON. */
export interface AclRole {
  ID: string;
  Name: string;
  Description: string;
  Policies?: AclLink[] | null;
  ServiceIdentities?: AclServiceIdentity[] | null;
  NodeIdentities?: AclNodeIdentity[] | null;
  Hash?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** What a token write sends (create: PUT /v1/acl/token; update: PUT /v1/acl/token/:id). */
export interface AclTokenWrite {
  Description: string;
  Policies: { ID: string }[];
  Roles: { ID: string }[];
  Local?: boolean;
  ServiceIdentities?: AclServiceIdentity[];
  NodeIdentities?: AclNodeIdentity[];
}

/** What a policy write sends. */
export interface AclPolicyWrite {
  Name: string;
  Description: string;
  Rules: string;
  Datacenters: string[];
}

/** What a role write sends. */
export interface AclRoleWrite {
  Name: string;
  Description: string;
  Policies: { ID: string }[];
  ServiceIdentities?: AclServiceIdentity[];
  NodeIdentities?: AclNodeIdentity[];
}
