import type { Required } from './access.ts';
import { ANONYMOUS_ACCESSOR_ID, Authorizer, permissionDenied } from './authorizer.ts';
import { emptyRules, type SegmentedResource, type SingleResource } from './rules.ts';

let DISABLED: AclIdentity | undefined;

/**
 * Who a request acts as, and what it may do: a resolved token (its AccessorID and an Authorizer
 * over its policies, its roles' policies and the default policy), or "ACLs disabled", which
 * allows everything. This is what the HTTP API, DNS and tRPC check against; `agent.resolveToken`
 * produces it.
 */
export class AclIdentity {
  private constructor(
    /** False when ACLs are disabled: every check passes and nothing is filtered. */
    readonly enabled: boolean,
    readonly accessorID: string,
    private readonly authz: Authorizer,
    /** A management token (global-management policy) may do anything, snapshots included. */
    readonly management: boolean,
    /**
     * The secret this identity was resolved from ('' for the anonymous token and when ACLs are
     * off), so that calls made on the request's behalf carry the same token (the agent's default
     * token when the request had none).
     */
    readonly secret = '',
  ) {}

  /** ACLs are off: everything is allowed. */
  static disabled(): AclIdentity {
    DISABLED ??= new AclIdentity(false, '', new Authorizer(emptyRules(), 'allow'), true);
    return DISABLED;
  }

  /** A resolved token. */
  static of(accessorID: string, authz: Authorizer, management: boolean, secret = ''): AclIdentity {
    return new AclIdentity(true, accessorID, authz, management, secret);
  }

  /** Nothing is allowed beyond what `fallback` says (down_policy deny/allow when servers are unreachable). */
  static policyOnly(accessorID: string, fallback: 'allow' | 'deny'): AclIdentity {
    return new AclIdentity(true, accessorID, new Authorizer(emptyRules(), fallback), false);
  }

  /** Whether this is the anonymous token (Consul hides the filtered-results header for it). */
  get anonymous(): boolean {
    return this.accessorID === ANONYMOUS_ACCESSOR_ID;
  }

  can(resource: SegmentedResource, name: string, level: Required): boolean {
    return !this.enabled || this.authz.allowed(resource, name, level);
  }

  canSingle(resource: SingleResource, level: Required): boolean {
    return !this.enabled || this.authz.allowedSingle(resource, level);
  }

  /** Throws Consul's permission-denied error unless `resource:level` on `name` is allowed. */
  require(resource: SegmentedResource, name: string, level: Required): void {
    if (!this.can(resource, name, level)) throw permissionDenied(this.accessorID, resource, level, name);
  }

  requireSingle(resource: SingleResource, level: Required): void {
    if (!this.canSingle(resource, level)) throw permissionDenied(this.accessorID, resource, level);
  }

  /**
   * A recursive KV write (delete-tree) under `prefix`: a write on every key it could touch, so a
   * deny anywhere below the prefix refuses it (CVE-2019-12291).
   */
  requireKeyWritePrefix(prefix: string): void {
    if (this.enabled && !this.authz.keyWritePrefix(prefix)) throw permissionDenied(this.accessorID, 'key', 'write', prefix);
  }

  /** Consul's snapshot and other management-only operations need `acl:write`. */
  requireManagement(): void {
    this.requireSingle('acl', 'write');
  }
}
