import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAgentConfig } from './load.ts';
import type { RuntimeConfig } from './runtime-config.ts';

const root = mkdtempSync(join(tmpdir(), 'consul-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const options = { findPrivateIPv4: () => ['10.0.0.5'], hostname: () => 'host1' };
const data = join(root, 'data');
mkdirSync(data);

/** Writes files under a fresh directory and returns its path. */
function files(spec: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'cfg-'));
  for (const [name, text] of Object.entries(spec)) writeFileSync(join(dir, name), text);
  return dir;
}

function ok(argv: string[]): RuntimeConfig {
  const r = parseAgentConfig(argv, options);
  if (!r.ok) throw new Error(`expected success, got: ${r.stderr}`);
  return r.config;
}

function err(argv: string[]): string {
  const r = parseAgentConfig(argv, options);
  if (r.ok) throw new Error('expected a config error');
  expect(r.exitCode).toBe(1);
  return r.stderr;
}

describe('consul agent defaults (agent/config/default.go)', () => {
  it('applies Consul defaults for a client', () => {
    const c = ok(['-data-dir', data]);
    expect(c).toMatchObject({
      nodeName: 'host1',
      datacenter: 'dc1',
      primaryDatacenter: 'dc1',
      serverMode: false,
      bindAddr: '0.0.0.0',
      advertiseAddrLAN: '10.0.0.5',
      clientAddrs: ['127.0.0.1'],
      ports: { dns: 8600, http: 8500, https: -1, grpc: -1, grpcTls: -1, serfLan: 8301, serfWan: 8302, server: 8300 },
      leaveOnTerm: true,
      skipLeaveOnInt: false,
      raftMultiplier: 5,
      raftElectionTimeout: 5000,
      raftHeartbeatTimeout: 5000,
      raftLeaderLeaseTimeout: 2500,
      reconnectTimeoutLAN: 72 * 3_600_000,
      retryJoinIntervalLAN: 30_000,
      logging: { logLevel: 'info', logJSON: false },
      uiConfig: { enabled: false, contentPath: '/ui/' },
      aclsEnabled: false,
      acl: { defaultPolicy: 'allow', downPolicy: 'extend-cache', tokenTTL: 30_000 },
      dns: { domain: 'consul.', allowStale: true, udpAnswerLimit: 3, maxStale: 87600 * 3_600_000 },
      limits: { httpMaxConnsPerClient: 200, kvMaxValueSize: 524288 },
      aeInterval: 60_000,
      checkReapInterval: 30_000,
      defaultQueryTime: 300_000,
      maxQueryTime: 600_000,
      gossipLAN: { gossipNodes: 3, gossipInterval: 200, probeInterval: 1000, probeTimeout: 500, suspicionMult: 4, retransmitMult: 4 },
      gossipWAN: { gossipInterval: 500, probeInterval: 5000, probeTimeout: 3000, suspicionMult: 6 },
      httpAddrs: [{ host: '127.0.0.1', port: 8500 }],
      dnsAddrs: [{ host: '127.0.0.1', port: 8600 }],
      rpcAdvertiseAddr: { host: '10.0.0.5', port: 8300 },
      taggedAddresses: { lan: '10.0.0.5', lan_ipv4: '10.0.0.5', wan: '10.0.0.5', wan_ipv4: '10.0.0.5' },
    });
  });

  it('applies -dev defaults: in-memory server, 127.0.0.1, ui, debug, grpc 8502, fast raft', () => {
    const c = ok(['-dev']);
    expect(c).toMatchObject({
      devMode: true,
      dataDir: '',
      serverMode: true,
      bootstrap: false,
      selfBootstrap: true,
      bindAddr: '127.0.0.1',
      advertiseAddrLAN: '127.0.0.1',
      nodeName: 'host1',
      uiConfig: { enabled: true },
      logging: { logLevel: 'debug' },
      ports: { grpc: 8502, grpcTls: 8503 },
      raftMultiplier: 1,
      raftElectionTimeout: 52,
      raftHeartbeatTimeout: 35,
      raftLeaderLeaseTimeout: 20,
      connectEnabled: true,
      leaveOnTerm: false,
      skipLeaveOnInt: true,
      gossipLAN: { gossipInterval: 100, probeInterval: 100, probeTimeout: 100, suspicionMult: 3 },
    });
  });
});

