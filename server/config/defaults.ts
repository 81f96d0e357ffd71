import type { ConfigObject } from './decode.ts';

/**
 * Consul's built-in config sources (agent/config/default.go), as config objects merged like any
 * file: DefaultSource first, DevSource after it with -dev; NonUserSource, DefaultConsulSource and
 * (with -dev) DevConsulSource after every user source. Memberlist and Raft base values are
 * hashicorp/memberlist's DefaultLANConfig/DefaultWANConfig and hashicorp/raft's DefaultConfig as
 * Consul adjusts them (snapshot threshold 16384, interval 30s).
 */
export function defaultSource(): ConfigObject {
  return {
    acl_default_policy: 'allow',
    acl_down_policy: 'extend-cache',
    acl_ttl: '30s',
    acl: { policy_ttl: '30s' },
    bind_addr: '0.0.0.0',
    bootstrap: false,
    bootstrap_expect: 0,
    check_output_max_size: 4096,
    check_update_interval: '5m',
    client_addr: '127.0.0.1',
    datacenter: 'dc1',
    default_query_time: '300s',
    disable_coordinates: false,
    disable_host_node_id: true,
    disable_remote_exec: true,
    domain: 'consul.',
    enable_central_service_config: true,
    encrypt_verify_incoming: true,
    encrypt_verify_outgoing: true,
    log_level: 'INFO',
    max_query_time: '600s',
    primary_gateways_interval: '30s',
    protocol: 2,
    retry_interval: '30s',
    retry_interval_wan: '30s',
    server: false,
    syslog_facility: 'LOCAL0',
    tls_min_version: 'tls12',
    autopilot: {
      cleanup_dead_servers: true,
      last_contact_threshold: '200ms',
      max_trailing_logs: 250,
      server_stabilization_time: '10s',
    },
    gossip_lan: {
      gossip_interval: '200ms',
      gossip_nodes: 3,
      retransmit_mult: 4,
      probe_interval: '1s',
      probe_timeout: '500ms',
      suspicion_mult: 4,
    },
    gossip_wan: {
      gossip_interval: '500ms',
      gossip_nodes: 4,
      retransmit_mult: 4,
      probe_interval: '5s',
      probe_timeout: '3s',
      suspicion_mult: 6,
    },
    dns_config: {
      allow_stale: true,
      a_record_limit: 0,
      udp_answer_limit: 3,
      udp_workers: 0,
      max_stale: '87600h',
      recursor_timeout: '2s',
    },
    limits: {
      http_max_conns_per_client: 200,
      https_handshake_timeout: '5s',
      rpc_handshake_timeout: '5s',
      rpc_rate: -1,
      rpc_max_burst: 1000,
      rpc_max_conns_per_client: 100,
      kv_max_value_size: 512 * 1024,
      txn_max_req_len: 512 * 1024,
    },
    performance: { leave_drain_time: '5s', raft_multiplier: 5, rpc_hold_timeout: '7s' },
    ports: {
      dns: 8600,
      http: 8500,
      https: -1,
      grpc: -1,
      serf_lan: 8301,
      serf_wan: 8302,
      server: 8300,
      proxy_min_port: 20000,
      proxy_max_port: 20255,
      sidecar_min_port: 21000,
      sidecar_max_port: 21255,
      expose_min_port: 21500,
      expose_max_port: 21755,
    },
    raft_protocol: 3,
    raft_snapshot_threshold: 16384,
    raft_snapshot_interval: '30s',
    raft_trailing_logs: 10240,
  };
}

/** DevSource: what -dev changes before user sources. */
export function devSource(): ConfigObject {
  return {
    bind_addr: '127.0.0.1',
    disable_anonymous_signature: true,
    disable_keyring_file: true,
    enable_debug: true,
    ui_config: { enabled: true },
    log_level: 'DEBUG',
    server: true,
    gossip_lan: { gossip_interval: '100ms', probe_interval: '100ms', probe_timeout: '100ms', suspicion_mult: 3 },
    gossip_wan: { gossip_interval: '100ms', probe_interval: '100ms', probe_timeout: '100ms', suspicion_mult: 3 },
    connect: { enabled: true },
    performance: { raft_multiplier: 1 },
    ports: { grpc: 8502 },
  };
}

/** NonUserSource: values users do not normally set, merged after every user source. */
export function nonUserSource(): ConfigObject {
  return {
    acl: { disabled_ttl: '120s' },
    check_deregister_interval_min: '1m',
    check_reap_interval: '30s',
    ae_interval: '1m',
    sync_coordinate_rate_target: 64,
    sync_coordinate_interval_min: '15s',
    segment_limit: 64,
    segment_name_limit: 64,
  };
}

/** DefaultConsulSource: base raft timings (hashicorp/raft DefaultConfig) before raft_multiplier scales them. */
export function defaultConsulSource(): ConfigObject {
  return {
    consul: {
      coordinate: { update_batch_size: 128, update_max_batches: 5, update_period: '5s' },
      raft: { election_timeout: '1s', heartbeat_timeout: '1s', leader_lease_timeout: '500ms' },
      server: { health_interval: '2s' },
    },
  };
}

/** DevConsulSource: -dev's fast raft timers. */
export function devConsulSource(): ConfigObject {
  return {
    consul: {
      coordinate: { update_period: '100ms' },
      raft: { election_timeout: '52ms', heartbeat_timeout: '35ms', leader_lease_timeout: '20ms' },
      server: { health_interval: '10ms' },
    },
  };
}
