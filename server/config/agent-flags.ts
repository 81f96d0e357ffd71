import { type FlagDef, FlagSet, parseGoBool, parseGoInt } from '../cli/go-flags.ts';
import { commandUsage } from '../cli/usage.ts';
import type { ConfigObject, ConfigValue } from './decode.ts';
import { parseDuration } from './duration.ts';

/** What `consul agent`'s flags produce (Consul's LoadOpts). */
export interface AgentFlagValues {
  /** Flag values as a config source (snake_case keys, like a config file). */
  config: ConfigObject;
  configFiles: string[];
  configFormat: string;
  devMode: boolean;
  hcl: string[];
}

type Kind = 'string' | 'bool' | 'int' | 'duration' | 'list' | 'map';

/**
 * `consul agent`'s flags (agent/config/flags.go), each with the config key it sets. `-dc` is our
 * alias of `-datacenter` (named in the project's issue; Consul itself has only `-datacenter`).
 */
const AGENT_FLAGS: ReadonlyArray<[name: string, kind: Kind, key: string, usage: string]> = [
  ['advertise', 'string', 'advertise_addr', 'Sets the advertise address to use.'],
  ['advertise-wan', 'string', 'advertise_addr_wan', 'Sets address to advertise on WAN instead of -advertise address.'],
  ['allow-write-http-from', 'list', 'http_config.allow_write_http_from', 'Only allow write endpoint calls from given network. CIDR format, can be specified multiple times.'],
  ['alt-domain', 'string', 'alt_domain', 'Alternate domain to use for DNS interface.'],
  ['auto-reload-config', 'bool', 'auto_reload_config', 'Watches config files for changes and auto reloads the files when modified.'],
  ['bind', 'string', 'bind_addr', 'Sets the bind address for cluster communication.'],
  ['bootstrap', 'bool', 'bootstrap', 'Sets server to bootstrap mode.'],
  ['bootstrap-expect', 'int', 'bootstrap_expect', 'Sets server to expect bootstrap mode.'],
  ['check_output_max_size', 'int', 'check_output_max_size', 'Sets the maximum output size for checks on this agent'],
  ['client', 'string', 'client_addr', 'Sets the address to bind for client access. This includes RPC, DNS, HTTP, HTTPS and gRPC (if configured).'],
  ['data-dir', 'string', 'data_dir', 'Path to a data directory to store agent state.'],
  ['datacenter', 'string', 'datacenter', 'Datacenter of the agent.'],
  ['dc', 'string', 'datacenter', 'Alias of -datacenter.'],
  ['default-query-time', 'duration', 'default_query_time', "the amount of time a blocking query will wait before Consul will force a response. This value can be overridden by the 'wait' query parameter."],
  ['disable-host-node-id', 'bool', 'disable_host_node_id', 'Setting this to true will prevent Consul from using information from the host to generate a node ID, and will cause Consul to generate a random node ID instead.'],
  ['disable-keyring-file', 'bool', 'disable_keyring_file', 'Disables the backing up of the keyring to a file.'],
  ['dns-port', 'int', 'ports.dns', 'DNS port to use.'],
  ['domain', 'string', 'domain', 'Domain to use for DNS interface.'],
  ['enable-local-script-checks', 'bool', 'enable_local_script_checks', 'Enables health check scripts from configuration file.'],
  ['enable-script-checks', 'bool', 'enable_script_checks', 'Enables health check scripts.'],
  ['encrypt', 'string', 'encrypt', 'Provides the gossip encryption key.'],
  ['grpc-port', 'int', 'ports.grpc', 'Sets the gRPC API port to listen on.'],
  ['grpc-tls-port', 'int', 'ports.grpc_tls', 'Sets the gRPC-TLS API port to listen on.'],
  ['http-port', 'int', 'ports.http', 'Sets the HTTP API port to listen on.'],
  ['https-port', 'int', 'ports.https', 'Sets the HTTPS API port to listen on.'],
  ['join', 'list', 'start_join', 'Address of an agent to join at start time. Can be specified multiple times.'],
  ['join-wan', 'list', 'start_join_wan', 'Address of an agent to join -wan at start time. Can be specified multiple times.'],
  ['log-file', 'string', 'log_file', 'Path to the file the logs get written to'],
  ['log-json', 'bool', 'log_json', 'Output logs in JSON format.'],
  ['log-level', 'string', 'log_level', 'Log level of the agent.'],
  ['log-rotate-bytes', 'int', 'log_rotate_bytes', 'Maximum number of bytes that should be written to a log file'],
  ['log-rotate-duration', 'duration', 'log_rotate_duration', 'Time after which log rotation needs to be performed'],
  ['log-rotate-max-files', 'int', 'log_rotate_max_files', 'Maximum number of log file archives to keep'],
  ['max-query-time', 'duration', 'max_query_time', 'the maximum amount of time a blocking query can wait before Consul will force a response. Consul applies jitter to the wait time. The jittered time will be capped to MaxQueryTime.'],
  ['node', 'string', 'node_name', 'Name of this node. Must be unique in the cluster.'],
  ['node-id', 'string', 'node_id', 'A unique ID for this node across space and time. Defaults to a randomly-generated ID that persists in the data-dir.'],
  ['node-meta', 'map', 'node_meta', 'An arbitrary metadata key/value pair for this node, of the format `key:value`. Can be specified multiple times.'],
  ['non-voting-server', 'bool', 'read_replica', '(Enterprise-only) DEPRECATED: -read-replica should be used instead'],
  ['pid-file', 'string', 'pid_file', 'Path to file to store agent PID.'],
  ['primary-gateway', 'list', 'primary_gateways', 'Address of a mesh gateway in the primary datacenter to use to bootstrap WAN federation at start time with retries enabled. Can be specified multiple times.'],
  ['protocol', 'int', 'protocol', 'Sets the protocol version. Defaults to latest.'],
  ['raft-protocol', 'int', 'raft_protocol', 'Sets the Raft protocol version. Defaults to latest.'],
  ['read-replica', 'bool', 'read_replica', '(Enterprise-only) This flag is used to make the server not participate in the Raft quorum, and have it only receive the data replication stream. This can be used to add read scalability to a cluster in cases where a high volume of reads to servers are needed.'],
  ['recursor', 'list', 'recursors', 'Address of an upstream DNS server. Can be specified multiple times.'],
  ['rejoin', 'bool', 'rejoin_after_leave', 'Ignores a previous leave and attempts to rejoin the cluster.'],
  ['retry-interval', 'duration', 'retry_interval', 'Time to wait between join attempts.'],
  ['retry-interval-wan', 'duration', 'retry_interval_wan', 'Time to wait between join -wan attempts.'],
  ['retry-join', 'list', 'retry_join', 'Address of an agent to join at start time with retries enabled. Can be specified multiple times.'],
  ['retry-join-wan', 'list', 'retry_join_wan', 'Address of an agent to join -wan at start time with retries enabled. Can be specified multiple times.'],
  ['retry-max', 'int', 'retry_max', 'Maximum number of join attempts. Defaults to 0, which will retry indefinitely.'],
  ['retry-max-wan', 'int', 'retry_max_wan', 'Maximum number of join -wan attempts. Defaults to 0, which will retry indefinitely.'],
  ['segment', 'string', 'segment', '(Enterprise-only) Sets the network segment to join.'],
  ['serf-lan-allowed-cidrs', 'list', 'serf_lan_allowed_cidrs', 'Networks (eg: 192.168.1.0/24) allowed for Serf LAN. Can be specified multiple times.'],
  ['serf-lan-bind', 'string', 'serf_lan', 'Address to bind Serf LAN listeners to.'],
  ['serf-lan-port', 'int', 'ports.serf_lan', 'Sets the Serf LAN port to listen on.'],
  ['serf-wan-allowed-cidrs', 'list', 'serf_wan_allowed_cidrs', 'Networks (eg: 192.168.1.0/24) allowed for Serf WAN (other datacenters). Can be specified multiple times.'],
  ['serf-wan-bind', 'string', 'serf_wan', 'Address to bind Serf WAN listeners to.'],
  ['serf-wan-port', 'int', 'ports.serf_wan', 'Sets the Serf WAN port to listen on.'],
  ['server', 'bool', 'server', 'Switches agent to server mode.'],
  ['server-port', 'int', 'ports.server', 'Sets the server port to listen on.'],
  ['syslog', 'bool', 'enable_syslog', 'Enables logging to syslog.'],
  ['ui', 'bool', 'ui_config.enabled', 'Enables the built-in static web UI server.'],
  ['ui-content-path', 'string', 'ui_config.content_path', 'Sets the external UI path to a string. Defaults to: /ui/ '],
  ['ui-dir', 'string', 'ui_config.dir', 'Path to directory containing the web UI resources.'],
];