describe('consul agent flags', () => {
  it.each<[string, string[], Partial<RuntimeConfig> | ((c: RuntimeConfig) => void)]>([
    ['the harness line', ['-node', 'node1', '-datacenter', 'dc1', '-bind', '127.0.0.1', '-client', '127.0.0.1', '-bootstrap', '-server', '-data-dir', data], {
      nodeName: 'node1', bindAddr: '127.0.0.1', advertiseAddrLAN: '127.0.0.1', serverMode: true, bootstrap: true, selfBootstrap: true,
    }],
    ['=value syntax and --', ['--node=n2', '-server=true', '-bootstrap-expect=3', '-bind=127.0.0.2', '-data-dir', data], { nodeName: 'n2', serverMode: true, bootstrapExpect: 3 }],
    ['-server=false', ['-server=false', '-bind', '127.0.0.1', '-data-dir', data], { serverMode: false }],
    ['-dc alias, lower-cased datacenter', ['-dc', 'EU1', '-bind', '127.0.0.1', '-data-dir', data], { datacenter: 'eu1', primaryDatacenter: 'eu1' }],
    ['repeatable joins', ['-retry-join', 'a', '-retry-join', 'b', '-join', 'c', '-bind', '127.0.0.1', '-data-dir', data], { retryJoinLAN: ['a', 'b', 'c'] }],
    ['ports', ['-http-port', '9500', '-dns-port', '-1', '-serf-lan-port', '9301', '-serf-wan-port', '-1', '-server-port', '9300', '-bind', '127.0.0.1', '-data-dir', data], (c) => {
      expect(c.ports).toMatchObject({ http: 9500, dns: -1, serfLan: 9301, serfWan: -1, server: 9300 });
      expect(c.dnsAddrs).toEqual([]);
      expect(c.serfBindAddrWAN).toBeUndefined();
    }],
    ['log flags', ['-log-level', 'TRACE', '-log-json', '-bind', '127.0.0.1', '-data-dir', data], { logging: { logLevel: 'trace', logJSON: true, logFile: '', enableSyslog: false } }],
    ['node meta and misc', ['-node-meta', 'rack:r1', '-node-meta', 'zone', '-rejoin', '-enable-script-checks', '-encrypt', 'pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=', '-pid-file', '/tmp/p', '-ui', '-bind', '127.0.0.1', '-data-dir', data], {
      nodeMeta: { rack: 'r1', zone: '' }, rejoinAfterLeave: true, enableScriptChecks: true, enableLocalScriptChecks: true, pidFile: '/tmp/p', uiConfig: { enabled: true, dir: '', contentPath: '/ui/' },
    }],
    ['retry timing', ['-retry-interval', '5s', '-retry-max', '3', '-retry-join-wan', 'w', '-join-wan', 'x', '-bind', '127.0.0.1', '-data-dir', data], { retryJoinIntervalLAN: 5000, retryJoinMaxAttemptsLAN: 3, retryJoinWAN: ['w', 'x'] }],
    ['bootstrap-expect 1 means bootstrap', ['-server', '-bootstrap-expect', '1', '-bind', '127.0.0.1', '-data-dir', data], { bootstrap: true, bootstrapExpect: 0 }],
  ])('%s', (_, argv, expected) => {
    const c = ok(argv);
    if (typeof expected === 'function') expected(c);
    else expect(c).toMatchObject(expected);
  });

  it.each<[string, string[], string | RegExp]>([
    ['unknown flag', ['-foo'], /^flag provided but not defined: -foo\nUsage:\n {2}-advertise value\n[\s\S]*==> error parsing flags: flag provided but not defined: -foo\n$/],
    ['missing value', ['-node'], /^flag needs an argument: -node\n/],
    ['bad int', ['-http-port', 'abc'], /invalid value "abc" for flag -http-port: strconv.Atoi: parsing "abc": invalid syntax/],
    ['bad duration', ['-retry-interval', '5'], /invalid value "5" for flag -retry-interval: time: missing unit in duration "5"/],
    ['extra arguments', ['-dev', 'extra'], '==> Unexpected extra arguments: [extra]\n'],
    ['no data dir', ['-bind', '127.0.0.1'], '==> data_dir cannot be empty\n'],
    ['bootstrap without server', ['-bootstrap', '-bind', '127.0.0.1', '-data-dir', data], "==> 'bootstrap = true' requires 'server = true'\n"],
    ['expect with bootstrap', ['-server', '-bootstrap', '-bootstrap-expect', '3', '-bind', '127.0.0.1', '-data-dir', data], "==> 'bootstrap_expect > 0' and 'bootstrap = true' are mutually exclusive\n"],
    ['expect without server', ['-bootstrap-expect', '3', '-bind', '127.0.0.1', '-data-dir', data], "==> 'bootstrap_expect > 0' requires 'server = true'\n"],
    ['expect in dev', ['-dev', '-bootstrap-expect', '3'], "==> 'bootstrap_expect > 0' not allowed in dev mode\n"],
    ['port conflict', ['-http-port', '8600', '-bind', '127.0.0.1', '-data-dir', data], '==> HTTP address 127.0.0.1:8600 already configured for DNS\n'],
    ['serf on rpc port', ['-serf-lan-port', '8300', '-bind', '127.0.0.1', '-data-dir', data], '==> Serf Advertise LAN address 127.0.0.1:8300 already configured for RPC Advertise\n'],
    ['server port 0', ['-server-port', '0', '-dev'], '==> server-port must be greater than zero\n'],
    ['bad port', ['-http-port', '70000', '-dev'], /ports.http: invalid port: 70000/],
    ['bad datacenter', ['-datacenter', 'dc 1', '-dev'], '==> datacenter can only contain lowercase alphanumeric, - or _ characters. received: "dc 1"\n'],
    ['bad encrypt key', ['-encrypt', 'not*base64', '-dev'], '==> encrypt has invalid key: illegal base64 data at input byte 3\n'],
    ['short encrypt key', ['-encrypt', 'aGVsbG8=', '-dev'], /encrypt has invalid key: key size must be 16, 24 or 32 bytes, got 5/],
    ['bad log level', ['-log-level', 'loud', '-dev'], '==> Invalid log level: loud. Valid log levels are: [TRACE DEBUG INFO WARN ERR ERROR]\n'],
    ['advertise any', ['-advertise', '0.0.0.0', '-dev'], '==> Advertise address cannot be 0.0.0.0, :: or [::]\n'],
    ['bad bind', ['-bind', 'nonsense', '-dev'], /bind_addr: error parsing "nonsense"/],
    ['bad node id', ['-node-id', 'xyz', '-dev'], /node_id: invalid node ID "xyz"/],
    ['raft protocol', ['-raft-protocol', '2', '-dev'], '==> raft_protocol version 2 is not supported by this version of Consul\n'],
    ['config-format', ['-config-format', 'yaml', '-dev'], "==> config: -config-format must be either 'hcl' or 'json'\n"],
    ['missing config file', ['-config-file', '/nonexistent/x.json', '-dev'], '==> config: Open failed on /nonexistent/x.json. open /nonexistent/x.json: no such file or directory\n'],
  ])('%s', (_, argv, expected) => {
    const out = err(argv);
    if (typeof expected === 'string') expect(out).toBe(expected);
    else expect(out).toMatch(expected);
  });

  it('-h prints usage without an error line', () => {
    const r = parseAgentConfig(['-h'], options);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.help).toBe(true);
      expect(r.stderr).toMatch(/^Usage:\n/);
      expect(r.stderr).toContain('  -server\n    \tSwitches agent to server mode.\n');
      expect(r.stderr).toContain('  -node-meta key:value\n');
    }
  });
});

