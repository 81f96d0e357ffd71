/**
 * A small HCL (version 1, the dialect Consul's agent config uses) parser producing plain JS values.
 *
 * Covered: `#`, `//` and `/* *\/` comments; `key = value` attributes; blocks `key { ... }` and
 * labelled blocks `key "label" { ... }` (nested as `{ key: { label: {...} } }`); object values
 * `key = { ... }`; lists with trailing commas; strings with escapes (interpolations such as `${x}`
 * stay literal, as Consul keeps them); heredocs `<<EOF` and indented `<<-EOF`; integers, floats,
 * hex numbers; `true`/`false`; quoted keys. A key given more than once inside one object collects
 * its values into an array, which is how HCL 1 represents repeated blocks (`service { } service { }`);
 * the config decoder then treats one object and a list of objects according to the key's type.
 *
 * Errors are thrown as {@link HclError} with HCL's `At line:col: message` text.
 */

export type HclValue = string | number | boolean | HclValue[] | HclObject;
export interface HclObject {
  [key: string]: HclValue;
}

/** A syntax error with its 1-based position. */
export class HclError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`At ${line}:${column}: ${detail}`);
  }
}

type Tok =
  | { t: 'ident'; v: string; line: number; col: number }
  | { t: 'string'; v: string; line: number; col: number }
  | { t: 'number'; v: number; line: number; col: number }
  | { t: 'bool'; v: boolean; line: number; col: number }
  | { t: 'punct'; v: '=' | '{' | '}' | '[' | ']' | ',' | ':'; line: number; col: number }
  | { t: 'eof'; line: number; col: number };

/** Parses an HCL document into an object. */
export function parseHcl(src: string): HclObject {
  const p = new Parser(tokenize(src));
  return p.document();
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  document(): HclObject {
    const obj = this.objectBody('eof');
    return obj;
  }

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private next(): Tok {
    return this.toks[this.i++]!;
  }

  private fail(tok: Tok, detail: string): never {
    throw new HclError(tok.line, tok.col, detail);
  }

  /** Items until `}` (consumed by the caller) or end of input. */
  private objectBody(end: '}' | 'eof'): HclObject {
    const out: HclObject = {};
    for (;;) {
      const tok = this.peek();
      if (end === 'eof' && tok.t === 'eof') return out;
      if (end === '}' && tok.t === 'punct' && tok.v === '}') return out;
      if (tok.t === 'eof') this.fail(tok, "unexpected end of file, expected '}'");
      if (tok.t === 'punct' && tok.v === ',') {
        this.next();
        continue;
      }
      this.item(out);
    }
  }

  private item(into: HclObject): void {
    const keyTok = this.next();
    if (keyTok.t !== 'ident' && keyTok.t !== 'string') {
      this.fail(keyTok, `expected: IDENT | STRING got: ${tokenText(keyTok)}`);
    }
    const keys = [String(keyTok.v)];
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'punct' && (tok.v === '=' || tok.v === ':')) {
        this.next();
        if (keys.length > 1) this.fail(tok, `nested object expected: LBRACE got: ${tokenText(tok)}`);
        add(into, keys[0]!, this.value());
        return;
      }
      if (tok.t === 'punct' && tok.v === '{') {
        this.next();
        let body: HclValue = this.objectBody('}');
        this.next();
        for (let k = keys.length - 1; k >= 1; k--) body = { [keys[k]!]: body };
        add(into, keys[0]!, body);
        return;
      }
      if (tok.t === 'ident' || tok.t === 'string') {
        this.next();
        keys.push(String(tok.v));
        continue;
      }
      this.fail(tok, `key '${keys.join(' ')}' expected start of object ('{') or assignment ('=')`);
    }
  }

  private value(): HclValue {
    const tok = this.next();
    switch (tok.t) {
      case 'string':
      case 'number':
      case 'bool':
        return tok.v;
      case 'punct':
        if (tok.v === '{') {
          const body = this.objectBody('}');
          this.next();
          return body;
        }
        if (tok.v === '[') return this.list();
        break;
      default:
        break;
    }
    return this.fail(tok, `Unknown token: ${tokenText(tok)}`);
  }

  private list(): HclValue[] {
    const out: HclValue[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'punct' && tok.v === ']') {
        this.next();
        return out;
      }
      if (tok.t === 'eof') this.fail(tok, "unexpected end of file, expected ']'");
      out.push(this.value());
      const sep = this.peek();
      if (sep.t === 'punct' && sep.v === ',') {
        this.next();
        continue;
      }
      if (!(sep.t === 'punct' && sep.v === ']')) this.fail(sep, `expected: COMMA got: ${tokenText(sep)}`);
    }
  }
}

