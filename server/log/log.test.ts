import { describe, expect, it } from 'vitest';
import { parseAgentConfig } from '../config/load.ts';
import { HclogLogger } from './hclog-logger.ts';
import { startupBanner } from './startup-banner.ts';

const at = new Date('2026-11-21T05:30:00.123Z');

function capture(level: 'trace' | 'info' | 'debug', json = false) {
  const lines: string[] = [];
  const root = new HclogLogger({ level, json, write: (l) => lines.push(l), now: () => at });
  return { root, lines };
}

describe('HclogLogger', () => {
  it('prints hclog text lines with padded levels, dotted names and key=value fields', () => {
    const { root, lines } = capture('trace');
    const raft = root.named('agent').named('server').named('raft');
    raft.log('info', 'entering follower state', { follower: 'Node at 127.0.0.1:8300 [Follower]', 'leader-address': '', 'leader-id': '' });
    raft.log('debug', 'votes', { needed: 2, ok: true, list: ['a', 'b'] });
    root.named('agent').log('warn', 'bootstrap = true: do not enable unless necessary');
    root.named('agent').log('error', 'failed', { error: new Error('boom "x"') });
    root.named('agent').log('trace', 'multi', { output: 'line1\nline2' });
    expect(lines).toEqual([
      '2026-11-21T05:30:00.123Z [INFO]  agent.server.raft: entering follower state: follower="Node at 127.0.0.1:8300 [Follower]" leader-address= leader-id=\n',
      '2026-11-21T05:30:00.123Z [DEBUG] agent.server.raft: votes: needed=2 ok=true list="[a b]"\n',
      '2026-11-21T05:30:00.123Z [WARN]  agent: bootstrap = true: do not enable unless necessary\n',
      '2026-11-21T05:30:00.123Z [ERROR] agent: failed: error="boom \\"x\\""\n',
      '2026-11-21T05:30:00.123Z [TRACE] agent: multi:\n  output=\n  | line1\n  | line2\n',
    ]);
  });

  it('filters by level, and setLevel reaches named children', () => {
    const { root, lines } = capture('info');
    const child = root.named('agent');
    child.log('debug', 'hidden');
    root.setLevel('debug');
    child.log('debug', 'shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[DEBUG] agent: shown');
  });

  it('prints JSON lines with sorted keys', () => {
    const { root, lines } = capture('info', true);
    root.named('agent.server.raft').log('info', 'entering follower state', { leader: '', term: 3 });
    expect(lines[0]).toBe(
      '{"@level":"info","@message":"entering follower state","@module":"agent.server.raft","@timestamp":"2026-11-21T05:30:00.123000Z","leader":"","term":3}\n',
    );
  });

  it('never throws, even when the writer does', () => {
    const bad = new HclogLogger({ level: 'info', write: () => { throw new Error('EPIPE'); } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => bad.log('info', 'x', { cyclic })).not.toThrow();
  });
});

describe('startupBanner', () => {
  it('renders Consul 1.17 start-up block from the RuntimeConfig', () => {
    const r = parseAgentConfig(['-dev', '-node', 'dev01'], { hostname: () => 'h', findPrivateIPv4: () => [] });
    if (!r.ok) throw new Error(r.stderr);
    expect(startupBanner(r.config, 'be6f6b8d-9668-f7ff-8709-ed57c72ffdec')).toBe(
      [
        '==> Starting Consul agent...',
        "               Version: '1.17.0'",
        "            Build Date: '1970-01-01 00:00:01 +0000 UTC'",
        "               Node ID: 'be6f6b8d-9668-f7ff-8709-ed57c72ffdec'",
        "             Node name: 'dev01'",
        "            Datacenter: 'dc1' (Segment: '<all>')",
        '                Server: true (Bootstrap: false)',
        '           Client Addr: [127.0.0.1] (HTTP: 8500, HTTPS: -1, gRPC: 8502, gRPC-TLS: 8503, DNS: 8600)',
        '          Cluster Addr: 127.0.0.1 (LAN: 8301, WAN: 8302)',
        '     Gossip Encryption: false',
        '      Auto-Encrypt-TLS: false',
        '           ACL Enabled: false',
        '     Reporting Enabled: false',
        '    ACL Default Policy: allow',
        '             HTTPS TLS: Verify Incoming: false, Verify Outgoing: false, Min Version: TLSv1_2',
        '              gRPC TLS: Verify Incoming: false, Min Version: TLSv1_2',
        '      Internal RPC TLS: Verify Incoming: false, Verify Outgoing: false (Verify Hostname: false), Min Version: TLSv1_2',
        '',
        '==> Log data will now stream in as it occurs:',
        '',
        '',
      ].join('\n'),
    );
  });

  it('is empty with -log-json, as Consul hides it', () => {
    const r = parseAgentConfig(['-dev', '-log-json'], { hostname: () => 'h', findPrivateIPv4: () => [] });
    if (!r.ok) throw new Error(r.stderr);
    expect(startupBanner(r.config, 'x')).toBe('');
  });
});

describe('createAgentLogger', () => {
  it('names the root `agent`, honours -log-level and prints config warnings as WARN lines', async () => {
    const { createAgentLogger, logConfigWarnings } = await import('./agent-logger.ts');
    const r = parseAgentConfig(['-dev', '-log-level', 'warn'], { hostname: () => 'h', findPrivateIPv4: () => [] });
    if (!r.ok) throw new Error(r.stderr);
    const lines: string[] = [];
    const logger = createAgentLogger(r.config, (l) => lines.push(l));
    logger.named('server').named('raft').log('info', 'hidden at warn');
    logConfigWarnings(logger, ['bootstrap = true: do not enable unless necessary']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[WARN\]  agent: bootstrap = true: do not enable unless necessary\n$/);
  });
});

describe('GatedWriter', () => {
  it('holds lines until flush, then writes them in order and passes later lines through', async () => {
    const { GatedWriter } = await import('./gated-writer.ts');
    const out: string[] = [];
    const gate = new GatedWriter((l) => out.push(l));
    gate.write('a\n');
    gate.write('b\n');
    expect(out).toEqual([]);
    out.push('banner\n');
    gate.flush();
    gate.write('c\n');
    expect(out).toEqual(['banner\n', 'a\n', 'b\n', 'c\n']);
  });
});