describe('config files', () => {
  it('reads JSON and HCL, -config-dir in lexical order, later files and then flags override', () => {
    const dir = files({
      '01-base.json': JSON.stringify({ datacenter: 'dc2', node_name: 'from-json', ports: { http: 8501 }, retry_join: ['j1'], log_level: 'warn' }),
      '02-more.hcl': 'node_name = "from-hcl"\nretry_join = ["j2"]\nports { dns = 8601 }\nperformance { raft_multiplier = 2 }\n',
      'ignored.txt': 'not config',
      sub: '',
    });
    const c = ok(['-config-dir', dir, '-retry-join', 'flag', '-log-level', 'debug', '-bind', '127.0.0.1', '-data-dir', data]);
    expect(c).toMatchObject({
      datacenter: 'dc2',
      nodeName: 'from-hcl',
      ports: { http: 8501, dns: 8601 },
      retryJoinLAN: ['flag', 'j1', 'j2'],
      logging: { logLevel: 'debug' },
      raftMultiplier: 2,
      raftElectionTimeout: 2000,
    });
    expect(c.configFiles).toEqual([join(dir, '01-base.json'), join(dir, '02-more.hcl'), join(dir, 'sub')].slice(0, 2));
  });

  it('appends services and checks across files, accepting service/services and check/checks', () => {
    const dir = files({
      'a.json': JSON.stringify({
        service: { name: 'web', port: 80, tags: ['v1'], check: { http: 'http://localhost/health', interval: '10s' } },
        checks: [{ id: 'mem', name: 'Memory', args: ['/bin/check-mem'], interval: '30s' }],
      }),
      'b.hcl': `
        services = [{ name = "db", port = 5432, checks = [{ tcp = "localhost:5432", interval = "5s", timeout = "1s" }] }]
        service {
          name = "cache"
          Port = 6379
          meta { team = "core" }
        }
        check { id = "ttl", name = "TTL", ttl = "30s" }
      `,
    });
    const c = ok(['-config-dir', dir, '-enable-script-checks', '-bind', '127.0.0.1', '-data-dir', data]);
    expect(c.services.map((s) => s.name)).toEqual(['web', 'db', 'cache']);
    expect(c.services[0]).toMatchObject({ port: 80, tags: ['v1'], weights: { passing: 1, warning: 1 } });
    expect(c.services[0]!.checks[0]).toMatchObject({ http: 'http://localhost/health', interval: 10_000, outputMaxSize: 4096 });
    expect(c.services[1]!.checks[0]).toMatchObject({ tcp: 'localhost:5432', interval: 5000, timeout: 1000 });
    expect(c.services[2]).toMatchObject({ port: 6379, meta: { team: 'core' } });
    expect(c.checks.map((k) => k.id)).toEqual(['mem', 'ttl']);
    expect(c.checks[0]!.scriptArgs).toEqual(['/bin/check-mem']);
    expect(c.checks[1]!.ttl).toBe(30_000);
  });

  it('reads acl, addresses, dns_config, limits, tls and the other issue keys', () => {
    const dir = files({
      'c.hcl': `
        primary_datacenter = "dc1"
        acl { enabled = true default_policy = "deny" tokens { initial_management = "root" agent = "a" } }
        addresses { http = "127.0.0.1 127.0.0.2" }
        enable_script_checks = true
        recursors = ["8.8.8.8", "8.8.8.8", "1.1.1.1"]
        domain = "example."
        alt_domain = "alt."
        reconnect_timeout = "9h"
        dns_config { node_ttl = "10s" service_ttl { "*" = "5s" } only_passing = true soa { retry = 60 } }
        limits { http_max_conns_per_client = 50 }
        leave_on_terminate = false
        skip_leave_on_interrupt = true
        rejoin_after_leave = true
        ui_config { enabled = true content_path = "console" }
        log_json = true
        tls { defaults { tls_min_version = "tls13" } }
        bootstrap_expect = 3
        server = true
      `,
    });
    const c = ok(['-config-file', join(dir, 'c.hcl'), '-bind', '127.0.0.1', '-data-dir', data]);
    expect(c).toMatchObject({
      aclsEnabled: true,
      acl: { defaultPolicy: 'deny', tokens: { initialManagement: 'root', agent: 'a' } },
      httpAddrs: [{ host: '127.0.0.1', port: 8500 }, { host: '127.0.0.2', port: 8500 }],
      enableScriptChecks: true,
      dns: { domain: 'example.', altDomain: 'alt.', recursors: ['8.8.8.8', '1.1.1.1'], nodeTTL: 10_000, serviceTTL: { '*': 5000 }, onlyPassing: true, soa: { retry: 60, refresh: 3600 } },
      reconnectTimeoutLAN: 9 * 3_600_000,
      limits: { httpMaxConnsPerClient: 50 },
      leaveOnTerm: false,
      skipLeaveOnInt: true,
      rejoinAfterLeave: true,
      uiConfig: { enabled: true, contentPath: '/console/' },
      logging: { logJSON: true },
      tls: { https: { tlsMinVersion: 'TLSv1_3' }, internalRPC: { tlsMinVersion: 'TLSv1_3' } },
      bootstrapExpect: 3,
    });
  });

  it('accepts numbers and booleans given as strings (weak decoding) and -hcl fragments', () => {
    const dir = files({ 'w.json': JSON.stringify({ ports: { http: '8510' }, server: 'true', retry_join: 'single' }) });
    const c = ok(['-config-dir', dir, '-hcl', 'node_name = "frag"', '-bind', '127.0.0.1', '-data-dir', data]);
    expect(c).toMatchObject({ ports: { http: 8510 }, serverMode: true, retryJoinLAN: ['single'], nodeName: 'frag' });
  });

  it.each<[string, Record<string, string>, string | RegExp]>([
    ['unknown key', { 'x.json': '{"foo": 1, "ports": {"htp": 1}}' }, '==> failed to parse {F}: 2 errors occurred:\n\t* invalid config key foo\n\t* invalid config key ports.htp\n\n\n'],
    ['unknown service key', { 'x.hcl': 'service { name = "a" nme = "b" }' }, /invalid config key service.nme/],
    ['bad JSON', { 'x.json': '{"datacenter": ' }, /^==> failed to parse \{F\}: /],
    ['bad HCL', { 'x.hcl': 'datacenter = ' }, '==> failed to parse {F}: At 1:14: Unknown token: EOF\n'],
    ['wrong type', { 'x.json': '{"ports": {"http": "abc"}}' }, /failed to parse \{F\}: 1 error\(s\) decoding:\n\n\* cannot parse 'ports.http' as int: strconv.ParseInt: parsing "abc": invalid syntax/],
    ['bad duration in file', { 'x.hcl': 'retry_interval = "soon"' }, /retry_interval: invalid duration: "soon": time: invalid duration "soon"/],
    ['check without interval', { 'x.hcl': 'check { name = "h" http = "http://x" }' }, '==> check "h": Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks\n'],
    ['check with interval and ttl', { 'x.hcl': 'check { name = "h" ttl = "5s" interval = "5s" }' }, /Interval and TTL cannot both be specified/],
    ['service without name', { 'x.json': '{"service": {"port": 80}}' }, /service "": 1 error occurred:\n\t\* Missing service name/],
    ['raft multiplier', { 'x.hcl': 'performance { raft_multiplier = 11 }' }, '==> performance.raft_multiplier cannot be 11. Must be between 1 and 10\n'],
    ['reconnect too short', { 'x.hcl': 'reconnect_timeout = "1h"' }, /reconnect_timeout: duration '1h0m0s' cannot be less than: 8h0m0s/],
    ['alt domain', { 'x.hcl': 'alt_domain = "service.x."' }, '==> alt_domain cannot start with {service,connect,node,query,addr,dc1}\n'],
    ['tls verify without ca', { 'x.hcl': 'tls { defaults { verify_incoming = true } }' }, /verify_incoming set, and no CA certificate provided!/],
    ['tls version', { 'x.hcl': 'tls { defaults { tls_min_version = "ssl3" } }' }, /unsupported TLS version "ssl3"/],
    ['acl policy', { 'x.hcl': 'acl { default_policy = "maybe" }' }, /acl.default_policy must be "allow" or "deny"/],
    ['raft log store', { 'x.hcl': 'server = true\nraft_logstore { backend = "rocks" }' }, "==> raft_logstore.backend must be one of 'boltdb' or 'wal'\n"],
  ])('%s', (_, spec, expected) => {
    const dir = files(spec);
    const name = join(dir, Object.keys(spec)[0]!);
    const out = err(['-config-file', name, '-bind', '127.0.0.1', '-data-dir', data]);
    if (typeof expected === 'string') expect(out).toBe(expected.replaceAll('{F}', name));
    else expect(out).toMatch(new RegExp(expected.source.replaceAll('\\{F\\}', name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))));
  });

  it('refuses a file with an unknown extension', () => {
    const dir = files({ 'x.yaml': 'a: 1' });
    expect(err(['-config-file', join(dir, 'x.yaml'), '-dev'])).toBe(
      `==> file ${join(dir, 'x.yaml')} has unknown extension; must be .hcl or .json, or config format must be set\n`,
    );
  });
});

