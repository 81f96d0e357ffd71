/**
 * Access levels of Consul's ACL rules, ordered so that a higher level grants the lower ones:
 * write grants list and read; list grants read (of key names). `deny` refuses everything.
 */
export type Access = 'deny' | 'read' | 'list' | 'write';

const RANK: Record<Access, number> = { deny: 0, read: 1, list: 2, write: 3 };

/** The levels a request may need. */
export type Required = 'read' | 'list' | 'write';

/** Whether a rule at `granted` allows a request needing `required`. */
export function grants(granted: Access, required: Required): boolean {
  if (granted === 'deny') return false;
  return RANK[granted] >= RANK[required];
}

/**
 * When two policies of one token give the same rule different levels, deny wins, then write, then
 * list, then read (Consul's takesPrecedenceOver).
 */
export function takesPrecedence(a: Access, over: Access): boolean {
  if (a === 'deny') return true;
  if (over === 'deny') return false;
  return RANK[a] > RANK[over];
}

export function isAccess(v: unknown): v is Access {
  return v === 'deny' || v === 'read' || v === 'list' || v === 'write';
}
