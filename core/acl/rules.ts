import { type Access, isAccess, takesPrecedence } from './access.ts';

/** Resources whose rules name a segment (a key, node, service...), exactly or as a prefix. */
export const SEGMENTED = ['agent', 'event', 'key', 'node', 'query', 'service', 'session'] as const;
export type SegmentedResource = (typeof SEGMENTED)[number];

/** Resources with a single, segment-less rule. */
export const SINGLE = ['acl', 'keyring', 'mesh', 'operator', 'peering'] as const;
export type SingleResource = (typeof SINGLE)[number];

/** Exact and prefix rules of one segmented resource. */
export interface SegmentRules {
  exact: Map<string, Access>;
  prefix: Map<string, Access>;
}

/** The rules of one policy (or of several merged), ready to enforce. */
export interface PolicyRules {
  segmented: Record<SegmentedResource, SegmentRules>;
  single: Partial<Record<SingleResource, Access>>;
}

/** A rules document Consul would refuse; the message is Consul's style. */
export class RulesError extends Error {}

export function emptyRules(): PolicyRules {
  const segmented = {} as Record<SegmentedResource, SegmentRules>;
  for (const r of SEGMENTED) segmented[r] = { exact: new Map(), prefix: new Map() };
  return { segmented, single: {} };
}

/**
 * Compiles a rules document, as parsed from HCL or JSON, e.g.
 * `{ key_prefix: { "app/": { policy: "write" } }, operator: "read" }`. A repeated block parses to
 * an array of objects, which is accepted too. Unknown resources and bad levels are errors.
 */
export function compileRules(doc: Record<string, unknown>): PolicyRules {
  const rules = emptyRules();
  for (const [key, value] of Object.entries(doc)) {
    if ((SINGLE as readonly string[]).includes(key)) {
      const access = singleAccess(key, value);
      addSingle(rules, key as SingleResource, access);
      continue;
    }
    const prefix = key.endsWith('_prefix');
    const resource = prefix ? key.slice(0, -'_prefix'.length) : key;
    if (!(SEGMENTED as readonly string[]).includes(resource)) throw new RulesError(`Failed to parse ACL rules: unknown resource "${key}"`);
    for (const block of Array.isArray(value) ? value : [value]) {
      if (!block || typeof block !== 'object') throw new RulesError(`Failed to parse ACL rules: "${key}" must be a block`);
      for (const [segment, body] of Object.entries(block as Record<string, unknown>)) {
        const access = blockAccess(key, segment, body);
        addSegment(rules, resource as SegmentedResource, prefix, segment, access);
      }
    }
  }
  return rules;
}

function singleAccess(key: string, value: unknown): Access {
  const v = typeof value === 'object' && value !== null && 'policy' in value ? (value as { policy: unknown }).policy : value;
  if (!isAccess(v) || v === 'list') throw new RulesError(`Failed to parse ACL rules: Invalid ${key} policy: "${String(v)}"`);
  return v;
}

function blockAccess(key: string, segment: string, body: unknown): Access {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>).policy : undefined;
  const resource = key.replace(/_prefix$/, '');
  if (!isAccess(v) || (v === 'list' && resource !== 'key')) {
    throw new RulesError(`Failed to parse ACL rules: Invalid ${resource} policy: ${JSON.stringify({ Name: segment, Policy: v ?? '' })}`);
  }
  return v;
}

function addSingle(rules: PolicyRules, resource: SingleResource, access: Access): void {
  const prev = rules.single[resource];
  if (prev === undefined || takesPrecedence(access, prev)) rules.single[resource] = access;
}

function addSegment(rules: PolicyRules, resource: SegmentedResource, prefix: boolean, segment: string, access: Access): void {
  const map = prefix ? rules.segmented[resource].prefix : rules.segmented[resource].exact;
  const prev = map.get(segment);
  if (prev === undefined || takesPrecedence(access, prev)) map.set(segment, access);
}

/** Merges several policies' rules into one: the same rule in two policies takes the stronger level. */
export function mergeRules(all: readonly PolicyRules[]): PolicyRules {
  const out = emptyRules();
  for (const r of all) {
    for (const res of SINGLE) {
      const a = r.single[res];
      if (a !== undefined) addSingle(out, res, a);
    }
    for (const res of SEGMENTED) {
      for (const [seg, a] of r.segmented[res].exact) addSegment(out, res, false, seg, a);
      for (const [seg, a] of r.segmented[res].prefix) addSegment(out, res, true, seg, a);
    }
  }
  return out;
}

/** The built-in `global-management` policy's rules: write on everything. */
export function managementRules(): PolicyRules {
  const rules = emptyRules();
  for (const r of SINGLE) rules.single[r] = 'write';
  for (const r of SEGMENTED) rules.segmented[r].prefix.set('', 'write');
  return rules;
}