describe('the test-harness command lines from issue 6', () => {
  it('parses node1 (bootstrap server) and nodes 2 and 3 (clients) on 127.0.0.1-3 with the same ports', () => {
    const dir = files({ 'harness.json': JSON.stringify({ log_level: 'DEBUG', leave_on_terminate: true, ports: { grpc: -1 } }) });
    const line = (n: number, extra: string[]) => [
      '-node', `node${n}`, '-datacenter', 'dc1', '-bind', `127.0.0.${n}`, '-client', `127.0.0.${n}`, ...extra,
      '-config-file', join(dir, 'harness.json'), '-data-dir', join(root, `d${n}`), '-pid-file', join(root, `p${n}`),
    ];
    const n1 = ok(line(1, ['-bootstrap', '-server']));
    const n2 = ok(line(2, []));
    const n3 = ok(line(3, []));
    expect(n1).toMatchObject({ nodeName: 'node1', serverMode: true, bootstrap: true, selfBootstrap: true, leaveOnTerm: true, logging: { logLevel: 'debug' } });
    expect(n2).toMatchObject({ nodeName: 'node2', serverMode: false, bootstrap: false, pidFile: join(root, 'p2') });
    for (const [n, c] of [[1, n1], [2, n2], [3, n3]] as const) {
      expect(c.serfBindAddrLAN).toEqual({ host: `127.0.0.${n}`, port: 8301 });
      expect(c.rpcBindAddr).toEqual({ host: `127.0.0.${n}`, port: 8300 });
      expect(c.httpAddrs).toEqual([{ host: `127.0.0.${n}`, port: 8500 }]);
      expect(c.dnsAddrs).toEqual([{ host: `127.0.0.${n}`, port: 8600 }]);
    }
  });
});

