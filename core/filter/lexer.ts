/**
 * Tokens of Consul's filter language (go-bexpr). Positions are reported go-bexpr style as
 * `line:column (offset)` in error messages.
 */

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'dot' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset of the token's first character. */
  pos: number;
}

/** A bad filter expression. The HTTP layer prefixes "Failed to create boolean expression evaluator: ". */
export class FilterError extends Error {
  override name = 'FilterError';

  /** The body Consul answers with (HTTP 400) for this expression. */
  get httpMessage(): string {
    return `Failed to create boolean expression evaluator: ${this.message}`;
  }
}

/** Formats an offset as go-bexpr's `line:col (offset)`. */
export function where(src: string, pos: number): string {
  const before = src.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${col} (${pos})`;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_\-/]/;

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === '`') {
      i++;
      let text = '';
      while (i < src.length && src[i] !== c) {
        if (c === '"' && src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1]!;
          text += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else text += src[i++];
      }
      if (i >= src.length) throw new FilterError(`${where(src, start)}: unterminated string literal`);
      i++;
      out.push({ kind: 'string', text, pos: start });
    } else if (c === '=' || c === '!') {
      if (src[i + 1] !== '=') throw new FilterError(`${where(src, i)}: no match found, expected "==" or "!="`);
      out.push({ kind: 'op', text: c + '=', pos: start });
      i += 2;
    } else if (c === '(' || c === ')' || c === '[' || c === ']' || c === '.') {
      const kinds: Record<string, TokenKind> = { '(': 'lparen', ')': 'rparen', '[': 'lbracket', ']': 'rbracket', '.': 'dot' };
      out.push({ kind: kinds[c]!, text: c, pos: start });
      i++;
    } else if (/[0-9-]/.test(c) && /[0-9]/.test(src[i + (c === '-' ? 1 : 0)] ?? '')) {
      i++;
      while (i < src.length && /[0-9.eE+-]/.test(src[i]!)) i++;
      out.push({ kind: 'number', text: src.slice(start, i), pos: start });
    } else if (IDENT_START.test(c)) {
      i++;
      while (i < src.length && IDENT_PART.test(src[i]!)) i++;
      out.push({ kind: 'ident', text: src.slice(start, i), pos: start });
    } else {
      throw new FilterError(`${where(src, i)}: no match found, unexpected character ${JSON.stringify(c)}`);
    }
  }
  out.push({ kind: 'eof', text: '', pos: src.length });
  return out;
}
