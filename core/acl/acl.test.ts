import { describe, expect, it } from 'vitest';
import { grants, takesPrecedence } from './access.ts';
import { ANONYMOUS_ACCESSOR_ID, Authorizer, permissionDenied } from './authorizer.ts';
import { compileRules, managementRules, mergeRules, RulesError } from './rules.ts';

const authz = (doc: Record<string, unknown>, def: 'allow' | 'deny' = 'deny') => new Authorizer(compileRules(doc), def);

describe('access levels', () => {
  it('write grants list and read; list grants read; deny grants nothing', () => {
    expect(grants('write', 'read') && grants('write', 'list') && grants('write', 'write')).toBe(true);
    expect(grants('list', 'read') && grants('list', 'list')).toBe(true);
    expect(grants('list', 'write') || grants('read', 'list') || grants('read', 'write')).toBe(false);
    expect(grants('deny', 'read')).toBe(false);
  });

  it('merges with deny > write > list > read', () => {
    expect(takesPrecedence('deny', 'write')).toBe(true);
    expect(takesPrecedence('write', 'read')).toBe(true);
    expect(takesPrecedence('read', 'write')).toBe(false);
    expect(takesPrecedence('write', 'deny')).toBe(false);
  });
});

describe('rule precedence', () => {
  const a = authz({
    key_prefix: { '': { policy: 'read' }, 'app/': { policy: 'write' }, 'app/secret/': { policy: 'deny' } },
    key: { 'app/secret/shared': { policy: 'read' }, 'app/x': { policy: 'deny' } },
    service_prefix: { '': { policy: 'read' } },
    service: { web: { policy: 'write' } },
    operator: 'read',
  });

  it.each([
    ['other', 'read', true],
    ['other', 'write', false],
    ['app/config', 'write', true],
    ['app/secret/token', 'read', false],
    ['app/secret/shared', 'read', true],
    ['app/secret/shared', 'write', false],
    ['app/x', 'read', false],
    ['app/xy', 'write', true],
  ] as const)('key %s %s -> %s (exact beats prefix, longest prefix wins)', (key, level, expected) => {
    expect(a.allowed('key', key, level)).toBe(expected);
  });

  it('applies to services and single resources', () => {
    expect(a.allowed('service', 'web', 'write')).toBe(true);
    expect(a.allowed('service', 'db', 'write')).toBe(false);
    expect(a.allowed('service', 'db', 'read')).toBe(true);
    expect(a.allowedSingle('operator', 'read')).toBe(true);
    expect(a.allowedSingle('operator', 'write')).toBe(false);
    expect(a.allowedSingle('keyring', 'read')).toBe(false);
  });

  it('falls back to the default policy when no rule matches', () => {
    expect(authz({ key: { a: { policy: 'read' } } }, 'allow').allowed('node', 'n1', 'write')).toBe(true);
    expect(authz({ key: { a: { policy: 'read' } } }, 'deny').allowed('node', 'n1', 'read')).toBe(false);
    // A matching deny rule beats an allow default.
    expect(authz({ node_prefix: { '': { policy: 'deny' } } }, 'allow').allowed('node', 'n1', 'read')).toBe(false);
  });

  it('key list lets a token list but not write', () => {
    const l = authz({ key_prefix: { '': { policy: 'list' } } });
    expect(l.allowed('key', 'a', 'list')).toBe(true);
    expect(l.allowed('key', 'a', 'read')).toBe(true);
    expect(l.allowed('key', 'a', 'write')).toBe(false);
  });

  it('treats a recursive delete as a write on every key below (CVE-2019-12291)', () => {
    const t = authz({ key_prefix: { 'app/': { policy: 'write' }, 'app/locked/': { policy: 'read' } }, key: { 'app/pinned': { policy: 'deny' } } });
    expect(t.keyWritePrefix('app/config/')).toBe(true);
    expect(t.keyWritePrefix('app/')).toBe(false);
    expect(t.keyWritePrefix('')).toBe(false);
    expect(authz({ key_prefix: { 'app/': { policy: 'write' } } }).keyWritePrefix('app/')).toBe(true);
  });
});

describe('policies', () => {
  it('merges several policies, the stronger rule winning', () => {
    const merged = mergeRules([compileRules({ key: { a: { policy: 'read' } } }), compileRules({ key: { a: { policy: 'write' } } })]);
    expect(new Authorizer(merged, 'deny').allowed('key', 'a', 'write')).toBe(true);
    const denied = mergeRules([compileRules({ key: { a: { policy: 'write' } } }), compileRules({ key: { a: { policy: 'deny' } } })]);
    expect(new Authorizer(denied, 'allow').allowed('key', 'a', 'read')).toBe(false);
  });

  it('accepts repeated blocks as arrays (HCL 1)', () => {
    const t = authz({ key: [{ a: { policy: 'write' } }, { b: { policy: 'read' } }] });
    expect(t.allowed('key', 'a', 'write') && t.allowed('key', 'b', 'read')).toBe(true);
  });

  it('global-management allows everything', () => {
    const m = new Authorizer(managementRules(), 'deny');
    expect(m.allowed('key', 'anything', 'write') && m.allowedSingle('acl', 'write') && m.keyWritePrefix('')).toBe(true);
  });

  it.each([
    [{ key: { a: { policy: 'admin' } } }, /Invalid key policy/],
    [{ service: { a: { policy: 'list' } } }, /Invalid service policy/],
    [{ operator: 'list' }, /Invalid operator policy/],
    [{ bogus: {} }, /unknown resource "bogus"/],
  ])('rejects %j', (doc, message) => {
    expect(() => compileRules(doc)).toThrow(RulesError);
    expect(() => compileRules(doc)).toThrow(message);
  });
});

describe('errors', () => {
  it('words permission denied as Consul does', () => {
    expect(permissionDenied('abc', 'key', 'read', 'foo').message).toBe("Permission denied: token with AccessorID 'abc' lacks permission 'key:read' on \"foo\"");
    expect(permissionDenied(ANONYMOUS_ACCESSOR_ID, 'key', 'read', 'foo').message).toBe(
      "Permission denied: anonymous token lacks permission 'key:read' on \"foo\". The anonymous token is used implicitly when a request does not specify a token.",
    );
  });
});
