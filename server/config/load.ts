import { agentFlagSet, type AgentFlagValues, emptyAgentFlags } from './agent-flags.ts';
import { findPrivateIPv4, type PrivateIPv4Finder } from './addresses.ts';
import { buildRuntimeConfig } from './builder.ts';
import type { ConfigObject } from './decode.ts';
import { defaultConsulSource, defaultSource, devConsulSource, devSource, nonUserSource } from './defaults.ts';
import { mergeConfig } from './merge.ts';
import type { RuntimeConfig } from './runtime-config.ts';
import { configSchema } from './schema.ts';
import { ConfigError, type ConfigSource, sourceFromText, sourcesFromPaths } from './sources.ts';
import { legacyDataDirError, validateRuntimeConfig } from './validate.ts';
import { FlagError } from '../cli/go-flags.ts';

/** The result of loading: the RuntimeConfig and Consul's warnings (print them as `[WARN]  agent: ...`). */
export interface LoadResult {
  runtimeConfig: RuntimeConfig;
  warnings: string[];
}

/** Test seams and embedding options. */
export interface LoadOptions {
  findPrivateIPv4?: PrivateIPv4Finder;
  hostname?: () => string;
}

/**
 * Consul's config.Load: merges DefaultSource, DevSource (-dev), the list-valued flags, the config
 * files in order, the other flags, `-hcl` fragments, then the non-user sources, and builds and
 * validates the RuntimeConfig. List-valued flags go first so that file lists append after them
 * (Consul's splitSlicesAndValues); scalar flags go after the files so that flags override files.
 * Throws ConfigError with Consul's message; binds nothing.
 */
export function loadConfig(flags: AgentFlagValues, options: LoadOptions = {}): LoadResult {
  if (flags.configFormat !== '' && flags.configFormat !== 'json' && flags.configFormat !== 'hcl') {
    throw new ConfigError("config: -config-format must be either 'hcl' or 'json'");
  }
  const warnings: string[] = [];
  const { slices, values } = splitSlicesAndValues(flags.config);
  const head: ConfigSource[] = [{ name: 'default', config: defaultSource() }];
  if (flags.devMode) head.push({ name: 'dev', config: devSource() });
  head.push({ name: 'flags.slices', config: slices });
  const files = sourcesFromPaths(flags.configFiles, flags.configFormat, warnings);
  const tail: ConfigSource[] = [{ name: 'flags.values', config: values }];
  for (const [i, text] of flags.hcl.entries()) tail.push(sourceFromText(`flags-${i}.hcl`, text, 'hcl'));
  tail.push({ name: 'non-user', config: nonUserSource() }, { name: 'consul', config: defaultConsulSource() });
  if (flags.devMode) tail.push({ name: 'consul-dev', config: devConsulSource() });

  let merged: ConfigObject = {};
  for (const src of [...head, ...files.sources, ...tail]) merged = mergeConfig(merged, foldSingles(src.config), configSchema);
  const runtimeConfig = buildRuntimeConfig(
    merged,
    {
      devMode: flags.devMode,
      configFiles: files.files,
      findPrivateIPv4: options.findPrivateIPv4 ?? findPrivateIPv4,
      ...(options.hostname ? { hostname: options.hostname } : {}),
    },
    warnings,
  );
  validateRuntimeConfig(runtimeConfig, warnings);
  const legacy = legacyDataDirError(runtimeConfig);
  if (legacy) throw new ConfigError(legacy);
  return { runtimeConfig, warnings };
}

/** Outcome of {@link parseAgentConfig}: a config, or what `consul agent` prints and its exit code. */
export type AgentConfigOutcome =
  | { ok: true; config: RuntimeConfig; warnings: string[]; flags: AgentFlagValues }
  | { ok: false; exitCode: number; stderr: string; help: boolean };

/**
 * `consul agent <argv>` up to the point where Consul would start binding: parses the flags (Go
 * syntax, Consul's errors and usage), loads and validates every config source. For the agent
 * command: on failure print `stderr` and exit with `exitCode`. On success `flags` is what a reload
 * (SIGHUP, `consul reload`) passes to {@link loadConfig} again to re-read the same files.
 */
export function parseAgentConfig(argv: readonly string[], options: LoadOptions = {}): AgentConfigOutcome {
  const values = emptyAgentFlags();
  const fs = agentFlagSet(values);
  let rest: string[];
  try {
    rest = fs.parse(argv);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    const usage = `Usage:\n${fs.defaults()}`;
    if (e.help) return { ok: false, exitCode: 1, help: true, stderr: usage };
    return { ok: false, exitCode: 1, help: false, stderr: `${e.message}\n${usage}==> error parsing flags: ${e.message}\n` };
  }
  if (rest.length > 0) {
    return { ok: false, exitCode: 1, help: false, stderr: `==> Unexpected extra arguments: [${rest.join(' ')}]\n` };
  }
  try {
    const { runtimeConfig, warnings } = loadConfig(values, options);
    return { ok: true, config: runtimeConfig, warnings, flags: values };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { ok: false, exitCode: 1, help: false, stderr: `==> ${e.message}\n` };
  }
}

/** Consul's splitSlicesAndValues over the flag config: top-level list fields vs everything else. */
function splitSlicesAndValues(c: ConfigObject): { slices: ConfigObject; values: ConfigObject } {
  const slices: ConfigObject = {};
  const values: ConfigObject = {};
  for (const [k, v] of Object.entries(c)) {
    const t = configSchema[k];
    if (typeof t === 'object' && 'list' in t) slices[k] = v;
    else values[k] = v;
  }
  return { slices, values };
}

/**
 * A single `service` or `check` in one source joins that source's `services`/`checks` list before
 * merging, as Consul's builder does: otherwise a later file's `service` would replace an earlier one.
 */
function foldSingles(c: ConfigObject): ConfigObject {
  const out: ConfigObject = { ...c };
  for (const [one, many] of [
    ['service', 'services'],
    ['check', 'checks'],
  ] as const) {
    const single = out[one];
    if (single === undefined) continue;
    const list = out[many];
    out[many] = [...(Array.isArray(list) ? list : list === undefined ? [] : [list]), ...(Array.isArray(single) ? single : [single])];
    delete out[one];
  }
  return out;
}
