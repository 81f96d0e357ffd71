/**
 * The browser's side of the ports, mirroring server/runtime for Node: a monotonic clock
 * (performance.now) with setTimeout timers (the event loop gives the no-re-entry guarantee), the
 * wall clock, a PRNG seeded from the Web Crypto CSPRNG, and a logger that keeps recent lines for
 * the page and echoes them to the console.
 */
import type { TimeSource, TimerHandle, WallClock } from '../../core/ports/clock.ts';
import { LOG_LEVEL_ORDER, type Logger, type LogLevel } from '../../core/ports/logger.ts';
import { Prng } from '../../core/lib/prng.ts';

export class BrowserTimeSource implements TimeSource {
  now(): number {
    return performance.now();
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const t = setTimeout(callback, delay);
    return { cancel: () => clearTimeout(t) };
  }
}

export const browserWallClock: WallClock = { unixMs: () => Date.now() };

/** A Prng seeded from 16 bytes of crypto.getRandomValues. */
export function secureSeededPrng(): Prng {
  const words = crypto.getRandomValues(new Uint32Array(4));
  return new Prng([words[0]!, words[1]!, words[2]!, words[3]!]);
}

/** Recent log lines, newest last, shared by a logger and its children. */
export class LogRing {
  readonly lines: string[] = [];
  constructor(private readonly max = 300) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }
}

/** Consul-style lines (`[INFO]  agent.server.raft: ...`) into a ring and the browser console. */
export class BrowserLogger implements Logger {
  constructor(
    readonly ring: LogRing,
    private readonly level: LogLevel = 'info',
    private readonly name = '',
  ) {}

  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (LOG_LEVEL_ORDER[level] < LOG_LEVEL_ORDER[this.level]) return;
    let extra = '';
    try {
      extra = fields ? ` ${JSON.stringify(fields)}` : '';
    } catch {
      extra = ' {unserialisable fields}';
    }
    const line = `${new Date().toISOString()} [${level.toUpperCase()}] ${this.name}: ${message}${extra}`;
    this.ring.push(line);
    if (level === 'warn' || level === 'error') console.warn(line);
  }

  named(name: string): Logger {
    return new BrowserLogger(this.ring, this.level, this.name ? `${this.name}.${name}` : name);
  }
}
