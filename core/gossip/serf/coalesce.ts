/**
 * serf's event coalescing: member events are merged per member (only the latest change is reported,
 * and only if it differs from what was last reported), user events marked coalescable keep only the
 * newest Lamport time per name. A flush happens after `period` from the first buffered event, or
 * once `quiescent` passes with no new event.
 */
import type { TimerHandle, TimeSource } from '../../ports/clock.ts';
import type { Member, MemberEvent, MemberEventType, SerfEvent, UserEvent } from './events.ts';

abstract class Coalescer<E> {
  private quantum: TimerHandle | undefined;
  private quiet: TimerHandle | undefined;

  constructor(
    protected readonly time: TimeSource,
    private readonly period: number,
    private readonly quiescent: number,
    protected readonly out: (e: SerfEvent) => void,
  ) {}

  /** Buffers `e` and returns true, or returns false when this coalescer does not handle it. */
  offer(e: E): boolean {
    if (!this.handles(e)) return false;
    this.add(e);
    this.quantum ??= this.time.setTimer(this.period, () => this.flushNow());
    this.quiet?.cancel();
    this.quiet = this.time.setTimer(this.quiescent, () => this.flushNow());
    return true;
  }

  private flushNow(): void {
    this.quantum?.cancel();
    this.quiet?.cancel();
    this.quantum = undefined;
    this.quiet = undefined;
    this.flush();
  }

  stop(): void {
    this.quantum?.cancel();
    this.quiet?.cancel();
  }

  protected abstract handles(e: E): boolean;
  protected abstract add(e: E): void;
  protected abstract flush(): void;
}

export class MemberEventCoalescer extends Coalescer<SerfEvent> {
  private readonly lastEvents = new Map<string, MemberEventType>();
  private latest = new Map<string, { type: MemberEventType; member: Member }>();

  protected handles(e: SerfEvent): boolean {
    return e.type !== 'user' && e.type !== 'query';
  }

  protected add(e: SerfEvent): void {
    const ev = e as MemberEvent;
    for (const m of ev.members) this.latest.set(m.name, { type: ev.type, member: m });
  }

  protected flush(): void {
    const byType = new Map<MemberEventType, Member[]>();
    for (const [name, { type, member }] of this.latest) {
      // Reaps are always reported; other changes only when they differ from the last report.
      if (type !== 'member-reap' && this.lastEvents.get(name) === type) continue;
      this.lastEvents.set(name, type);
      const list = byType.get(type) ?? [];
      list.push(member);
      byType.set(type, list);
    }
    this.latest = new Map();
    for (const [type, members] of byType) this.out({ type, members } satisfies MemberEvent);
  }
}

export class UserEventCoalescer extends Coalescer<SerfEvent> {
  private events = new Map<string, { ltime: number; events: UserEvent[] }>();

  protected handles(e: SerfEvent): boolean {
    return e.type === 'user' && e.coalesce;
  }

  protected add(e: SerfEvent): void {
    const ev = e as UserEvent;
    const latest = this.events.get(ev.name);
    if (!latest || latest.ltime < ev.ltime) this.events.set(ev.name, { ltime: ev.ltime, events: [ev] });
    else if (latest.ltime === ev.ltime) latest.events.push(ev);
  }

  protected flush(): void {
    const all = this.events;
    this.events = new Map();
    for (const { events } of all.values()) for (const e of events) this.out(e);
  }
}