/** Adds a value; a repeated key collects into an array of occurrences (HCL 1's repeated blocks). */
function add(into: HclObject, key: string, value: HclValue): void {
  if (!Object.hasOwn(into, key)) {
    into[key] = value;
    return;
  }
  const prev = into[key]!;
  const repeated = REPEATED.get(into)?.has(key);
  if (repeated) (prev as HclValue[]).push(value);
  else {
    into[key] = [prev, value];
    let set = REPEATED.get(into);
    if (!set) REPEATED.set(into, (set = new Set()));
    set.add(key);
  }
}

/** Keys whose value is a collection of repeated occurrences (not a list literal). */
const REPEATED = new WeakMap<HclObject, Set<string>>();

/** True if `obj[key]` holds repeated occurrences of the key rather than one list value. */
export function isRepeated(obj: HclObject, key: string): boolean {
  return REPEATED.get(obj)?.has(key) ?? false;
}

function tokenText(tok: Tok): string {
  if (tok.t === 'eof') return 'EOF';
  if (tok.t === 'punct') return JSON.stringify(tok.v);
  return `${tok.t.toUpperCase()} ${JSON.stringify(tok.v)}`;
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const col = () => i - lineStart + 1;
  const fail = (detail: string): never => {
    throw new HclError(line, col(), detail);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) fail('comment not terminated');
      for (let j = i; j < end; j++) {
        if (src[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = end + 2;
      continue;
    }
    const startLine = line;
    const startCol = col();
    if ('={}[],:'.includes(c)) {
      toks.push({ t: 'punct', v: c as '=', line: startLine, col: startCol });
      i++;
      continue;
    }
    if (c === '"') {
      const { value, end, newlines } = readString(src, i, fail);
      toks.push({ t: 'string', v: value, line: startLine, col: startCol });
      if (newlines) fail('literal not terminated');
      i = end;
      continue;
    }
    if (c === '<' && src[i + 1] === '<') {
      const h = readHeredoc(src, i, fail);
      toks.push({ t: 'string', v: h.value, line: startLine, col: startCol });
      for (let j = i; j < h.end; j++) {
        if (src[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = h.end;
      continue;
    }
    const num = /^[-+]?(0[xX][0-9a-fA-F]+|\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(src.slice(i, i + 64));
    if (num && (c !== '-' || /\d/.test(src[i + 1] ?? ''))) {
      const text = num[0];
      const v = /0[xX]/.test(text) ? Number.parseInt(text, 16) : Number(text);
      toks.push({ t: 'number', v, line: startLine, col: startCol });
      i += text.length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.\-]*/.exec(src.slice(i, i + 512));
    if (ident) {
      const text = ident[0];
      if (text === 'true' || text === 'false') toks.push({ t: 'bool', v: text === 'true', line: startLine, col: startCol });
      else toks.push({ t: 'ident', v: text, line: startLine, col: startCol });
      i += text.length;
      continue;
    }
    fail(`illegal char ${JSON.stringify(c)}`);
  }
  toks.push({ t: 'eof', line, col: col() });
  return toks;
}

function readString(src: string, start: number, fail: (d: string) => never): { value: string; end: number; newlines: boolean } {
  let out = '';
  let i = start + 1;
  let depth = 0; // inside ${ ... } quotes do not terminate the string
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') return { value: out, end: i, newlines: true };
    if (c === '"' && depth === 0) return { value: out, end: i + 1, newlines: false };
    if (c === '$' && src[i + 1] === '{') {
      depth++;
      out += '${';
      i += 2;
      continue;
    }
    if (c === '}' && depth > 0) depth--;
    if (c === '\\') {
      const e = src[i + 1];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        i += 2;
        continue;
      }
      if (e === 'u' || e === 'U') {
        const len = e === 'u' ? 4 : 8;
        const hex = src.slice(i + 2, i + 2 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail('illegal char escape');
        out += String.fromCodePoint(Number.parseInt(hex, 16));
        i += 2 + len;
        continue;
      }
      fail('unknown escape sequence');
    }
    out += c;
    i++;
  }
  return fail('literal not terminated');
}

function readHeredoc(src: string, start: number, fail: (d: string) => never): { value: string; end: number } {
  const head = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(src.slice(start, start + 256));
  if (!head) fail('heredoc expected marker name and newline');
  const indented = head![1] === '-';
  const marker = head![2]!;
  const lines: string[] = [];
  let i = start + head![0].length;
  while (i <= src.length) {
    let nl = src.indexOf('\n', i);
    if (nl < 0) nl = src.length;
    const raw = src.slice(i, nl).replace(/\r$/, '');
    if ((indented ? raw.trim() : raw) === marker) {
      return { value: finishHeredoc(lines, indented), end: nl };
    }
    lines.push(raw);
    if (nl >= src.length) break;
    i = nl + 1;
  }
  return fail(`heredoc not terminated (expected ${marker})`);
}

function finishHeredoc(lines: string[], indented: boolean): string {
  if (!indented) return lines.map((l) => `${l}\n`).join('');
  const widths = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = widths.length > 0 ? Math.min(...widths) : 0;
  return lines.map((l) => `${l.slice(cut)}\n`).join('');
}
