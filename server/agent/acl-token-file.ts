import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentTokens } from '../../core/agent/agent-config.ts';

/** Consul's file names in the data dir (agent/token/persistence.go; agent/consul/acl_endpoint.go). */
const TOKENS_FILE = 'acl-tokens.json';
const BOOTSTRAP_RESET_FILE = 'acl-bootstrap-reset';

/** The JSON keys of acl-tokens.json and the AgentTokens field each one fills. */
const KEYS: Array<[string, keyof AgentTokens]> = [
  ['default', 'default'],
  ['agent', 'agent'],
  ['agent_recovery', 'agentRecovery'],
  ['replication', 'replication'],
  ['config_file_service_registration', 'configFileServiceRegistration'],
  ['dns', 'dns'],
];

/**
 * The ACL files of a data dir: tokens set through the API when `acl.enable_token_persistence` is
 * on (mode 0600, reloaded at start over the configured ones, as Consul does), and the
 * `acl-bootstrap-reset` file an operator writes to allow one more bootstrap.
 */
export class AclTokenFile {
  constructor(private readonly dataDir: string) {}

  /** The persisted tokens; an unreadable or malformed file is ignored (the config's tokens apply). */
  load(): Partial<AgentTokens> {
    const path = join(this.dataDir, TOKENS_FILE);
    if (!this.dataDir || !existsSync(path)) return {};
    try {
      const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      const out: Partial<AgentTokens> = {};
      for (const [key, field] of KEYS) if (typeof raw[key] === 'string' && raw[key] !== '') out[field] = raw[key];
      return out;
    } catch {
      return {};
    }
  }

  save(tokens: AgentTokens): void {
    if (!this.dataDir) return;
    const out: Record<string, string> = {};
    for (const [key, field] of KEYS) if (tokens[field]) out[key] = tokens[field];
    writeFileSync(join(this.dataDir, TOKENS_FILE), JSON.stringify(out), { mode: 0o600 });
  }

  bootstrapReset(): { read(): string | undefined; remove(): void } {
    const path = join(this.dataDir, BOOTSTRAP_RESET_FILE);
    return {
      read: () => (this.dataDir && existsSync(path) ? readFileSync(path, 'utf8') : undefined),
      remove: () => rmSync(path, { force: true }),
    };
  }
}