describe('realistic configs', () => {
  it('accepts a typical production server HCL file', () => {
    const dir = files({
      'server.hcl': `
datacenter = "dc1"
data_dir   = "${data}"
log_level  = "INFO"
node_name  = "consul-server-1"
server     = true
bootstrap_expect = 3
bind_addr   = "127.0.0.1"
client_addr = "0.0.0.0"
encrypt = "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s="
retry_join = ["127.0.0.2", "127.0.0.3"]

ui_config {
  enabled = true
}

connect {
  enabled = true
}

ports {
  grpc = 8502
}

acl = {
  enabled                  = true
  default_policy           = "deny"
  enable_token_persistence = true
}

performance {
  raft_multiplier = 1
}

telemetry {
  prometheus_retention_time = "24h"
  disable_hostname          = true
}

watches = [
  {
    type       = "key"
    key        = "config/app"
    handler_type = "script"
    args       = ["/usr/local/bin/reload.sh"]
  }
]

limits {
  http_max_conns_per_client = 400
}
`,
    });
    const c = ok(['-config-dir', dir]);
    expect(c).toMatchObject({
      nodeName: 'consul-server-1',
      serverMode: true,
      bootstrapExpect: 3,
      clientAddrs: ['0.0.0.0'],
      retryJoinLAN: ['127.0.0.2', '127.0.0.3'],
      aclsEnabled: true,
      acl: { defaultPolicy: 'deny', enableTokenPersistence: true },
      raftElectionTimeout: 1000,
      ports: { grpc: 8502, grpcTls: 8503 },
      limits: { httpMaxConnsPerClient: 400 },
    });
    expect(c.watches).toEqual([{ type: 'key', key: 'config/app', handler_type: 'script', args: ['/usr/local/bin/reload.sh'] }]);
  });

  it('accepts CamelCase service definitions in JSON, as the agent API uses them', () => {
    const dir = files({
      'svc.json': JSON.stringify({
        data_dir: data,
        bind_addr: '127.0.0.1',
        Service: {
          Name: 'web',
          ID: 'web-1',
          Port: 8080,
          Tags: ['primary'],
          EnableTagOverride: true,
          Check: { CheckID: 'web-http', HTTP: 'http://127.0.0.1:8080/health', Interval: '10s', DeregisterCriticalServiceAfter: '90m' },
        },
      }),
    });
    const [s] = ok(['-config-dir', dir]).services;
    expect(s).toMatchObject({ name: 'web', id: 'web-1', port: 8080, tags: ['primary'], enableTagOverride: true });
    expect(s!.checks[0]).toMatchObject({ id: 'web-http', http: 'http://127.0.0.1:8080/health', interval: 10_000, deregisterCriticalServiceAfter: 90 * 60_000 });
  });
});

