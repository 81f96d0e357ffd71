import type { ConfigObject, ConfigValue } from './decode.ts';
import { isPlainObject } from './decode.ts';
import type { FieldType, Schema } from './schema.ts';

/**
 * Consul's config merge (agent/config/merge.go), applied source after source: a scalar from the
 * later source replaces the earlier one; lists append (so `retry_join`, `services`, `checks`
 * accumulate across files and flags); maps are replaced by the later map when it is non-empty;
 * objects merge field by field.
 */
export function mergeConfig(a: ConfigObject, b: ConfigObject, schema: Schema): ConfigObject {
  const out: ConfigObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const type = schema[key];
    out[key] = type === undefined ? value : mergeValue(a[key], value, type);
  }
  return out;
}

function mergeValue(a: ConfigValue | undefined, b: ConfigValue, type: FieldType): ConfigValue {
  if (a === undefined) return b;
  if (typeof type === 'object' && 'list' in type) {
    return [...(Array.isArray(a) ? a : [a]), ...(Array.isArray(b) ? b : [b])];
  }
  if (typeof type === 'object' && 'map' in type) {
    return isPlainObject(b) && Object.keys(b).length > 0 ? b : a;
  }
  if (typeof type === 'object' && 'object' in type && isPlainObject(a) && isPlainObject(b)) {
    return mergeConfig(a as ConfigObject, b as ConfigObject, type.object);
  }
  return b;
}