/** Builds the agent's FlagSet, writing into `out` as flags are parsed. */
export function agentFlagSet(out: AgentFlagValues): FlagSet {
  const fs = new FlagSet();
  for (const [name, kind, key, usage] of AGENT_FLAGS) fs.add(flagDef(name, kind, key, usage, out.config));
  fs.add({ name: 'config-dir', usage: "Path to a directory to read configuration files from. This will read every file ending in '.json' as configuration in this directory in alphabetical order. Can be specified multiple times.", set: (v) => void out.configFiles.push(v) });
  fs.add({ name: 'config-file', usage: 'Path to a file in JSON or HCL format with a matching file extension. Can be specified multiple times.', set: (v) => void out.configFiles.push(v) });
  fs.add({ name: 'config-format', usage: "Config files are in this format irrespective of their extension. Must be 'hcl' or 'json'", set: (v) => void (out.configFormat = v) });
  fs.add({ name: 'dev', usage: 'Starts the agent in development mode.', bool: true, set: (v) => void (out.devMode = parseGoBool(v)) });
  fs.add({ name: 'hcl', usage: 'hcl config fragment. Can be specified multiple times.', set: (v) => void out.hcl.push(v) });
  return fs;
}

/** Fresh, empty flag values. */
export function emptyAgentFlags(): AgentFlagValues {
  return { config: {}, configFiles: [], configFormat: '', devMode: false, hcl: [] };
}

