import type { Expr, Match } from './ast.ts';
import { FilterError } from './lexer.ts';
import { parseFilter } from './parser.ts';

/**
 * Consul's `?filter=` expressions evaluated over result rows (plain objects with Consul's field
 * names). Selectors walk object fields and map keys; a selector passing through a list (such as
 * `Checks.Status` on a health entry) matches when any element matches, so the whole row is kept.
 * `in`/`contains` test list membership, map-key presence or substring; `==` compares strings,
 * numbers (parsed), booleans ("true"/"false") and bigints. Negated forms are the negation of the
 * positive form.
 */
export interface Filter {
  readonly expression: string;
  match(row: unknown): boolean;
  filter<T>(rows: readonly T[]): T[];
}

export interface FilterOptions {
  /** Allowed first selector segments; when given, other selectors are rejected like go-bexpr's. */
  fields?: readonly string[];
}

/** Parses `expression`; throws FilterError with a position for a bad expression. */
export function compileFilter(expression: string, opts: FilterOptions = {}): Filter {
  const ast = parseFilter(expression);
  if (opts.fields) checkSelectors(ast, new Set(opts.fields));
  return {
    expression,
    match: (row) => evaluate(ast, row),
    filter: (rows) => rows.filter((r) => evaluate(ast, r)),
  };
}

function checkSelectors(e: Expr, fields: Set<string>): void {
  if (e.kind === 'match') {
    if (!fields.has(e.selector[0]!)) throw new FilterError(`Selector "${e.selector.join('.')}" is not valid`);
  } else if (e.kind === 'not') checkSelectors(e.expr, fields);
  else {
    checkSelectors(e.left, fields);
    checkSelectors(e.right, fields);
  }
}

function evaluate(e: Expr, row: unknown): boolean {
  switch (e.kind) {
    case 'and':
      return evaluate(e.left, row) && evaluate(e.right, row);
    case 'or':
      return evaluate(e.left, row) || evaluate(e.right, row);
    case 'not':
      return !evaluate(e.expr, row);
    case 'match':
      return evaluateMatch(e, row);
  }
}

/** Values the selector reaches, flattening lists met before the last segment. */
function resolve(row: unknown, path: readonly string[]): unknown[] {
  let cur: unknown[] = [row];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (Array.isArray(v)) {
        for (const el of v) if (el !== null && typeof el === 'object') next.push((el as Record<string, unknown>)[seg]);
      } else if (v !== null && typeof v === 'object') next.push((v as Record<string, unknown>)[seg]);
      else next.push(undefined);
    }
    cur = next;
  }
  return cur;
}

function equals(v: unknown, lit: string): boolean {
  switch (typeof v) {
    case 'string':
      return v === lit;
    case 'number':
      return lit.trim() !== '' && Number(lit) === v;
    case 'boolean':
      return (lit === 'true' && v) || (lit === 'false' && !v);
    case 'bigint':
      return /^-?\d+$/.test(lit) && BigInt(lit) === v;
    default:
      return false;
  }
}

function has(v: unknown, lit: string): boolean {
  if (typeof v === 'string') return v.includes(lit);
  if (Array.isArray(v)) return v.some((x) => equals(x, lit));
  if (v !== null && typeof v === 'object') return Object.hasOwn(v, lit);
  return false;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function matches(v: unknown, re: RegExp): boolean {
  if (typeof v === 'string') return re.test(v);
  if (Array.isArray(v)) return v.some((x) => typeof x === 'string' && re.test(x));
  return false;
}

function evaluateMatch(m: Match, row: unknown): boolean {
  const vals = resolve(row, m.selector);
  const lit = m.value ?? '';
  switch (m.op) {
    case 'equal':
      return vals.some((v) => equals(v, lit));
    case 'notEqual':
      return !vals.some((v) => equals(v, lit));
    case 'in':
    case 'contains':
      return vals.some((v) => has(v, lit));
    case 'notIn':
    case 'notContains':
      return !vals.some((v) => has(v, lit));
    case 'matches':
      return vals.some((v) => matches(v, m.regex!));
    case 'notMatches':
      return !vals.some((v) => matches(v, m.regex!));
    case 'isEmpty':
      return vals.length === 0 || vals.every(isEmpty);
    case 'isNotEmpty':
      return !(vals.length === 0 || vals.every(isEmpty));
  }
}
