/**
 * The objects a leader creates when ACLs are enabled (Consul's structs.ACLPolicyGlobalManagement,
 * the anonymous token) and their well-known IDs.
 */
export { ANONYMOUS_ACCESSOR_ID, GLOBAL_MANAGEMENT_POLICY_ID } from './authorizer.ts';

/** The anonymous token's SecretID: requests without a token act as it. */
export const ANONYMOUS_SECRET_ID = 'anonymous';

export const GLOBAL_MANAGEMENT_NAME = 'global-management';
export const GLOBAL_MANAGEMENT_DESCRIPTION = 'Builtin Policy that grants unlimited access';

/** The global-management policy's rules, as Consul writes them. */
export const GLOBAL_MANAGEMENT_RULES = `acl = "write"
agent_prefix "" {
  policy = "write"
}
event_prefix "" {
  policy = "write"
}
key_prefix "" {
  policy = "write"
}
keyring = "write"
node_prefix "" {
  policy = "write"
}
operator = "write"
mesh = "write"
peering = "write"
query_prefix "" {
  policy = "write"
}
service_prefix "" {
  policy = "write"
  intentions = "write"
}
session_prefix "" {
  policy = "write"
}`;

export const ANONYMOUS_DESCRIPTION = 'Anonymous Token';
export const INITIAL_MANAGEMENT_DESCRIPTION = 'Initial Management Token';
export const BOOTSTRAP_DESCRIPTION = 'Bootstrap Token (Global Management)';
