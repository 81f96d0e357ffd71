/**
 * Logging and tracing. Log lines are for operators (Consul's `[INFO]  agent.server.raft: ...`
 * style); trace events are typed records for tests, checkers and the browser lab's animations.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Numeric order of levels, for filtering: a logger at `info` drops `trace` and `debug`. */
export const LOG_LEVEL_ORDER: Readonly<Record<LogLevel, number>> = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
};

/**
 * A structured logger. `name` is Consul's dotted subsystem (`agent.server.raft`). Contract:
 * logging never throws and never blocks on IO; `named` returns a child with a longer name.
 */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  named(name: string): Logger;
}

/** A logger that discards everything (for tests and quiet embeddings). */
export const nullLogger: Logger = {
  log() {},
  named() {
    return nullLogger;
  },
};
