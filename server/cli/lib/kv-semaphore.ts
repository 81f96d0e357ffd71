/**
 * The counting semaphore of Consul's api/semaphore.go: each contender holds `<prefix>/<session>`
 * (acquired by its session, Flags = SemaphoreFlagValue) and the holders are listed in the
 * CAS-updated `<prefix>/.lock` JSON `{"Limit":N,"Holders":{"<session>":true}}`. Holders whose
 * contender key lost its session are pruned; a slot is taken by CAS-adding our session.
 */
import type { ApiClient } from '../api-client.ts';
import { waitParam, withRetries } from './blocking.ts';
import { decodeKvPairs, type KvPair, kvPath } from './kv-pair.ts';
import { DEFAULT_LOCK_WAIT_MS, getKey, InUseError, type LockOptions, type LockUnlock } from './kv-lock.ts';
import { destroySession } from './session.ts';
import { SessionContender } from './session-contender.ts';

/** api.SemaphoreFlagValue = 0xe0f69a2baa414de0. */
export const SEMAPHORE_FLAG_VALUE = 16210313421097356768n;
export const SEMAPHORE_KEY = '.lock';

interface SemaphoreLock {
  Limit: number;
  Holders: Record<string, boolean>;
}

export interface SemaphoreOptions extends Omit<LockOptions, 'key'> {
  prefix: string;
  limit: number;
}

export class KvSemaphore extends SessionContender implements LockUnlock {
  private monitorAbort: AbortController | undefined;

  constructor(
    client: ApiClient,
    private readonly opts: SemaphoreOptions,
  ) {
    super(client, opts);
  }

  private get lockKey(): string {
    return join(this.opts.prefix, SEMAPHORE_KEY);
  }

  private async list(query: Record<string, string | boolean | undefined>, signal?: AbortSignal): Promise<{ pairs: KvPair[]; index: number }> {
    const r = await this.client.request('GET', kvPath(this.opts.prefix), { query: { recurse: true, ...query }, accept: [404], signal });
    return { pairs: r.status === 404 ? [] : decodeKvPairs(r.body.toString('utf8')), index: r.index };
  }

  private findLock(pairs: readonly KvPair[]): KvPair {
    const found = pairs.find((p) => p.Key === this.lockKey);
    if (found && found.Flags !== SEMAPHORE_FLAG_VALUE) throw new Error('Existing key does not match semaphore use');
    return found ?? { Key: this.lockKey, Flags: SEMAPHORE_FLAG_VALUE, Value: Buffer.alloc(0), LockIndex: 0, CreateIndex: 0, ModifyIndex: 0, Session: '' };
  }

  private decodeLock(pair: KvPair): SemaphoreLock {
    if (pair.Value.length === 0) return { Limit: this.opts.limit, Holders: {} };
    try {
      const l = JSON.parse(pair.Value.toString('utf8')) as SemaphoreLock;
      return { Limit: l.Limit, Holders: l.Holders ?? {} };
    } catch (e) {
      throw new Error(`lock decoding failed: ${(e as Error).message}`);
    }
  }

  private casLock(lock: SemaphoreLock, modifyIndex: number): Promise<boolean> {
    return this.client
      .write<boolean>('PUT', kvPath(this.lockKey), JSON.stringify(lock), { query: { flags: String(SEMAPHORE_FLAG_VALUE), cas: String(modifyIndex) } })
      .then((ok) => ok === true);
  }

  protected async tryAcquire(stop: AbortSignal): Promise<AbortSignal | null> {
    await this.ensureSession();
    const made = await this.client.write<boolean>('PUT', kvPath(join(this.opts.prefix, this.session)), this.opts.value ?? Buffer.alloc(0), {
      query: { acquire: this.session, flags: String(SEMAPHORE_FLAG_VALUE) },
    });
    if (made !== true) throw new Error('failed to make contender entry');
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
      let listed: { pairs: KvPair[]; index: number };
      try {
        listed = await this.list({ index: index ? String(index) : undefined, wait: waitParam(waitMs) }, stop);
      } catch (e) {
        if (stop.aborted) return null;
        throw new Error(`failed to read prefix: ${(e as Error).message}`);
      }
      const lockPair = this.findLock(listed.pairs);
      const lock = this.decodeLock(lockPair);
      if (lock.Limit !== this.opts.limit) throw new Error(`semaphore limit conflict (lock: ${lock.Limit}, local: ${this.opts.limit})`);
      pruneDeadHolders(lock, listed.pairs);
      if (Object.keys(lock.Holders).length >= lock.Limit) {
        index = listed.index;
        continue;
      }
      lock.Holders[this.session] = true;
      const didSet = await this.casLock(lock, lockPair.ModifyIndex).catch((e) => {
        throw new Error(`failed to update lock: ${(e as Error).message}`);
      });
      if (didSet) return this.held();
      index = 0; // someone else changed .lock first: read again at once
    }
  }

  private held(): AbortSignal {
    const lost = new AbortController();
    this.monitorAbort = lost;
    void this.monitor(lost);
    return lost.signal;
  }

  private async monitor(lost: AbortController): Promise<void> {
    let index = 0;
    try {
      for (;;) {
        const q = { consistent: true, index: index ? String(index) : undefined, wait: index ? waitParam(DEFAULT_LOCK_WAIT_MS) : undefined };
        const listed = await withRetries(this.opts.monitorRetries, this.opts.monitorRetryMs, () => this.list(q, lost.signal), lost.signal);
        const lock = this.decodeLock(this.findLock(listed.pairs));
        if (!lock.Holders[this.session]) break;
        index = listed.index;
      }
    } catch {
      // An unrecoverable monitor error counts as losing the slot.
    }
    lost.abort();
  }

  async release(): Promise<void> {
    this.monitorAbort?.abort();
    this.stopRenewing();
    if (!this.session) return;
    try {
      for (;;) {
        const { pair } = await getKey(this.client, this.lockKey, {});
        const current = pair ?? this.findLock([]);
        const lock = this.decodeLock(current);
        if (!lock.Holders[this.session]) break;
        delete lock.Holders[this.session];
        if (await this.casLock(lock, current.ModifyIndex)) break;
      }
      await this.client.write('DELETE', kvPath(join(this.opts.prefix, this.session)));
    } finally {
      await destroySession(this.client, this.session);
      this.session = '';
    }
  }

  async destroy(): Promise<void> {
    const { pairs } = await this.list({});
    const lockPair = this.findLock(pairs);
    if (lockPair.ModifyIndex === 0) return;
    const lock = this.decodeLock(lockPair);
    pruneDeadHolders(lock, pairs);
    if (Object.keys(lock.Holders).length > 0) throw new InUseError('Semaphore in use');
    const ok = await this.client.write<boolean>('DELETE', kvPath(this.lockKey), undefined, { query: { cas: String(lockPair.ModifyIndex) } });
    if (ok !== true) throw new InUseError('Semaphore in use');
  }
}

/** Drops holders whose contender key no longer carries a live session. */
function pruneDeadHolders(lock: SemaphoreLock, pairs: readonly KvPair[]): void {
  const alive = new Set(pairs.filter((p) => p.Session).map((p) => p.Session));
  for (const h of Object.keys(lock.Holders)) if (!alive.has(h)) delete lock.Holders[h];
}

/** path.Join for KV keys. */
function join(a: string, b: string): string {
  return [a.replace(/\/+$/, ''), b].filter((s) => s !== '').join('/');
}
