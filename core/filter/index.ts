/** Consul's `?filter=` language (go-bexpr grammar). */
export { compileFilter } from './evaluate.ts';
export type { Filter, FilterOptions } from './evaluate.ts';
export { FilterError } from './lexer.ts';
export { parseFilter } from './parser.ts';
export type { Expr, Match, MatchOp } from './ast.ts';
export { FILTER_FIELDS } from './fields.ts';
