import type { TimeSource } from '../ports/clock.ts';
import { ANONYMOUS_SECRET_ID } from './builtin.ts';
import { AclIdentity } from './identity.ts';
import { identityFrom, type ResolvedTokenWire } from './resolved-token.ts';

/** `acl.down_policy`: what to do when no server can resolve a token. */
export type DownPolicy = 'allow' | 'deny' | 'extend-cache' | 'async-cache';

export interface TokenResolverConfig {
  enabled: boolean;
  defaultPolicy: 'allow' | 'deny';
  downPolicy: DownPolicy;
  /** `acl.token_ttl` in ms (default 30 s); 0 resolves every time (servers read their own state). */
  tokenTtlMs: number;
  datacenter: string;
}

interface CacheEntry {
  identity: AclIdentity;
  expiresAt: number;
}

/** Consul's "not found" error text; clients string-match it (403). */
export const ACL_NOT_FOUND = 'ACL not found';

/**
 * Resolves token secrets into identities for an agent (Consul's ACLResolver): asks a server
 * (`fetch`, normally the ACL.TokenResolve RPC), caches the answer for `token_ttl`, and when the
 * servers cannot be reached applies `down_policy`: `extend-cache` and `async-cache` keep using an
 * expired entry (or deny when there is none), `allow` and `deny` decide everything. An unknown
 * token is an `ACL not found` error, never a fallback to anonymous.
 */
export class TokenResolver {
  private readonly cache = new Map<string, CacheEntry>();
  /** Lookups under way, so that concurrent requests with one token make one RPC. */
  private readonly pending = new Map<string, Promise<AclIdentity>>();

  constructor(
    private config: TokenResolverConfig,
    private readonly time: TimeSource,
    private readonly fetch: (secret: string) => Promise<ResolvedTokenWire>,
  ) {}

  get enabled(): boolean {
    return this.config.enabled;
  }

  get defaultPolicy(): 'allow' | 'deny' {
    return this.config.defaultPolicy;
  }

  /** Replaces the settings (reload); the cache is dropped so new TTLs and defaults apply. */
  reconfigure(config: TokenResolverConfig): void {
    this.config = config;
    this.cache.clear();
  }

  /** Forgets every cached token (after a token or policy change made through this agent). */
  purge(): void {
    this.cache.clear();
  }

  /**
   * The identity of `secret`; an empty secret means the anonymous token. Rejects with
   * `ACL not found` for a secret no server knows.
   */
  resolve(secret: string): Promise<AclIdentity> {
    if (!this.config.enabled) return Promise.resolve(AclIdentity.disabled());
    const key = secret || ANONYMOUS_SECRET_ID;
    const now = this.time.now();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return Promise.resolve(cached.identity);
    const inflight = this.pending.get(key);
    if (inflight) return inflight;
    const p = this.lookup(key, cached).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  private async lookup(key: string, stale: CacheEntry | undefined): Promise<AclIdentity> {
    let wire: ResolvedTokenWire;
    try {
      wire = await this.fetch(key);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message.includes(ACL_NOT_FOUND)) {
        this.cache.delete(key);
        throw new Error(ACL_NOT_FOUND);
      }
      return this.whenDown(stale);
    }
    const identity = identityFrom(wire, this.config.defaultPolicy, this.config.datacenter, key === ANONYMOUS_SECRET_ID ? '' : key);
    if (this.config.tokenTtlMs > 0) this.cache.set(key, { identity, expiresAt: this.time.now() + this.config.tokenTtlMs });
    return identity;
  }

  /** Servers unreachable: Consul's down_policy. */
  private whenDown(stale: CacheEntry | undefined): AclIdentity {
    const policy = this.config.downPolicy;
    if ((policy === 'extend-cache' || policy === 'async-cache') && stale) return stale.identity;
    if (policy === 'allow') return AclIdentity.policyOnly('', 'allow');
    return AclIdentity.policyOnly(stale?.identity.accessorID ?? '', 'deny');
  }
}
