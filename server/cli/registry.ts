import type { CommandEntry } from './command.ts';

/**
 * The registered `consul` subcommands, as command/registry.go lists them, with Consul's synopses.
 * Only commands that are implemented are registered; each issue adds its own line.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'agent', synopsis: 'Runs a Consul agent', load: async () => (await import('./commands/agent.ts')).agentCommand },
  { name: 'keygen', synopsis: 'Generates a new encryption key', load: async () => (await import('./commands/keygen.ts')).keygenCommand },
  { name: 'validate', synopsis: 'Validate config files/directories', load: async () => (await import('./commands/validate.ts')).validateCommand },
  { name: 'version', synopsis: 'Prints the Consul version', load: async () => (await import('./commands/version.ts')).versionCommand },
];
