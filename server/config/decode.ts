import { type HclObject, isRepeated } from './hcl.ts';
import type { FieldType, ObjectType, Schema } from './schema.ts';

/** A decoded config value: canonical snake_case keys, values converted to the schema's types. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | ConfigObject;
export interface ConfigObject {
  [key: string]: ConfigValue;
}

/** What went wrong decoding one source: type errors (mapstructure's) and unknown keys. */
export interface DecodeProblems {
  decode: string[];
  unused: string[];
}

/**
 * Decodes a parsed file (JSON or HCL) against the schema with mapstructure's WeaklyTypedInput
 * conversions, as Consul does: numbers and booleans from strings, strings from numbers, a single
 * value where a list is expected, and (HCL) repeated blocks of an object key merged. Unknown keys
 * are collected with their full path (`ports.htp`, `services[0].nme`).
 */
export function decodeConfig(raw: unknown, schema: Schema): { config: ConfigObject; problems: DecodeProblems } {
  const problems: DecodeProblems = { decode: [], unused: [] };
  const config = decodeObject(raw, { object: schema }, '', problems) ?? {};
  return { config, problems };
}

function decodeObject(raw: unknown, type: ObjectType, path: string, p: DecodeProblems): ConfigObject | undefined {
  if (Array.isArray(raw)) {
    // HCL repeats a block as a list of objects; an empty list is an empty object (weak decoding).
    let merged: ConfigObject = {};
    for (const item of raw) merged = { ...merged, ...(decodeObject(item, type, path, p) ?? {}) };
    return merged;
  }
  if (!isPlainObject(raw)) {
    p.decode.push(`'${path}' expected a map, got '${goType(raw)}'`);
    return undefined;
  }
  const out: ConfigObject = {};
  for (const [key, value] of Object.entries(raw)) {
    const canonical = matchKey(key, type);
    const full = path ? `${path}.${key}` : key;
    if (canonical === undefined) {
      p.unused.push(full);
      continue;
    }
    const field = type.object[canonical]!;
    const occurrences = isPlainObject(raw) && isRepeated(raw as HclObject, key) ? (value as unknown[]) : [value];
    const decoded = occurrences
      .map((o) => decodeValue(o, field, path ? `${path}.${canonical}` : canonical, p))
      .filter((v): v is ConfigValue => v !== undefined);
    if (decoded.length > 1 && SINGLE_DEFINITIONS.has(canonical)) {
      // Several `service { }` or `check { }` blocks: each is a definition of its own.
      out[canonical] = decoded;
      continue;
    }
    for (const v of decoded) {
      const prev = out[canonical];
      if (Array.isArray(prev) && Array.isArray(v) && isList(field)) out[canonical] = [...prev, ...v];
      else if (isPlainObject(prev) && isPlainObject(v)) out[canonical] = { ...prev, ...v };
      else out[canonical] = v;
    }
  }
  return out;
}

function decodeValue(raw: unknown, type: FieldType, path: string, p: DecodeProblems): ConfigValue | undefined {
  if (typeof type === 'object' && 'object' in type) return decodeObject(raw, type, path, p);
  if (typeof type === 'object' && 'list' in type) {
    const items = Array.isArray(raw) ? raw : [raw];
    const out: ConfigValue[] = [];
    items.forEach((item, i) => {
      const v = decodeValue(item, type.list, `${path}[${i}]`, p);
      if (v !== undefined) out.push(v);
    });
    return out;
  }
  if (typeof type === 'object' && 'map' in type) {
    const src = Array.isArray(raw) ? Object.assign({}, ...raw.filter(isPlainObject)) : raw;
    if (!isPlainObject(src)) {
      p.decode.push(`'${path}' expected a map, got '${goType(raw)}'`);
      return undefined;
    }
    const out: ConfigObject = {};
    for (const [k, v] of Object.entries(src)) {
      const d = decodeValue(v, type.map, `${path}[${k}]`, p);
      if (d !== undefined) out[k] = d;
    }
    return out;
  }
  return decodeScalar(raw, type, path, p);
}

function decodeScalar(raw: unknown, type: 'string' | 'int' | 'float' | 'bool' | 'duration' | 'any', path: string, p: DecodeProblems): ConfigValue | undefined {
  if (type === 'any') return raw as ConfigValue;
  if (Array.isArray(raw) && raw.length === 1) return decodeScalar(raw[0], type, path, p);
  const unconvertible = () => {
    p.decode.push(`'${path}' expected type '${goName(type)}', got unconvertible type '${goType(raw)}'`);
    return undefined;
  };
  switch (type) {
    case 'string':
    case 'duration':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number') return String(raw);
      if (typeof raw === 'boolean') return raw ? '1' : '0';
      return unconvertible();
    case 'int':
    case 'float':
      if (typeof raw === 'number') return type === 'int' ? Math.trunc(raw) : raw;
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      if (typeof raw === 'string') {
        const ok = type === 'int' ? /^[+-]?(\d+|0[xX][0-9a-fA-F]+)$/.test(raw.trim()) : raw.trim() !== '' && !Number.isNaN(Number(raw));
        if (!ok) {
          const fn = type === 'int' ? 'strconv.ParseInt' : 'strconv.ParseFloat';
          p.decode.push(`cannot parse '${path}' as ${goName(type)}: ${fn}: parsing ${JSON.stringify(raw)}: invalid syntax`);
          return undefined;
        }
        return Number(raw);
      }
      return unconvertible();
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'number') return raw !== 0;
      if (typeof raw === 'string') {
        if (raw === '') return false;
        const t = ['1', 't', 'T', 'TRUE', 'true', 'True'];
        const f = ['0', 'f', 'F', 'FALSE', 'false', 'False'];
        if (t.includes(raw)) return true;
        if (f.includes(raw)) return false;
        p.decode.push(`cannot parse '${path}' as bool: strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
        return undefined;
      }
      return unconvertible();
  }
}

/** Keys holding one definition whose repeated blocks mean several definitions, not one merged. */
const SINGLE_DEFINITIONS = new Set(['service', 'check']);

function matchKey(key: string, type: ObjectType): string | undefined {
  if (Object.hasOwn(type.object, key)) return key;
  const lower = key.toLowerCase();
  if (Object.hasOwn(type.object, lower)) return lower;
  if (!type.loose) return undefined;
  const squashed = lower.replace(/[_-]/g, '');
  const alias = type.aliases?.[squashed];
  if (alias) return alias;
  return Object.keys(type.object).find((k) => k.replace(/_/g, '') === squashed);
}

function isList(t: FieldType): boolean {
  return typeof t === 'object' && 'list' in t;
}

/** True for a plain object (not an array, not null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function goName(t: string): string {
  return t === 'float' ? 'float64' : t === 'duration' ? 'string' : t;
}

function goType(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  return typeof v;
}
