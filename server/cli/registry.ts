import type { CommandEntry } from './command.ts';

/**
 * The registered `consul` subcommands, as command/registry.go lists them, with Consul's synopses.
 * Only commands that are implemented are registered; each issue adds its own line. Multi-word names
 * are subcommands (`kv get`); the dispatcher picks the longest name that prefixes the arguments.
 * Each `load` imports only that command's module, so start-up pays for nothing else.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'agent', synopsis: 'Runs a Consul agent', load: async () => (await import('./commands/agent.ts')).agentCommand },
  { name: 'catalog', synopsis: 'Interact with the catalog', load: async () => (await import('./commands/parents.ts')).catalogParent },
  { name: 'catalog datacenters', synopsis: 'Lists all known datacenters', load: async () => (await import('./commands/catalog/catalog-datacenters.ts')).catalogDatacentersCommand },
  { name: 'catalog nodes', synopsis: 'Lists all nodes in the given datacenter', load: async () => (await import('./commands/catalog/catalog-nodes.ts')).catalogNodesCommand },
  { name: 'catalog services', synopsis: 'Lists all registered services in a datacenter', load: async () => (await import('./commands/catalog/catalog-services.ts')).catalogServicesCommand },
  { name: 'event', synopsis: 'Fire a new event', load: async () => (await import('./commands/agent/event.ts')).eventCommand },
  { name: 'exec', synopsis: 'Executes a command on Consul nodes', load: async () => (await import('./commands/exec.ts')).execCommand },
  { name: 'force-leave', synopsis: 'Forces a member of the cluster to enter the "left" state', load: async () => (await import('./commands/agent/force-leave.ts')).forceLeaveCommand },
  { name: 'info', synopsis: 'Provides debugging information for operators.', load: async () => (await import('./commands/agent/info.ts')).infoCommand },
  { name: 'join', synopsis: 'Tell Consul agent to join cluster', load: async () => (await import('./commands/agent/join.ts')).joinCommand },
  { name: 'keygen', synopsis: 'Generates a new encryption key', load: async () => (await import('./commands/keygen.ts')).keygenCommand },
  { name: 'keyring', synopsis: 'Manages gossip layer encryption keys', load: async () => (await import('./commands/agent/keyring.ts')).keyringCommand },
  { name: 'kv', synopsis: 'Interact with the key-value store', load: async () => (await import('./commands/parents.ts')).kvParent },
  { name: 'kv delete', synopsis: 'Removes data from the KV store', load: async () => (await import('./commands/kv/kv-delete.ts')).kvDeleteCommand },
  { name: 'kv export', synopsis: 'Exports a tree from the KV store as JSON', load: async () => (await import('./commands/kv/kv-export.ts')).kvExportCommand },
  { name: 'kv get', synopsis: 'Retrieves or lists data from the KV store', load: async () => (await import('./commands/kv/kv-get.ts')).kvGetCommand },
  { name: 'kv import', synopsis: 'Imports a tree stored as JSON to the KV store', load: async () => (await import('./commands/kv/kv-import.ts')).kvImportCommand },
  { name: 'kv put', synopsis: 'Sets or updates data in the KV store', load: async () => (await import('./commands/kv/kv-put.ts')).kvPutCommand },
  { name: 'leave', synopsis: 'Gracefully leaves the Consul cluster and shuts down', load: async () => (await import('./commands/agent/leave.ts')).leaveCommand },
  { name: 'lock', synopsis: 'Execute a command holding a lock', load: async () => (await import('./commands/lock.ts')).lockCommand },
  { name: 'maint', synopsis: 'Controls node or service maintenance mode', load: async () => (await import('./commands/agent/maint.ts')).maintCommand },
  { name: 'members', synopsis: 'Lists the members of a Consul cluster', load: async () => (await import('./commands/agent/members.ts')).membersCommand },
  { name: 'monitor', synopsis: 'Stream logs from a Consul agent', load: async () => (await import('./commands/agent/monitor.ts')).monitorCommand },
  { name: 'operator', synopsis: 'Provides cluster-level tools for Consul operators', load: async () => (await import('./commands/parents.ts')).operatorParent },
  { name: 'operator autopilot', synopsis: 'Provides tools for modifying Autopilot configuration', load: async () => (await import('./commands/parents.ts')).operatorAutopilotParent },
  { name: 'operator autopilot get-config', synopsis: 'Display the current Autopilot configuration', load: async () => (await import('./commands/operator/autopilot-config.ts')).autopilotGetConfigCommand },
  { name: 'operator autopilot set-config', synopsis: 'Modify the current Autopilot configuration', load: async () => (await import('./commands/operator/autopilot-config.ts')).autopilotSetConfigCommand },
  { name: 'operator autopilot state', synopsis: 'Display the current Autopilot state', load: async () => (await import('./commands/operator/autopilot-state.ts')).autopilotStateCommand },
  { name: 'operator raft', synopsis: 'Provides cluster-level tools for Consul operators', load: async () => (await import('./commands/parents.ts')).operatorRaftParent },
  { name: 'operator raft list-peers', synopsis: 'Display the current Raft peer configuration', load: async () => (await import('./commands/operator/raft-list-peers.ts')).raftListPeersCommand },
  { name: 'operator raft remove-peer', synopsis: 'Remove a Consul server from the Raft configuration', load: async () => (await import('./commands/operator/raft-remove-peer.ts')).raftRemovePeerCommand },
  { name: 'operator raft transfer-leader', synopsis: 'Transfer raft leadership to another node', load: async () => (await import('./commands/operator/raft-transfer-leader.ts')).raftTransferLeaderCommand },
  { name: 'reload', synopsis: 'Triggers the agent to reload configuration files', load: async () => (await import('./commands/agent/reload.ts')).reloadCommand },
  { name: 'rtt', synopsis: 'Estimates network round trip time between nodes', load: async () => (await import('./commands/agent/rtt.ts')).rttCommand },
  { name: 'services', synopsis: 'Interact with services', load: async () => (await import('./commands/parents.ts')).servicesParent },
  { name: 'services deregister', synopsis: 'Deregister services with the local agent', load: async () => (await import('./commands/services/services-deregister.ts')).servicesDeregisterCommand },
  { name: 'services register', synopsis: 'Register services with the local agent', load: async () => (await import('./commands/services/services-register.ts')).servicesRegisterCommand },
  { name: 'snapshot', synopsis: 'Saves, restores and inspects snapshots of Consul server state', load: async () => (await import('./commands/parents.ts')).snapshotParent },
  { name: 'snapshot inspect', synopsis: 'Displays information about a Consul snapshot file', load: async () => (await import('./commands/snapshot/snapshot-inspect.ts')).snapshotInspectCommand },
  { name: 'snapshot restore', synopsis: 'Restores snapshot of Consul server state', load: async () => (await import('./commands/snapshot/snapshot-restore.ts')).snapshotRestoreCommand },
  { name: 'snapshot save', synopsis: 'Saves snapshot of Consul server state', load: async () => (await import('./commands/snapshot/snapshot-save.ts')).snapshotSaveCommand },
  { name: 'validate', synopsis: 'Validate config files/directories', load: async () => (await import('./commands/validate.ts')).validateCommand },
  { name: 'version', synopsis: 'Prints the Consul version', load: async () => (await import('./commands/version.ts')).versionCommand },
  { name: 'watch', synopsis: 'Watch for changes in Consul', load: async () => (await import('./commands/watch.ts')).watchCommand },
];
