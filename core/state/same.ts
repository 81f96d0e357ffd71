/**
 * Structural equality of two rows ignoring their raft indexes, used to skip no-op writes the way
 * Consul's IsSame checks do (a re-registration that changes nothing must not bump any index, or
 * every anti-entropy pass would wake every blocking query).
 */
export function sameIgnoringIndexes(a: unknown, b: unknown): boolean {
  return equal(a, b, true);
}

function equal(a: unknown, b: unknown, top: boolean): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    if (top && (k === 'CreateIndex' || k === 'ModifyIndex')) continue;
    const av = ao[k];
    const bv = bo[k];
    // A missing key and an undefined one are the same row.
    if (av === undefined && bv === undefined) continue;
    if (!equal(av, bv, false)) return false;
  }
  return true;
}