function flagDef(name: string, kind: Kind, key: string, usage: string, config: ConfigObject): FlagDef {
  const put = (v: ConfigValue) => setPath(config, key, v);
  switch (kind) {
    case 'bool':
      return { name, usage, bool: true, set: (v) => put(parseGoBool(v)) };
    case 'int':
      return { name, usage, set: (v) => put(parseGoInt(v)) };
    case 'duration':
      return {
        name,
        usage,
        set: (v) => {
          parseDuration(v);
          put(v);
        },
      };
    case 'list':
      return { name, usage, set: (v) => put([...((getPath(config, key) as ConfigValue[] | undefined) ?? []), v]) };
    case 'map':
      return {
        name,
        usage,
        set: (v) => {
          const i = v.indexOf(':');
          const [k, val] = i < 0 ? [v, ''] : [v.slice(0, i), v.slice(i + 1)];
          put({ ...((getPath(config, key) as Record<string, string> | undefined) ?? {}), [k]: val });
        },
      };
    default:
      return { name, usage, set: (v) => put(v) };
  }
}

function setPath(obj: ConfigObject, path: string, value: ConfigValue): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[p] = {};
    cur = cur[p] as ConfigObject;
  }
  cur[parts.at(-1)!] = value;
}

function getPath(obj: ConfigObject, path: string): ConfigValue | undefined {
  let cur: ConfigValue | undefined = obj;
  for (const p of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

const AGENT_HELP = `
Usage: consul agent [options]

  Starts the Consul agent and runs until an interrupt is received. The
  agent represents a single node in a cluster.
`;

/** `consul agent -h` (command/agent's help: flags.Usage over the agent's flag set). */
export function agentHelp(): string {
  return commandUsage(AGENT_HELP, agentFlagSet(emptyAgentFlags()));
}
