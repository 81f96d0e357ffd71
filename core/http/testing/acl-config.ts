import type { AgentAclConfig } from '../../agent/agent-config.ts';

/** An agent ACL configuration for tests: enabled, default deny, no tokens unless overridden. */
export function aclConfig(overrides: Partial<AgentAclConfig> = {}): AgentAclConfig {
  return {
    enabled: true,
    defaultPolicy: 'deny',
    downPolicy: 'extend-cache',
    tokenTtlMs: 30_000,
    primaryDatacenter: 'dc1',
    initialManagement: '',
    tokens: { default: '', agent: '', agentRecovery: '', replication: '', configFileServiceRegistration: '', dns: '' },
    ...overrides,
  };
}
