import { HclError, parseHcl } from '../lib/hcl.ts';
import { compileRules, emptyRules, type PolicyRules, RulesError } from './rules.ts';

/**
 * Parses a policy's `Rules` text, HCL or JSON as Consul accepts both (hcl.Decode reads JSON too),
 * into compiled rules. Empty text is a policy with no rules. Errors are {@link RulesError}s with
 * Consul's "Failed to parse ACL rules" prefix.
 */
export function parseRules(text: string): PolicyRules {
  const trimmed = text.trim();
  if (trimmed === '') return emptyRules();
  let doc: unknown;
  if (trimmed.startsWith('{')) {
    try {
      doc = JSON.parse(trimmed);
    } catch (e) {
      throw new RulesError(`Failed to parse ACL rules: ${(e as Error).message}`);
    }
  } else {
    try {
      doc = parseHcl(trimmed);
    } catch (e) {
      if (e instanceof HclError) throw new RulesError(`Failed to parse ACL rules: ${e.message}`);
      throw e;
    }
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new RulesError('Failed to parse ACL rules: rules must be an object');
  return compileRules(doc as Record<string, unknown>);
}
