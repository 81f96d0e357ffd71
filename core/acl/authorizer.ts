import { type Access, grants, type Required } from './access.ts';
import type { PolicyRules, SegmentedResource, SingleResource } from './rules.ts';

/** An answer: the rules decided, or they said nothing and the next authorizer (the default) decides. */
export type Decision = 'allow' | 'deny' | 'default';

/**
 * Decides requests by a token's rules: for segmented resources an exact rule beats any prefix rule
 * and the longest matching prefix wins; a level grants what it covers (write > list > read); no
 * matching rule defers to the default policy (`acl.default_policy`).
 */
export class Authorizer {
  /** Prefixes per resource, longest first, so the first match is the longest. */
  private readonly prefixes = new Map<SegmentedResource, Array<[string, Access]>>();

  constructor(
    private readonly rules: PolicyRules,
    private readonly defaultPolicy: 'allow' | 'deny',
  ) {
    for (const [res, r] of Object.entries(rules.segmented) as Array<[SegmentedResource, PolicyRules['segmented'][SegmentedResource]]>) {
      this.prefixes.set(res, [...r.prefix].sort((a, b) => b[0].length - a[0].length));
    }
  }

  /** The rule that governs `name` of `resource`, if any. */
  private ruleFor(resource: SegmentedResource, name: string): Access | undefined {
    const exact = this.rules.segmented[resource].exact.get(name);
    if (exact !== undefined) return exact;
    for (const [prefix, access] of this.prefixes.get(resource) ?? []) if (name.startsWith(prefix)) return access;
    return undefined;
  }

  decide(resource: SegmentedResource, name: string, required: Required): Decision {
    const rule = this.ruleFor(resource, name);
    if (rule === undefined) return 'default';
    return grants(rule, required) ? 'allow' : 'deny';
  }

  decideSingle(resource: SingleResource, required: Required): Decision {
    const rule = this.rules.single[resource];
    if (rule === undefined) return 'default';
    return grants(rule, required) ? 'allow' : 'deny';
  }

  /** Whether `resource:name` allows `required`, after the default policy. */
  allowed(resource: SegmentedResource, name: string, required: Required): boolean {
    return this.resolve(this.decide(resource, name, required));
  }

  allowedSingle(resource: SingleResource, required: Required): boolean {
    return this.resolve(this.decideSingle(resource, required));
  }

  /**
   * A recursive write under `prefix` (KV delete-tree): allowed only if writing the prefix itself is
   * allowed and no more specific rule below it denies write (CVE-2019-12291: a recursive delete is a
   * write on every key it touches).
   */
  keyWritePrefix(prefix: string): boolean {
    if (!this.allowed('key', prefix, 'write')) return false;
    const key = this.rules.segmented.key;
    for (const [name, access] of key.exact) if (name.startsWith(prefix) && !grants(access, 'write')) return false;
    for (const [name, access] of key.prefix) if (name.startsWith(prefix) && name.length > prefix.length && !grants(access, 'write')) return false;
    return true;
  }

  private resolve(decision: Decision): boolean {
    if (decision === 'default') return this.defaultPolicy === 'allow';
    return decision === 'allow';
  }
}

/** Consul's permission-denied text (acl/errors.go PermissionDeniedError). */
export function permissionDenied(accessorID: string, resource: string, level: string, name?: string): Error {
  const what = `'${resource}:${level}'${name === undefined ? '' : ` on "${name}"`}`;
  if (accessorID === ANONYMOUS_ACCESSOR_ID) {
    return new Error(`Permission denied: anonymous token lacks permission ${what}. The anonymous token is used implicitly when a request does not specify a token.`);
  }
  return new Error(`Permission denied: token with AccessorID '${accessorID}' lacks permission ${what}`);
}

/** The anonymous token's AccessorID. */
export const ANONYMOUS_ACCESSOR_ID = '00000000-0000-0000-0000-000000000002';
/** The built-in global-management policy's ID. */
export const GLOBAL_MANAGEMENT_POLICY_ID = '00000000-0000-0000-0000-000000000001';
