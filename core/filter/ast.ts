/** Parsed filter expressions. */

export type MatchOp = 'equal' | 'notEqual' | 'in' | 'notIn' | 'contains' | 'notContains' | 'matches' | 'notMatches' | 'isEmpty' | 'isNotEmpty';

export interface Match {
  kind: 'match';
  op: MatchOp;
  /** Selector path, e.g. ["Service", "Meta", "env"]. */
  selector: string[];
  /** Literal value (absent for is empty / is not empty). */
  value?: string;
  /** Compiled regex for matches / not matches. */
  regex?: RegExp;
}

export type Expr =
  | Match
  | { kind: 'and'; left: Expr; right: Expr }
  | { kind: 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr };
