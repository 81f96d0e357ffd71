import type { TimerHandle, TimeSource } from '../ports/clock.ts';
import { AclIdentity } from './identity.ts';

/**
 * DNS answers are filtered by the agent's DNS token (`acl.tokens.dns`, else `acl.tokens.default`,
 * else anonymous): node:read and service:read. The DNS resolver asks synchronously, so this keeps
 * the last resolved identity and refreshes it in the background once it is `refreshMs` old.
 * Until the first resolution answers, nothing is readable (fail closed).
 */
export class DnsAclView {
  private identity: AclIdentity | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inflight = false;
  /**
   * Called after each refresh: answers cached under the previous identity must go (the DNS
   * resolver's cache is keyed by catalog index only).
   */
  onRefresh: (() => void) | undefined;

  constructor(
    private readonly enabled: () => boolean,
    private readonly token: () => string,
    private readonly resolve: (secret: string) => Promise<AclIdentity>,
    private readonly clock: TimeSource,
    private readonly refreshMs = 5000,
  ) {}

  private timer: TimerHandle | undefined;

  /**
   * Re-resolves every `refreshMs` while ACLs are on, so that a changed token or policy reaches DNS
   * even when every query is answered from the resolver's cache (which never calls canRead).
   */
  start(): void {
    this.stop();
    const loop = () => {
      this.timer = this.clock.setTimer(this.refreshMs, () => {
        if (this.enabled()) void this.refresh(true);
        loop();
      });
    };
    if (this.enabled()) void this.refresh(true);
    loop();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** The DnsCanRead hook. */
  canRead = (kind: 'node' | 'service', name: string): boolean => {
    if (!this.enabled()) return true;
    this.refresh();
    return this.identity?.can(kind, name, 'read') ?? false;
  };

  /** Resolves the token now (start-up, and after the DNS token changed). */
  refresh(force = false): Promise<void> {
    if (this.inflight || (!force && this.clock.now() - this.fetchedAt < this.refreshMs)) return Promise.resolve();
    this.inflight = true;
    return this.resolve(this.token())
      .then(
        (id) => {
          this.identity = id;
        },
        () => {
          // An unknown DNS token sees nothing, as Consul answers with ACL not found.
          this.identity = AclIdentity.policyOnly('', 'deny');
        },
      )
      .finally(() => {
        this.fetchedAt = this.clock.now();
        this.inflight = false;
        this.onRefresh?.();
      });
  }
}
