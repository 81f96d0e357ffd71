import { LOG_LEVEL_ORDER, type Logger, type LogLevel } from '../../core/ports/logger.ts';
import { formatJson, formatText } from './hclog-format.ts';

/** Where and how an {@link HclogLogger} writes. */
export interface HclogOptions {
  level: LogLevel;
  json?: boolean;
  /** Receives each complete line (newline included); must not block. Default: process.stdout. */
  write?: (line: string) => void;
  /** Wall clock for timestamps. Default: `new Date()`. */
  now?: () => Date;
}

/** State shared by a logger and every child it names: changing the level (SIGHUP reload) affects them all. */
interface Shared {
  level: LogLevel;
  json: boolean;
  write: (line: string) => void;
  now: () => Date;
  /** `/v1/agent/monitor` subscribers, each with its own level and format. */
  taps: Set<Tap>;
}

interface Tap {
  level: LogLevel;
  json: boolean;
  onLine: (line: string) => void;
}

/**
 * The core's Logger port printing Consul's hclog format (text or `-log-json`), filtered by
 * `-log-level`. `named('raft')` on `agent.server` gives `agent.server.raft`. Logging never throws:
 * a failing writer or an unprintable field drops the line rather than reaching the caller.
 */
export class HclogLogger implements Logger {
  private readonly shared: Shared;

  constructor(
    options: HclogOptions,
    private readonly name = '',
    shared?: Shared,
  ) {
    this.shared = shared ?? {
      level: options.level,
      json: options.json ?? false,
      write: options.write ?? ((line) => void process.stdout.write(line)),
      now: options.now ?? (() => new Date()),
      taps: new Set(),
    };
  }

  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    const shared = this.shared;
    const printed = LOG_LEVEL_ORDER[level] >= LOG_LEVEL_ORDER[shared.level];
    if (!printed && shared.taps.size === 0) return;
    try {
      const now = shared.now();
      if (printed) shared.write((shared.json ? formatJson : formatText)(now, level, this.name, message, fields));
      for (const tap of shared.taps) {
        if (LOG_LEVEL_ORDER[level] >= LOG_LEVEL_ORDER[tap.level]) tap.onLine((tap.json ? formatJson : formatText)(now, level, this.name, message, fields));
      }
    } catch {
      // The contract: logging never throws into the caller.
    }
  }

  /**
   * Sends every line at `level` or above, from this logger and all its relatives, to `onLine`
   * (text or JSON), independently of the printed level, until the returned function is called.
   */
  monitor(level: LogLevel, json: boolean, onLine: (line: string) => void): () => void {
    const tap: Tap = { level, json, onLine };
    this.shared.taps.add(tap);
    return () => {
      this.shared.taps.delete(tap);
    };
  }

  named(name: string): Logger {
    return new HclogLogger({ level: this.shared.level }, this.name ? `${this.name}.${name}` : name, this.shared);
  }

  /** Changes the level for this logger and every logger named from the same root. */
  setLevel(level: LogLevel): void {
    this.shared.level = level;
  }

  /** True if a line at `level` would be printed (to skip building costly fields). */
  enabled(level: LogLevel): boolean {
    if (LOG_LEVEL_ORDER[level] >= LOG_LEVEL_ORDER[this.shared.level]) return true;
    for (const tap of this.shared.taps) if (LOG_LEVEL_ORDER[level] >= LOG_LEVEL_ORDER[tap.level]) return true;
    return false;
  }
}
