import { describe, expect, it } from 'vitest';
import { buildUrl, encodePath, parseIndex } from './api.ts';
import { ConsulError, classifyResponse, describeError } from './errors.ts';
import { getBlocking, getToken, type SettingsStore, setBlocking, setToken } from './settings.ts';

describe('request URLs', () => {
  it('adds dc, query flags and the blocking index', () => {
    expect(buildUrl('kv/a', { dc: 'dc1', query: { keys: true, separator: '/' } })).toBe('/v1/kv/a?dc=dc1&keys&separator=%2F');
    expect(buildUrl('internal/ui/services', { dc: 'dc 2', index: 42 })).toBe('/v1/internal/ui/services?dc=dc%202&index=42&wait=120s');
    expect(buildUrl('kv/a', { query: { cas: 0, flags: undefined, recurse: false } })).toBe('/v1/kv/a?cas=0');
    expect(encodePath('a b/c#d/')).toBe('a%20b/c%23d/');
  });

  it('reads X-Consul-Index, ignoring junk', () => {
    expect(parseIndex(new Headers({ 'X-Consul-Index': '17' }))).toBe(17);
    expect(parseIndex(new Headers({ 'X-Consul-Index': 'abc' }))).toBeNull();
    expect(parseIndex(new Headers({ 'X-Consul-Index': '0' }))).toBeNull();
    expect(parseIndex(new Headers())).toBeNull();
  });
});

describe('error texts', () => {
  it('classifies the errors operators need to tell apart', () => {
    expect(classifyResponse(500, 'No cluster leader', false)).toBe('no-leader');
    expect(classifyResponse(403, 'Permission denied', false)).toBe('forbidden');
    expect(classifyResponse(502, 'connect ECONNREFUSED', true)).toBe('unreachable');
    expect(classifyResponse(500, 'No path to datacenter', false)).toBe('no-datacenter');
    expect(classifyResponse(401, 'ACL support disabled', false)).toBe('acl-disabled');
    expect(classifyResponse(500, 'boom', false)).toBe('http');
    expect(classifyResponse(404, 'Invalid URL path: not a recognized HTTP API endpoint\n', false)).toBe('unsupported');
    expect(classifyResponse(404, '', false)).toBe('not-found');
  });

  it('words each kind clearly', () => {
    expect(describeError(new ConsulError('unreachable', 0, 'x')).title).toBe('Consul agent unreachable');
    expect(describeError(new ConsulError('no-leader', 500, 'No cluster leader')).title).toBe('No cluster leader');
    const denied = describeError(new ConsulError('forbidden', 403, "Permission denied: token lacks permission 'key:read'"));
    expect(denied.title).toBe('Access denied (403)');
    expect(denied.detail).toContain("lacks permission 'key:read'");
    expect(describeError(new Error('plain')).detail).toBe('plain');
  });
});

describe('settings', () => {
  it('stores the token and the blocking toggle', () => {
    const map = new Map<string, string>();
    const store: SettingsStore = {
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
      removeItem: (k) => void map.delete(k),
    };
    expect(getToken(store)).toBe('');
    setToken('  secret ', store);
    expect(getToken(store)).toBe('secret');
    setToken('', store);
    expect(getToken(store)).toBe('');
    expect(getBlocking(store)).toBe(true);
    setBlocking(false, store);
    expect(getBlocking(store)).toBe(false);
    expect(getToken(null)).toBe('');
  });
});

describe('datacenter choice', () => {
  it('opens the local datacenter, or the only one, else asks', async () => {
    const { pickDatacenter } = await import('./datacenters.ts');
    expect(pickDatacenter(['dc1', 'dc2'], 'dc2')).toBe('dc2');
    expect(pickDatacenter(['dc1'], undefined)).toBe('dc1');
    expect(pickDatacenter(['dc1', 'dc2'], undefined)).toBeNull();
    expect(pickDatacenter(['dc1', 'dc2'], 'dc9')).toBeNull();
  });
});
