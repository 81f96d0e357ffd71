/**
 * Go's `flag` package, as Consul's commands use it (`flag.NewFlagSet("", flag.ContinueOnError)`):
 * `-flag value`, `-flag=value`, `--flag`, boolean flags that take no separate value (`-server`,
 * `-server=false`), repeatable flags, parsing that stops at the first non-flag argument or `--`,
 * and Go's exact error texts (`flag provided but not defined: -foo`, `flag needs an argument: -node`,
 * `invalid value "x" for flag -http-port: ...`). Usage text follows `FlagSet.PrintDefaults`.
 */

/** How a flag's value is read. `set` throws an Error whose message Go's flag package would print. */
export interface FlagDef {
  name: string;
  usage: string;
  /** Boolean flags accept `-name` alone (meaning true) and `-name=value`, never `-name value`. */
  bool?: boolean;
  /** Stores one occurrence's text; throws to reject it. */
  set(value: string): void;
  /** Default shown by usage as ` (default ...)`, if any. */
  defValue?: string;
}

/** A flag parse failure; `message` is Go's text, `help` is true for -h / -help. */
export class FlagError extends Error {
  constructor(
    message: string,
    readonly help = false,
  ) {
    super(message);
  }
}

/** A set of flags parsed the way Go's FlagSet does. */
export class FlagSet {
  private readonly defs = new Map<string, FlagDef>();

  /** Registers a flag; the name must be unique. */
  add(def: FlagDef): this {
    if (this.defs.has(def.name)) throw new Error(`flag redefined: ${def.name}`);
    this.defs.set(def.name, def);
    return this;
  }

  /** Parses `args`, calling each flag's `set`; returns the remaining (positional) arguments. */
  parse(args: readonly string[]): string[] {
    let i = 0;
    while (i < args.length) {
      const arg = args[i]!;
      if (arg.length < 2 || arg[0] !== '-') break;
      let dashes = 1;
      if (arg[1] === '-') {
        dashes = 2;
        if (arg.length === 2) {
          i++;
          break; // "--" terminates the flags
        }
      }
      let name = arg.slice(dashes);
      if (name.length === 0 || name[0] === '-' || name[0] === '=') throw new FlagError(`bad flag syntax: ${arg}`);
      i++;
      let value: string | undefined;
      const eq = name.indexOf('=');
      if (eq > 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      const def = this.defs.get(name);
      if (!def) {
        if (name === 'help' || name === 'h') throw new FlagError('flag: help requested', true);
        throw new FlagError(`flag provided but not defined: -${name}`);
      }
      if (def.bool) {
        const v = value ?? 'true';
        try {
          def.set(v);
        } catch (e) {
          throw new FlagError(`invalid boolean value ${JSON.stringify(v)} for -${name}: ${errText(e)}`);
        }
        continue;
      }
      if (value === undefined) {
        if (i >= args.length) throw new FlagError(`flag needs an argument: -${name}`);
        value = args[i++]!;
      }
      try {
        def.set(value);
      } catch (e) {
        throw new FlagError(`invalid value ${JSON.stringify(value)} for flag -${name}: ${errText(e)}`);
      }
    }
    return args.slice(i);
  }

  /** The registered flags sorted by name (Go's `VisitAll` order). */
  sorted(): FlagDef[] {
    return [...this.defs.keys()].sort().map((n) => this.defs.get(n)!);
  }

  /** Go's `PrintDefaults`: flags sorted by name, `  -name type` then the indented usage. */
  defaults(): string {
    const names = [...this.defs.keys()].sort();
    return names
      .map((n) => {
        const d = this.defs.get(n)!;
        const { type, usage } = unquoteUsage(d);
        let line = `  -${n}`;
        if (type) line += ` ${type}`;
        line += line.length <= 4 ? '\t' : '\n    \t';
        line += usage.replaceAll('\n', '\n    \t');
        if (d.defValue !== undefined && d.defValue !== '' && d.defValue !== 'false' && d.defValue !== '0') {
          line += ` (default ${d.defValue})`;
        }
        return `${line}\n`;
      })
      .join('');
  }
}

/** Go's `flag.UnquoteUsage`: a back-quoted word in the usage names the value. */
export function unquoteUsage(d: FlagDef): { type: string; usage: string } {
  const m = /`([^`]*)`/.exec(d.usage);
  if (m) return { type: m[1]!, usage: d.usage.replace(`\`${m[1]}\``, m[1]!) };
  return { type: d.bool ? '' : 'value', usage: d.usage };
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Go's `strconv.ParseBool`. */
export function parseGoBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw new Error(`strconv.ParseBool: parsing ${JSON.stringify(s)}: invalid syntax`);
}

/** Go's `strconv.Atoi` for a 64-bit int. */
export function parseGoInt(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}
