import type { ConfigObject, ConfigValue } from './decode.ts';
import { parseDuration } from './duration.ts';

/**
 * Typed reads from a merged config object by dotted path, and the builder's error list. Duration
 * and port errors accumulate (Consul's `b.err` multierror) rather than stopping at the first.
 */
export class ConfigReader {
  readonly errors: string[] = [];

  constructor(readonly root: ConfigObject) {}

  raw(path: string, from: ConfigObject = this.root): ConfigValue | undefined {
    let cur: ConfigValue | undefined = from;
    for (const p of path.split('.')) {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
      cur = cur[p];
    }
    return cur;
  }

  has(path: string, from?: ConfigObject): boolean {
    return this.raw(path, from) !== undefined;
  }

  str(path: string, from?: ConfigObject): string {
    const v = this.raw(path, from);
    return typeof v === 'string' ? v : '';
  }

  int(path: string, from?: ConfigObject, dflt = 0): number {
    const v = this.raw(path, from);
    return typeof v === 'number' ? v : dflt;
  }

  bool(path: string, from?: ConfigObject, dflt = false): boolean {
    const v = this.raw(path, from);
    return typeof v === 'boolean' ? v : dflt;
  }

  list(path: string, from?: ConfigObject): string[] {
    const v = this.raw(path, from);
    return Array.isArray(v) ? v.map(String) : [];
  }

  obj(path: string, from?: ConfigObject): ConfigObject {
    const v = this.raw(path, from);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
  }

  /** A duration in ms (0 when unset); a bad value records Consul's `<name>: invalid duration: ...`. */
  dur(path: string, from?: ConfigObject, name = path): number {
    const v = this.raw(path, from);
    if (typeof v !== 'string' || v === '') return 0;
    try {
      return parseDuration(v);
    } catch (e) {
      this.errors.push(`${name}: invalid duration: ${JSON.stringify(v)}: ${(e as Error).message}`);
      return 0;
    }
  }

  /** Consul's portVal: unset or <= 0 is -1 (disabled); above 65535 is an error. */
  port(path: string): number {
    const v = this.raw(path);
    if (typeof v !== 'number' || v <= 0) return -1;
    if (v > 65535) this.errors.push(`${path}: invalid port: ${v}`);
    return v;
  }
}
