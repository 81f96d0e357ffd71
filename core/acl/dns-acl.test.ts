import { describe, expect, it } from 'vitest';
import { DnsAclView } from './dns-acl.ts';
import { identityFrom } from './resolved-token.ts';

describe('DNS ACL view', () => {
  it('fails closed until the token resolves, then filters by node/service read, refreshing after refreshMs', async () => {
    let now = 0;
    let rules = 'service "web" { policy = "read" }\nnode_prefix "" { policy = "read" }';
    let calls = 0;
    const view = new DnsAclView(
      () => true,
      () => 'dns-secret',
      async (secret) => {
        calls++;
        expect(secret).toBe('dns-secret');
        return identityFrom({ AccessorID: 'd', Policies: [{ ID: '1', Name: 'p', Rules: rules }] }, 'deny', 'dc1');
      },
      { now: () => now, setTimer: () => ({ cancel() {} }) },
      5000,
    );
    expect(view.canRead('service', 'web')).toBe(false);
    await Promise.resolve();
    await Promise.resolve();
    expect(view.canRead('service', 'web')).toBe(true);
    expect(view.canRead('service', 'db')).toBe(false);
    expect(view.canRead('node', 'n1')).toBe(true);
    expect(calls).toBe(1);
    rules = '';
    now = 5000;
    view.canRead('service', 'web');
    await view.refresh();
    await Promise.resolve();
    expect(view.canRead('service', 'web')).toBe(false);
  });

  it('allows everything with ACLs off and denies everything for an unknown token', async () => {
    expect(new DnsAclView(() => false, () => '', () => Promise.reject(new Error('x')), { now: () => 0, setTimer: () => ({ cancel() {} }) }).canRead('node', 'n')).toBe(true);
    const unknown = new DnsAclView(() => true, () => 'bad', () => Promise.reject(new Error('ACL not found')), { now: () => 0, setTimer: () => ({ cancel() {} }) });
    await unknown.refresh(true);
    expect(unknown.canRead('node', 'n')).toBe(false);
  });
});
