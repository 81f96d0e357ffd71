import { describe, expect, it } from 'vitest';
import type { TimeSource } from '../ports/clock.ts';
import { GLOBAL_MANAGEMENT_POLICY_ID, GLOBAL_MANAGEMENT_RULES } from './builtin.ts';
import type { ResolvedTokenWire } from './resolved-token.ts';
import { identityFrom } from './resolved-token.ts';
import { TokenResolver, type TokenResolverConfig } from './token-resolver.ts';

class FakeTime implements TimeSource {
  t = 0;
  now(): number {
    return this.t;
  }
  setTimer(): { cancel(): void } {
    return { cancel() {} };
  }
}

const config = (o: Partial<TokenResolverConfig> = {}): TokenResolverConfig => ({
  enabled: true,
  defaultPolicy: 'deny',
  downPolicy: 'extend-cache',
  tokenTtlMs: 30_000,
  datacenter: 'dc1',
  ...o,
});

const wire = (accessor: string, rules: string): ResolvedTokenWire => ({ AccessorID: accessor, Policies: [{ ID: `p-${accessor}`, Name: 'p', Rules: rules }] });

/** A fake server: a map of secrets, a switch to make it unreachable, and a call counter. */
function server() {
  const tokens = new Map<string, ResolvedTokenWire>();
  const s = {
    tokens,
    down: false,
    calls: 0,
    fetch: async (secret: string): Promise<ResolvedTokenWire> => {
      s.calls++;
      if (s.down) throw new Error('No known Consul servers');
      const t = tokens.get(secret);
      if (!t) throw new Error('ACL not found');
      return t;
    },
  };
  return s;
}

describe('token resolution', () => {
  it('caches for token_ttl, then asks again', async () => {
    const time = new FakeTime();
    const srv = server();
    srv.tokens.set('s1', wire('a1', 'key "k" { policy = "read" }'));
    const r = new TokenResolver(config(), time, srv.fetch);
    expect((await r.resolve('s1')).can('key', 'k', 'read')).toBe(true);
    time.t = 29_999;
    srv.tokens.set('s1', wire('a1', 'key "k" { policy = "deny" }'));
    expect((await r.resolve('s1')).can('key', 'k', 'read')).toBe(true);
    expect(srv.calls).toBe(1);
    time.t = 30_000;
    expect((await r.resolve('s1')).can('key', 'k', 'read')).toBe(false);
    expect(srv.calls).toBe(2);
  });

  it('makes one lookup for concurrent requests with the same token', async () => {
    const srv = server();
    srv.tokens.set('s1', wire('a1', ''));
    const r = new TokenResolver(config(), new FakeTime(), srv.fetch);
    await Promise.all([r.resolve('s1'), r.resolve('s1'), r.resolve('s1')]);
    expect(srv.calls).toBe(1);
  });

  it('rejects an unknown secret with ACL not found, never falling back to anonymous', async () => {
    const srv = server();
    srv.tokens.set('anonymous', wire('00000000-0000-0000-0000-000000000002', 'key_prefix "" { policy = "write" }'));
    const r = new TokenResolver(config(), new FakeTime(), srv.fetch);
    await expect(r.resolve('nope')).rejects.toThrow('ACL not found');
    expect((await r.resolve('')).anonymous).toBe(true);
  });

  it.each([
    ['extend-cache', true, false],
    ['async-cache', true, false],
    ['deny', false, false],
    ['allow', true, true],
  ] as const)('down_policy %s: cached token allowed=%s, unknown token allowed=%s', async (downPolicy, cached, uncached) => {
    const time = new FakeTime();
    const srv = server();
    srv.tokens.set('s1', wire('a1', 'key "k" { policy = "write" }'));
    const r = new TokenResolver(config({ downPolicy }), time, srv.fetch);
    await r.resolve('s1');
    time.t = 60_000;
    srv.down = true;
    expect((await r.resolve('s1')).can('key', 'k', 'write')).toBe(cached);
    expect((await r.resolve('other')).can('key', 'k', 'write')).toBe(uncached);
  });

  it('allows everything when ACLs are disabled', async () => {
    const srv = server();
    const r = new TokenResolver(config({ enabled: false }), new FakeTime(), srv.fetch);
    const id = await r.resolve('whatever');
    expect(id.enabled).toBe(false);
    expect(id.canSingle('acl', 'write')).toBe(true);
    expect(srv.calls).toBe(0);
  });
});

describe('identity from policies, roles and the default policy', () => {
  it('unions policies with deny winning, and falls back to default_policy', () => {
    const id = identityFrom(
      {
        AccessorID: 'a',
        Policies: [
          { ID: '1', Name: 'a', Rules: 'key_prefix "app/" { policy = "write" }\nservice "web" { policy = "write" }' },
          { ID: '2', Name: 'b', Rules: '{"key_prefix": {"app/secret/": {"policy": "deny"}}, "service": {"web": {"policy": "read"}}}' },
        ],
      },
      'allow',
      'dc1',
    );
    expect(id.can('key', 'app/x', 'write')).toBe(true);
    expect(id.can('key', 'app/secret/x', 'read')).toBe(false);
    // Same rule in two policies: the stronger level (write) wins over read.
    expect(id.can('service', 'web', 'write')).toBe(true);
    // No rule: default allow.
    expect(id.can('node', 'n1', 'write')).toBe(true);
    expect(id.management).toBe(false);
  });

  it('recognises the global-management policy', () => {
    const id = identityFrom({ AccessorID: 'm', Policies: [{ ID: GLOBAL_MANAGEMENT_POLICY_ID, Name: 'global-management', Rules: GLOBAL_MANAGEMENT_RULES }] }, 'deny', 'dc1');
    expect(id.management).toBe(true);
    expect(id.canSingle('acl', 'write') && id.can('key', 'x', 'write') && id.canSingle('operator', 'write')).toBe(true);
  });

  it('grants service identities write on the service and read for discovery, in their datacenters only', () => {
    const id = identityFrom({ AccessorID: 'a', Policies: [], ServiceIdentities: [{ ServiceName: 'web' }, { ServiceName: 'db', Datacenters: ['dc2'] }] }, 'deny', 'dc1');
    expect(id.can('service', 'web', 'write')).toBe(true);
    expect(id.can('service', 'web-sidecar-proxy', 'write')).toBe(true);
    expect(id.can('service', 'other', 'read')).toBe(true);
    expect(id.can('service', 'other', 'write')).toBe(false);
    expect(id.can('service', 'db', 'write')).toBe(false);
    expect(id.can('node', 'n', 'read')).toBe(true);
  });

  it('refuses a recursive delete when any rule below the prefix denies write (CVE-2019-12291)', () => {
    const id = identityFrom({ AccessorID: 'a', Policies: [{ ID: '1', Name: 'a', Rules: 'key_prefix "" { policy = "write" }\nkey_prefix "secret/" { policy = "read" }' }] }, 'deny', 'dc1');
    expect(() => id.requireKeyWritePrefix('')).toThrow(/lacks permission 'key:write'/);
    expect(() => id.requireKeyWritePrefix('app/')).not.toThrow();
    expect(() => id.requireKeyWritePrefix('secret/')).toThrow();
  });
});
