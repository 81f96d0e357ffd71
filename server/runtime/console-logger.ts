/** A Logger writing Consul-style lines (`2026-11-21T05:00:00Z [INFO]  name: message`) to stderr. */
import { LOG_LEVEL_ORDER, type Logger, type LogLevel } from '../../core/ports/logger.ts';

export class ConsoleLogger implements Logger {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly name = '',
    private readonly sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (LOG_LEVEL_ORDER[level] < LOG_LEVEL_ORDER[this.level]) return;
    const tag = `[${level.toUpperCase()}]`.padEnd(7);
    const extra = fields ? ` ${JSON.stringify(fields)}` : '';
    this.sink(`${new Date().toISOString()} ${tag} ${this.name}: ${message}${extra}`);
  }

  named(name: string): Logger {
    return new ConsoleLogger(this.level, this.name ? `${this.name}.${name}` : name, this.sink);
  }
}
