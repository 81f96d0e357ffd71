/**
 * JSON as Consul writes it: Go's encoding/json output (HTML-safe escapes of <, >, & and U+2028/9),
 * compact or indented with four spaces plus a trailing newline (`?pretty`), and uint64 values
 * (KV Flags) printed exactly, never rounded through a double.
 */

const BIG_OPEN = '\u0000u64:';
const BIG_CLOSE = '\u0000';
const BIG_PATTERN = /"\\u0000u64:(\d+)\\u0000"/g;

/** Wraps an unsigned 64-bit value so `encodeJson` prints it as a bare JSON number. */
export class Uint64 {
  constructor(readonly value: bigint) {}
  toJSON(): string {
    return `${BIG_OPEN}${this.value.toString()}${BIG_CLOSE}`;
  }
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${BIG_OPEN}${value.toString()}${BIG_CLOSE}` : value;
}

/** Serialises like Go's json.Marshal (or MarshalIndent with 4 spaces and a newline when `pretty`). */
export function encodeJson(value: unknown, pretty = false): string {
  const text = pretty ? `${JSON.stringify(value, replacer, 4)}\n` : JSON.stringify(value, replacer);
  return (text ?? 'null')
    .replace(BIG_PATTERN, '$1')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Looks a field up case-insensitively, as Go's decoder matches struct fields. `names` lists the
 * accepted spellings (e.g. `['DeregisterCriticalServiceAfter', 'deregister_critical_service_after']`).
 */
export function field(obj: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) if (name in obj) return obj[name];
  const wanted = names.map((n) => n.toLowerCase());
  for (const key of Object.keys(obj)) if (wanted.includes(key.toLowerCase())) return obj[key];
  return undefined;
}

/** Parses a JSON body, raising the error text Go's decoder would produce in spirit. */
export function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new SyntaxError(message.replace(/^JSON\.parse: /, ''));
  }
}

/**
 * Renames the keys of `obj` that match one of `names` case-insensitively (or in snake_case) to that
 * spelling, as Go's decoder and Consul's lib.DecodeJSON accept them. Other keys stay as they are.
 */
export function canonicalKeys(obj: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    const canonical = byLower.get(key.toLowerCase()) ?? byLower.get(key.replace(/_/g, '').toLowerCase()) ?? key;
    out[canonical] = value;
  }
  return out;
}

/** True for a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
