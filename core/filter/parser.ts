import type { Expr, Match, MatchOp } from './ast.ts';
import { FilterError, type Token, tokenize, where } from './lexer.ts';

/**
 * Recursive-descent parser for go-bexpr's grammar:
 *
 *   or      := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" or ")" | match
 *   match   := selector ("==" | "!=") value
 *            | selector "is" ["not"] "empty"
 *            | selector ["not"] ("contains" | "matches") value
 *            | value ["not"] "in" selector
 *   selector:= ident ("." ident | "[" string "]")*
 *   value   := string | number | ident
 *
 * Precedence is not > and > or, as in go-bexpr.
 */
export function parseFilter(src: string): Expr {
  const p = new Parser(src, tokenize(src));
  const e = p.or();
  p.expectEnd();
  return e;
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }

  private isWord(t: Token, w: string): boolean {
    return t.kind === 'ident' && t.text === w;
  }

  private fail(t: Token, expected: string): never {
    const found = t.kind === 'eof' ? 'end of input' : JSON.stringify(t.text);
    throw new FilterError(`${where(this.src, t.pos)}: no match found, expected ${expected}, found ${found}`);
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') this.fail(t, '"and", "or" or end of input');
  }

  or(): Expr {
    let left = this.and();
    while (this.isWord(this.peek(), 'or')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.unary();
    while (this.isWord(this.peek(), 'and')) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isWord(t, 'not')) {
      this.i++;
      return { kind: 'not', expr: this.unary() };
    }
    if (t.kind === 'lparen') {
      this.i++;
      const e = this.or();
      if (this.peek().kind !== 'rparen') this.fail(this.peek(), '")"');
      this.i++;
      return e;
    }
    return this.match();
  }

  /** Whether the tokens at the cursor are `value [not] in`. */
  private valueFirst(): boolean {
    const t = this.peek();
    if (t.kind === 'string' || t.kind === 'number') return true;
    if (t.kind !== 'ident') return false;
    const n = this.peek(1);
    return this.isWord(n, 'in') || (this.isWord(n, 'not') && this.isWord(this.peek(2), 'in'));
  }

  private match(): Match {
    if (this.valueFirst()) {
      const value = this.value();
      let op: MatchOp = 'in';
      if (this.isWord(this.peek(), 'not')) {
        this.i++;
        op = 'notIn';
      }
      if (!this.isWord(this.peek(), 'in')) this.fail(this.peek(), '"in" or "not in"');
      this.i++;
      return { kind: 'match', op, selector: this.selector(), value };
    }
    const selector = this.selector();
    const t = this.peek();
    if (t.kind === 'op') {
      this.i++;
      return { kind: 'match', op: t.text === '==' ? 'equal' : 'notEqual', selector, value: this.value() };
    }
    if (this.isWord(t, 'is')) {
      this.i++;
      let op: MatchOp = 'isEmpty';
      if (this.isWord(this.peek(), 'not')) {
        this.i++;
        op = 'isNotEmpty';
      }
      if (!this.isWord(this.peek(), 'empty')) this.fail(this.peek(), '"empty"');
      this.i++;
      return { kind: 'match', op, selector };
    }
    let negate = false;
    if (this.isWord(t, 'not')) {
      negate = true;
      this.i++;
    }
    const w = this.peek();
    if (this.isWord(w, 'contains')) {
      this.i++;
      return { kind: 'match', op: negate ? 'notContains' : 'contains', selector, value: this.value() };
    }
    if (this.isWord(w, 'matches')) {
      this.i++;
      const vt = this.peek();
      const value = this.value();
      let regex: RegExp;
      try {
        regex = new RegExp(value);
      } catch (e) {
        throw new FilterError(`${where(this.src, vt.pos)}: invalid regular expression ${JSON.stringify(value)}: ${(e as Error).message}`);
      }
      return { kind: 'match', op: negate ? 'notMatches' : 'matches', selector, value, regex };
    }
    return this.fail(w, negate ? '"contains" or "matches"' : '"==", "!=", "is", "contains", "matches", "not" or "."');
  }

  private selector(): string[] {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(t, 'a selector');
    this.i++;
    const path = [t.text];
    for (;;) {
      const n = this.peek();
      if (n.kind === 'dot') {
        this.i++;
        const f = this.peek();
        if (f.kind !== 'ident') this.fail(f, 'a field name');
        this.i++;
        path.push(f.text);
      } else if (n.kind === 'lbracket') {
        this.i++;
        const k = this.peek();
        if (k.kind !== 'string') this.fail(k, 'a quoted map key');
        this.i++;
        if (this.peek().kind !== 'rbracket') this.fail(this.peek(), '"]"');
        this.i++;
        path.push(k.text);
      } else return path;
    }
  }

  private value(): string {
    const t = this.peek();
    if (t.kind === 'string' || t.kind === 'number' || t.kind === 'ident') {
      this.i++;
      return t.text;
    }
    return this.fail(t, 'a value (quoted string, number or identifier)');
  }
}
