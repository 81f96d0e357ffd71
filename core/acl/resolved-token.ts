import { Authorizer, GLOBAL_MANAGEMENT_POLICY_ID } from './authorizer.ts';
import { AclIdentity } from './identity.ts';
import { parseRules } from './parse.ts';
import { emptyRules, mergeRules, type PolicyRules } from './rules.ts';

/**
 * What a server answers to ACL.TokenResolve (its wire shape between agent and server): the token's
 * AccessorID and the rules of every policy that applies to it, its own and its roles', plus the
 * rules its service and node identities imply. Agents compile and cache this.
 */
export interface ResolvedTokenWire {
  AccessorID: string;
  /** Rules text of each applying policy (HCL or JSON), in a stable order. */
  Policies: Array<{ ID: string; Name: string; Rules: string }>;
  ServiceIdentities?: Array<{ ServiceName: string; Datacenters?: string[] }>;
  NodeIdentities?: Array<{ NodeName: string; Datacenter: string }>;
}

/**
 * A service identity grants write on the service (and its sidecar proxy) and read on every node
 * and service, for discovery (Consul's ACLServiceIdentity.SyntheticPolicy).
 */
function serviceIdentityRules(name: string): PolicyRules {
  const r = emptyRules();
  r.segmented.service.exact.set(name, 'write');
  r.segmented.service.exact.set(`${name}-sidecar-proxy`, 'write');
  r.segmented.service.prefix.set('', 'read');
  r.segmented.node.prefix.set('', 'read');
  return r;
}

/** A node identity grants write on the node and read on every service (ACLNodeIdentity.SyntheticPolicy). */
function nodeIdentityRules(name: string): PolicyRules {
  const r = emptyRules();
  r.segmented.node.exact.set(name, 'write');
  r.segmented.service.prefix.set('', 'read');
  return r;
}

/**
 * Builds the identity for a resolved token: the union of its policies' rules (deny beats write
 * beats list beats read for the same rule), then `defaultPolicy` for anything no rule covers.
 * A token with the global-management policy is a management token. Bad rules text in a stored
 * policy is skipped (the policy was validated when it was written).
 */
export function identityFrom(wire: ResolvedTokenWire, defaultPolicy: 'allow' | 'deny', datacenter: string, secret = ''): AclIdentity {
  const all: PolicyRules[] = [];
  let management = false;
  for (const p of wire.Policies) {
    if (p.ID === GLOBAL_MANAGEMENT_POLICY_ID) management = true;
    try {
      all.push(parseRules(p.Rules));
    } catch {
      // Stored policies were validated on write; a policy that no longer parses grants nothing.
    }
  }
  for (const s of wire.ServiceIdentities ?? []) {
    if (!s.Datacenters?.length || s.Datacenters.includes(datacenter)) all.push(serviceIdentityRules(s.ServiceName));
  }
  for (const n of wire.NodeIdentities ?? []) if (n.Datacenter === datacenter) all.push(nodeIdentityRules(n.NodeName));
  return AclIdentity.of(wire.AccessorID, new Authorizer(mergeRules(all), defaultPolicy), management, secret);
}
