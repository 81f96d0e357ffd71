/**
 * What Consul's lock and semaphore (api/lock.go, api/semaphore.go) share: a session created for the
 * attempt and renewed while it lasts, and destroyed again when the attempt ends without the lock.
 */
import type { ApiClient } from '../api-client.ts';
import { createSession, DEFAULT_SESSION_TTL, destroySession, renewPeriodic } from './session.ts';

export abstract class SessionContender {
  protected session = '';
  private stopRenew: (() => void) | undefined;

  constructor(
    protected readonly client: ApiClient,
    private readonly sessionOpts: { sessionName: string; sessionTtl?: string },
  ) {}

  /** Waits for the lock; resolves to a signal that aborts when the lock is lost, or null if stopped or timed out. */
  async acquire(stop: AbortSignal): Promise<AbortSignal | null> {
    try {
      const held = await this.tryAcquire(stop);
      if (!held) await this.abandon();
      return held;
    } catch (e) {
      await this.abandon().catch(() => {});
      throw e;
    }
  }

  /** One attempt at the lock with this contender's session (see {@link ensureSession}). */
  protected abstract tryAcquire(stop: AbortSignal): Promise<AbortSignal | null>;

  /** Creates the session (renewed every 15 s) unless this attempt has one. */
  protected async ensureSession(): Promise<void> {
    if (this.session) return;
    this.session = await createSession(this.client, this.sessionOpts.sessionName, this.sessionOpts.sessionTtl ?? DEFAULT_SESSION_TTL);
    this.stopRenew = renewPeriodic(this.client, this.session, 15_000);
  }

  /** Stops renewing the session (on release, before it is destroyed). */
  protected stopRenewing(): void {
    this.stopRenew?.();
    this.stopRenew = undefined;
  }

  /** Stops renewing and destroys the session (Go lets it expire; we clean up now). */
  protected async abandon(): Promise<void> {
    this.stopRenewing();
    if (this.session) await destroySession(this.client, this.session);
    this.session = '';
  }
}
