import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ConfigObject, decodeConfig } from './decode.ts';
import { parseHcl } from './hcl.ts';
import { configSchema } from './schema.ts';

/** One decoded configuration source (a file, a flag set, an HCL fragment, a default block). */
export interface ConfigSource {
  name: string;
  config: ConfigObject;
}

/** A configuration error with Consul's text; nothing has been bound or written when it is thrown. */
export class ConfigError extends Error {}

/**
 * Reads `-config-file` / `-config-dir` paths the way Consul's builder does (sourcesFromPath): a file
 * must end in `.json` or `.hcl` unless `format` is given; a directory contributes its `.json` and
 * `.hcl` files in lexical order, not recursively, skipping others with a warning.
 */
export function sourcesFromPaths(paths: readonly string[], format: string, warnings: string[]): { sources: ConfigSource[]; files: string[] } {
  const sources: ConfigSource[] = [];
  const files: string[] = [];
  for (const path of paths) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(path);
    } catch (e) {
      throw new ConfigError(`config: Open failed on ${path}. ${goFsError(e, 'open', path)}`);
    }
    if (!st.isDirectory()) {
      if (!shouldParse(path, format)) {
        throw new ConfigError(`file ${path} has unknown extension; must be .hcl or .json, or config format must be set`);
      }
      sources.push(sourceFromFile(path, format));
      files.push(path);
      continue;
    }
    for (const name of readdirSync(path).sort()) {
      let fp = join(path, name);
      let fst = statSync(fp, { throwIfNoEntry: false });
      if (!fst) continue;
      if (fst.isSymbolicLink()) {
        fp = realpathSync(fp);
        fst = statSync(fp);
      }
      if (fst.isDirectory()) continue;
      if (!shouldParse(fp, format)) {
        warnings.push(`skipping file ${fp}, extension must be .hcl or .json, or config format must be set`);
        continue;
      }
      sources.push(sourceFromFile(fp, format));
      files.push(fp);
    }
  }
  return { sources, files };
}

/** Parses and decodes one file's text; errors read `failed to parse <name>: ...` as in Consul. */
export function sourceFromText(name: string, text: string, format: 'json' | 'hcl'): ConfigSource {
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseHcl(text);
  } catch (e) {
    throw new ConfigError(`failed to parse ${name}: ${(e as Error).message}`);
  }
  if (format === 'json' && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new ConfigError(`failed to parse ${name}: json: cannot unmarshal ${Array.isArray(raw) ? 'array' : typeof raw} into Go value of type map[string]interface {}`);
  }
  const { config, problems } = decodeConfig(raw, configSchema);
  if (problems.decode.length > 0) {
    const n = problems.decode.length;
    throw new ConfigError(`failed to parse ${name}: ${n} error(s) decoding:\n\n${problems.decode.map((d) => `* ${d}`).join('\n')}`);
  }
  if (problems.unused.length > 0) {
    throw new ConfigError(`failed to parse ${name}: ${multiError(problems.unused.map((k) => `invalid config key ${k}`))}`);
  }
  return { name, config };
}

/** hashicorp/go-multierror's format. */
export function multiError(errors: string[]): string {
  const head = errors.length === 1 ? '1 error occurred:' : `${errors.length} errors occurred:`;
  return `${head}\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`;
}

function sourceFromFile(path: string, format: string): ConfigSource {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`config: failed to read ${path}: ${goFsError(e, 'read', path)}`);
  }
  const fmt = format === 'json' || format === 'hcl' ? format : path.endsWith('.json') ? 'json' : 'hcl';
  return sourceFromText(path, text, fmt);
}

function shouldParse(path: string, format: string): boolean {
  return format !== '' || path.endsWith('.json') || path.endsWith('.hcl');
}

/** Go's os.PathError text for the common cases. */
function goFsError(e: unknown, op: string, path: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
  return `${op} ${path}: ${why}`;
}
