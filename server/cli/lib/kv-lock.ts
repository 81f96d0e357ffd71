/**
 * The leader-election lock of Consul's api/lock.go, over sessions and KV acquire: one key
 * (`<prefix>/.lock` for `consul lock`) carrying Flags = LockFlagValue. Acquire waits with blocking
 * GETs while another session holds the key and, when an acquire fails on a free key (lock-delay),
 * retries after 5s. Once held, a monitor watches the key with consistent blocking GETs and reports
 * the loss as soon as the key's Session is no longer ours.
 */
import type { ApiClient } from '../api-client.ts';
import { sleep, waitParam, withRetries } from './blocking.ts';
import { decodeKvPairs, type KvPair, kvPath } from './kv-pair.ts';
import { destroySession } from './session.ts';
import { SessionContender } from './session-contender.ts';

/** api.LockFlagValue = 0x2ddccbc058a50c18. */
export const LOCK_FLAG_VALUE = 3304740253564472344n;
export const DEFAULT_LOCK_WAIT_MS = 15_000;
export const DEFAULT_LOCK_RETRY_MS = 5_000;

/** What `consul lock` needs from a lock or a semaphore. */
export interface LockUnlock {
  /** Waits for the lock; resolves to a signal that aborts when the lock is lost, or null if stopped or timed out. */
  acquire(stop: AbortSignal): Promise<AbortSignal | null>;
  release(): Promise<void>;
  /** Removes the lock's keys if nobody holds them; throws {@link InUseError} otherwise. */
  destroy(): Promise<void>;
}

export class InUseError extends Error {}

export interface LockOptions {
  key: string;
  sessionName: string;
  sessionTtl?: string;
  monitorRetries: number;
  monitorRetryMs: number;
  /** Single attempt bounded by {@link waitMs} (`-timeout`). */
  tryOnce?: boolean;
  waitMs?: number;
  value?: Buffer;
}

/** Reads one key with an optional blocking index; null when absent. */
export async function getKey(client: ApiClient, key: string, query: Record<string, string | boolean | undefined>, signal?: AbortSignal): Promise<{ pair: KvPair | null; index: number }> {
  const r = await client.request('GET', kvPath(key), { query, accept: [404], signal });
  return { pair: r.status === 404 ? null : (decodeKvPairs(r.body.toString('utf8'))[0] ?? null), index: r.index };
}

export class KvLock extends SessionContender implements LockUnlock {
  private monitorAbort: AbortController | undefined;
  /** Set when the monitor saw the key taken from us: releasing it would be wrong (and fail). */
  private lost = false;

  constructor(
    client: ApiClient,
    private readonly opts: LockOptions,
  ) {
    super(client, opts);
  }

  private entryQuery(verb: 'acquire' | 'release'): Record<string, string> {
    return { [verb]: this.session, flags: String(LOCK_FLAG_VALUE) };
  }

  protected async tryAcquire(stop: AbortSignal): Promise<AbortSignal | null> {
    await this.ensureSession();
    const wait = this.opts.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    const start = Date.now();
    let index = 0;
    for (let attempts = 0; ; attempts++) {
      if (stop.aborted) return null;
      let waitMs = wait;
      if (this.opts.tryOnce && attempts > 0) {
        const elapsed = Date.now() - start;
        if (elapsed > wait) return null;
        waitMs = wait - elapsed;
      }
      const query = { index: index ? String(index) : undefined, wait: waitParam(waitMs) };
      let got: { pair: KvPair | null; index: number };
      try {
        got = await getKey(this.client, this.opts.key, query, stop);
      } catch (e) {
        if (stop.aborted) return null;
        throw new Error(`failed to read lock: ${(e as Error).message}`);
      }
      const { pair } = got;
      if (pair && pair.Flags !== LOCK_FLAG_VALUE) throw new Error('Existing key does not match lock use');
      if (pair && pair.Session === this.session) return this.held();
      if (pair?.Session) {
        index = got.index;
        continue;
      }
      const locked = await this.client
        .write<boolean>('PUT', kvPath(this.opts.key), this.opts.value ?? Buffer.alloc(0), { query: this.entryQuery('acquire') })
        .catch((e) => {
          throw new Error(`failed to acquire lock: ${(e as Error).message}`);
        });
      if (locked === true) return this.held();
      // Why did it fail? Held by someone else: long-poll. Free: a lock-delay is running, wait it out.
      const again = await getKey(this.client, this.opts.key, {}).catch((e) => {
        throw new Error(`failed to read lock: ${(e as Error).message}`);
      });
      if (again.pair?.Session) index = again.index;
      else if (!(await sleep(DEFAULT_LOCK_RETRY_MS, stop))) return null;
      else index = 0;
    }
  }

  private held(): AbortSignal {
    const lost = new AbortController();
    this.monitorAbort = lost;
    void this.monitor(lost);
    return lost.signal;
  }

  /** api/lock.go monitorLock: consistent blocking GETs until the key is no longer ours. */
  private async monitor(lost: AbortController): Promise<void> {
    let index = 0;
    try {
      for (;;) {
        if (lost.signal.aborted) return;
        const q = { consistent: true, index: index ? String(index) : undefined, wait: index ? waitParam(DEFAULT_LOCK_WAIT_MS) : undefined };
        const got = await withRetries(this.opts.monitorRetries, this.opts.monitorRetryMs, () => getKey(this.client, this.opts.key, q, lost.signal), lost.signal);
        if (!got.pair || got.pair.Session !== this.session) break;
        index = got.index;
      }
    } catch {
      // An unrecoverable monitor error counts as losing the lock.
      if (lost.signal.aborted) return; // released by us
    }
    this.lost = true;
    lost.abort();
  }

  async release(): Promise<void> {
    this.monitorAbort?.abort();
    this.stopRenewing();
    if (!this.session) return;
    try {
      if (!this.lost) await this.client.write('PUT', kvPath(this.opts.key), this.opts.value ?? Buffer.alloc(0), { query: this.entryQuery('release') });
    } finally {
      await destroySession(this.client, this.session);
      this.session = '';
    }
  }

  async destroy(): Promise<void> {
    const { pair } = await getKey(this.client, this.opts.key, {});
    if (!pair) return;
    if (pair.Flags !== LOCK_FLAG_VALUE) throw new Error('Existing key does not match lock use');
    if (pair.Session) throw new InUseError('Lock in use');
    const ok = await this.client.write<boolean>('DELETE', kvPath(this.opts.key), undefined, { query: { cas: String(pair.ModifyIndex) } });
    if (ok !== true) throw new InUseError('Lock in use');
  }
}
