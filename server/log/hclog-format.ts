import type { LogLevel } from '../../core/ports/logger.ts';

/**
 * hashicorp/go-hclog's two output formats, as Consul prints them.
 *
 * Text: `2026-11-21T05:30:00.123Z [INFO]  agent.server.raft: entering follower state: follower="Node at ..." leader-address= leader-id=`
 * — the bracketed level padded to seven characters, then the logger name, the message, and
 * `key=value` pairs, quoting a value that contains a space, `=` or `"` (Go's strconv.Quote), and a
 * multi-line value printed as an indented block.
 *
 * JSON: one object per line with `@level`, `@message`, `@module`, `@timestamp` and the fields, keys
 * in sorted order (Go's map encoding).
 */

const BRACKET: Record<LogLevel, string> = {
  trace: '[TRACE]',
  debug: '[DEBUG]',
  info: '[INFO] ',
  warn: '[WARN] ',
  error: '[ERROR]',
};

/** One line of hclog text output, newline included. */
export function formatText(time: Date, level: LogLevel, name: string, message: string, fields?: Record<string, unknown>): string {
  let line = `${textTimestamp(time)} ${BRACKET[level]} ${name ? `${name}: ` : ''}${message}`;
  const multiline: string[] = [];
  const entries = Object.entries(fields ?? {});
  if (entries.length > 0) line += ':';
  for (const [k, v] of entries) {
    const text = valueText(v);
    if (text.includes('\n')) {
      multiline.push(`  ${k}=\n${text.split('\n').map((l) => `  | ${l}`).join('\n')}`);
      continue;
    }
    line += ` ${k}=${needsQuoting(text) ? goQuote(text) : text}`;
  }
  if (multiline.length > 0) line += `\n${multiline.join('\n')}`;
  return `${line}\n`;
}

/** One line of hclog JSON output, newline included. */
export function formatJson(time: Date, level: LogLevel, name: string, message: string, fields?: Record<string, unknown>): string {
  const record: Record<string, unknown> = {
    '@level': level,
    '@message': message,
    '@timestamp': jsonTimestamp(time),
  };
  if (name) record['@module'] = name;
  for (const [k, v] of Object.entries(fields ?? {})) record[k] = v instanceof Error ? v.message : v;
  const sorted = Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]]));
  return `${JSON.stringify(sorted, jsonSafe)}\n`;
}

/** `2006-01-02T15:04:05.000Z0700` in UTC. */
function textTimestamp(t: Date): string {
  return t.toISOString();
}

/** `2006-01-02T15:04:05.000000Z07:00` in UTC (microseconds; JS clocks stop at milliseconds). */
function jsonTimestamp(t: Date): string {
  return t.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function valueText(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (v instanceof Error) return v.message;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return `[${[...v].join(' ')}]`;
  if (Array.isArray(v)) return `[${v.map(valueText).join(' ')}]`;
  try {
    return JSON.stringify(v, jsonSafe);
  } catch {
    return String(v);
  }
}

function needsQuoting(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c <= 0x20 || c === 0x7f || ch === '"' || ch === '=') return true;
  }
  return false;
}

/** Go's strconv.Quote for the characters logs usually carry. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return value.message;
  return value;
}