describe('agentHelp', () => {
  it('is Consul’s agent usage with every flag as -name=<value>', async () => {
    const { agentHelp } = await import('./agent-flags.ts');
    const h = agentHelp();
    expect(h.startsWith('Usage: consul agent [options]\n\n  Starts the Consul agent and runs until an interrupt is received. The\n  agent represents a single node in a cluster.\n\nCommand Options\n\n  -advertise=<value>\n     Sets the advertise address to use.\n\n')).toBe(true);
    expect(h).toContain('  -node-meta=<key:value>\n');
    expect(h).toContain('  -server\n     Switches agent to server mode.\n');
    expect(h).toContain('  -dev\n     Starts the agent in development mode.\n');
  });
});

describe('reload', () => {
  it('re-reads the same files with the same flags through loadConfig(flags)', async () => {
    const { loadConfig } = await import('./load.ts');
    const dir = files({ 'svc.hcl': 'service { name = "a" }' });
    const first = parseAgentConfig(['-config-dir', dir, '-bind', '127.0.0.1', '-data-dir', data, '-node', 'n'], options);
    if (!first.ok) throw new Error(first.stderr);
    expect(first.config.services.map((s) => s.name)).toEqual(['a']);
    writeFileSync(join(dir, 'svc.hcl'), 'service { name = "a" }\nservice { name = "b" }\n');
    const again = loadConfig(first.flags, options);
    expect(again.runtimeConfig.services.map((s) => s.name)).toEqual(['a', 'b']);
    expect(again.runtimeConfig.nodeName).toBe('n');
  });

  it('honours -config-format for files without a known extension', () => {
    const dir = files({ 'agent.conf': 'node_name = "from-conf"' });
    expect(ok(['-config-format', 'hcl', '-config-file', join(dir, 'agent.conf'), '-bind', '127.0.0.1', '-data-dir', data]).nodeName).toBe('from-conf');
  });
});

describe('repeated definition blocks in one HCL file', () => {
  it('keeps each service and check block as its own definition', () => {
    const dir = files({
      'x.hcl': `
        service {
          name = "web"
          check { id = "a" ttl = "10s" }
          check { id = "b" ttl = "20s" }
        }
        service { name = "api" }
        check { id = "n1" ttl = "5s" }
        check { id = "n2" ttl = "6s" }
      `,
    });
    const c = ok(['-config-dir', dir, '-bind', '127.0.0.1', '-data-dir', data]);
    expect(c.services.map((s) => s.name)).toEqual(['web', 'api']);
    expect(c.services[0]!.checks.map((k) => [k.id, k.ttl])).toEqual([['a', 10_000], ['b', 20_000]]);
    expect(c.checks.map((k) => k.id)).toEqual(['n1', 'n2']);
  });
});
