import type { TimerHandle, TimeSource } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Command } from '../../fsm/commands.ts';
import { sessionList } from '../../state/sessions.ts';
import { SessionTimers } from '../../state/session-ttl.ts';
import type { StateStore } from '../../state/store.ts';
import { DEFAULT_TOMBSTONE_TTL_MS, TombstoneGC } from '../../state/tombstone-gc.ts';

/** How the duties commit what they decide. */
export type Propose = (command: Command, done: (error: string | undefined) => void) => void;

/**
 * What only the leader does (Consul's leader.go): expire sessions whose TTL lapsed and reap KV
 * tombstones. Started when this server becomes leader, stopped when it stops being leader; a new
 * leader gives every TTL session a full window, as Consul does.
 */
export class LeaderDuties {
  private readonly sessions = new SessionTimers();
  private readonly gc: TombstoneGC;
  private unsubscribe: (() => void) | undefined;
  private timer: TimerHandle | undefined;
  private active = false;

  constructor(
    private readonly state: StateStore,
    private readonly time: TimeSource,
    private readonly propose: Propose,
    private readonly logger: Logger,
    /** How often to look for expired sessions and reapable tombstones. */
    private readonly intervalMs = 1000,
    /** Tombstones older than this are reaped (Consul's tombstone_ttl, 15 min). */
    tombstoneTtlMs = DEFAULT_TOMBSTONE_TTL_MS,
  ) {
    this.gc = new TombstoneGC(tombstoneTtlMs);
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    // Every committed write that leaves tombstones hints the GC with its index and time.
    this.unsubscribe = this.state.onCommit((c) => {
      if (c.tombstoned) this.gc.hint(c.index, this.time.now());
    });
    const now = this.time.now();
    for (const s of sessionList(this.state).value) this.sessions.reset(s.ID, s.TTL, now);
    this.loop();
  }

  stop(): void {
    this.active = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.timer?.cancel();
  }

  /** A session was created or renewed on this leader. */
  touchSession(id: string, ttl: string): void {
    if (this.active) this.sessions.reset(id, ttl, this.time.now());
  }

  private loop(): void {
    this.timer = this.time.setTimer(this.intervalMs, () => {
      if (!this.active) return;
      this.expireSessions();
      this.reapTombstones();
      this.loop();
    });
  }

  private expireSessions(): void {
    for (const id of this.sessions.expired(this.time.now())) {
      this.sessions.remove(id);
      this.propose({ type: 'session-destroy', id }, (err) => {
        if (err) this.logger.log('warn', 'failed to invalidate expired session', { session: id, error: err });
        else this.logger.log('debug', 'session TTL expired, invalidated', { session: id });
      });
    }
  }

  /** Proposes a reap once a bin of tombstones has aged past the tombstone TTL. */
  private reapTombstones(): void {
    const index = this.gc.expire(this.time.now());
    if (index !== undefined) this.propose({ type: 'tombstone-reap', index }, () => {});
  }
}
