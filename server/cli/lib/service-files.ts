/**
 * Consul's command/services ServicesFromFiles: service definitions read from config files (JSON or
 * HCL, a `service` block or a `services` list), decoded and validated by the agent's own config
 * decoder so that a file the agent would reject is rejected here, before anything is registered.
 */
import { readFileSync } from 'node:fs';
import type { ConfigObject } from '../../config/decode.ts';
import { sourceFromText } from '../../config/sources.ts';
import { goFileError } from './read-input.ts';

/** All service definitions in `paths`, in order; throws on the first unreadable or invalid file. */
export function servicesFromFiles(paths: readonly string[]): ConfigObject[] {
  const out: ConfigObject[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new Error(`Error loading ${path}: ${goFileError(e, path)}`);
    }
    const format = path.endsWith('.hcl') ? 'hcl' : path.endsWith('.json') ? 'json' : text.trimStart().startsWith('{') ? 'json' : 'hcl';
    const { config } = sourceFromText(path, text, format);
    const one = config.service;
    const many = config.services;
    if (one && typeof one === 'object' && !Array.isArray(one)) out.push(one);
    if (Array.isArray(many)) for (const s of many) if (s && typeof s === 'object' && !Array.isArray(s)) out.push(s as ConfigObject);
  }
  return out;
}
