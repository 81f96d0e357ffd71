import { describe, expect, it } from 'vitest';
import { parseAddress, parseJson } from '../api-client.ts';
import { formatMembers } from '../commands/agent/members.ts';
import { distance } from '../commands/agent/rtt.ts';
import { formatPeers } from '../commands/operator/raft-list-peers.ts';
import { formatAutopilotConfig } from '../commands/operator/autopilot-config.ts';
import { columnize, tabwrite } from './columnize.ts';
import { decodeStdBase64 } from './kv-pair.ts';
import { parseUint64 } from './uint64.ts';
import { eventIdToIndex } from './watch-plan.ts';

describe('output helpers', () => {
  it('columnize pads every column but the last with two spaces between', () => {
    expect(columnize(['a|bb|c', 'ddd|e|ffff'])).toBe('a    bb  c\nddd  e   ffff');
    expect(columnize(['x\x1fy', 'long\x1fz'], '\x1f')).toBe('x     y\nlong  z');
  });

  it('tabwrite pads cells to the widest plus the padding; the text after the last tab is free', () => {
    expect(tabwrite(['Key\tfoo', 'ModifyIndex\t12'], 6)).toBe('Key              foo\nModifyIndex      12');
  });
});

describe('members table', () => {
  const m = (Name: string, role: string, extra: Record<string, string> = {}, Status = 1) => ({
    Name,
    Addr: '10.0.0.1',
    Port: 8301,
    Status,
    Tags: { role, dc: 'dc1', vsn: '2', build: '1.17.0:abc', ...extra },
  });

  it('puts servers first, then clients by name, and maps roles to server/client/unknown', () => {
    const out = formatMembers([m('c2', 'node'), m('s1', 'consul'), m('c1', 'node', {}, 4), m('x', 'weird')], false, /.*/)!;
    expect(out.split('\n')).toEqual([
      'Node  Address        Status  Type     Build   Protocol  DC   Partition  Segment',
      's1    10.0.0.1:8301  alive   server   1.17.0  2         dc1  default    <all>',
      'c1    10.0.0.1:8301  failed  client   1.17.0  2         dc1  default    <default>',
      'c2    10.0.0.1:8301  alive   client   1.17.0  2         dc1  default    <default>',
      'x     10.0.0.1:8301  alive   unknown                                    ',
    ]);
  });

  it('filters by status regexp (null when nothing matches) and prints sorted tags with -detailed', () => {
    expect(formatMembers([m('a', 'node')], false, /^failed$/)).toBeNull();
    const d = formatMembers([{ ...m('a', 'node'), Addr: '::1', Tags: { role: 'node', dc: 'dc1' } }], true, /.*/)!;
    expect(d).toBe('Node  Address     Status  Tags\na     [::1]:8301  alive   ap=default,dc=dc1,role=node,segment=<default>');
  });

  it('prints "< 0.3" for a member without a build tag', () => {
    expect(formatMembers([{ Name: 'old', Addr: '1.2.3.4', Port: 1, Status: 1, Tags: { role: 'node' } }], false, /.*/)).toContain('< 0.3');
  });
});

describe('list-peers table', () => {
  const servers = [
    { ID: 'a', Node: 's1', Address: '10.0.0.1:8300', Leader: true, Voter: true, ProtocolVersion: '3' },
    { ID: 'b', Node: 's2', Address: '10.0.0.2:8300', Leader: false, Voter: true, ProtocolVersion: '3' },
    { ID: 'c', Node: 's3', Address: '10.0.0.3:8300', Leader: false, Voter: false, ProtocolVersion: '' },
  ];

  it('shows commit index and how far each follower trails (Commit/Commits), _ for the leader', () => {
    const out = formatPeers(servers, [
      { ID: 'a', LastIndex: 100 },
      { ID: 'b', LastIndex: 99 },
      { ID: 'c', LastIndex: 90 },
    ]);
    expect(out.split('\n')).toEqual([
      'Node  ID  Address        State     Voter  RaftProtocol  Commit Index  Trails Leader By',
      's1    a   10.0.0.1:8300  leader    true   3             100           _',
      's2    b   10.0.0.2:8300  follower  true   3             99            1 Commit',
      's3    c   10.0.0.3:8300  follower  false  <=1           90            10 Commits',
    ]);
  });

  it('prints _ and one column fewer for a server without health data', () => {
    expect(formatPeers(servers.slice(0, 1), []).split('\n')[1]).toBe('s1    a   10.0.0.1:8300  leader  true   3             _');
  });
});

describe('parsing', () => {
  it('parses CONSUL_HTTP_ADDR with or without a scheme, unix sockets and CONSUL_HTTP_SSL', () => {
    expect(parseAddress('127.0.0.1:8500')).toEqual({ scheme: 'http', address: '127.0.0.1:8500' });
    expect(parseAddress('http://10.0.0.1:8500/')).toEqual({ scheme: 'http', address: '10.0.0.1:8500' });
    expect(parseAddress('https://consul.example:8501')).toEqual({ scheme: 'https', address: 'consul.example:8501' });
    expect(parseAddress('unix:///var/run/consul.sock')).toEqual({ scheme: 'http', address: '/var/run/consul.sock', socketPath: '/var/run/consul.sock' });
    expect(parseAddress('127.0.0.1:8501', 'true')).toEqual({ scheme: 'https', address: '127.0.0.1:8501' });
  });

  it('keeps uint64 KV flags exact', () => {
    const [p] = parseJson<{ Flags: string; Key: string }[]>('[{"Key":"k","Flags":16210313421097356768}]');
    expect(BigInt(p!.Flags)).toBe(16210313421097356768n);
  });

  it('decodes base64 strictly as Go does', () => {
    expect(decodeStdBase64('aGk=')).toEqual(Buffer.from('hi'));
    expect(decodeStdBase64('')).toEqual(Buffer.alloc(0));
    expect(() => decodeStdBase64('a!==')).toThrow('illegal base64 data at input byte 1');
    expect(() => decodeStdBase64('aGk')).toThrow(/illegal base64 data/);
  });

  it('parses uint64 flag values like strconv.ParseUint(s, 0, 64)', () => {
    expect(parseUint64('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseUint64('0x2ddccbc058a50c18')).toBe(3304740253564472344n);
    expect(parseUint64('010')).toBe(8n);
    expect(() => parseUint64('18446744073709551616')).toThrow('value out of range');
    expect(() => parseUint64('-1')).toThrow('parse error');
  });

  it('maps an event ID to its watch index (XOR of the two halves)', () => {
    expect(eventIdToIndex('00000000-0000-0001-0000-000000000003')).toBe(2);
    expect(eventIdToIndex('bad')).toBe(0);
  });
});

describe('rtt and autopilot', () => {
  it('estimates RTT as vector distance plus heights, adjusted when positive', () => {
    const a = { Vec: [0.001, 0], Error: 0, Adjustment: 0, Height: 0.0001 };
    const b = { Vec: [0, 0], Error: 0, Adjustment: 0, Height: 0.0001 };
    expect(distance(a, b)).toBeCloseTo(0.0012, 10);
    expect(distance({ ...a, Adjustment: -0.01 }, b)).toBeCloseTo(0.0012, 10);
    expect(distance({ ...a, Adjustment: 0.0005 }, b)).toBeCloseTo(0.0017, 10);
  });

  it('formats autopilot configuration with Go durations and quoted strings', () => {
    expect(formatAutopilotConfig({ CleanupDeadServers: true, LastContactThreshold: '200ms', MaxTrailingLogs: 250, ServerStabilizationTime: 10_000_000_000, RedundancyZoneTag: 'az' })).toBe(
      'CleanupDeadServers = true\nLastContactThreshold = 200ms\nMaxTrailingLogs = 250\nMinQuorum = 0\nServerStabilizationTime = 10s\nRedundancyZoneTag = "az"\nDisableUpgradeMigration = false\nUpgradeVersionTag = ""',
    );
  });
});

describe('autopilot state', () => {
  it('prints Consul’s pretty layout: voters, then servers sorted by ID with quoted meta', async () => {
    const { formatAutopilotState } = await import('../commands/operator/autopilot-state.ts');
    const srv = (ID: string, Name: string, Status: string, LastContact: string, LastIndex: number, Meta: Record<string, string>) => ({
      ID,
      Name,
      Address: `198.18.0.${Name.slice(-1)}:8300`,
      Version: '1.9.0',
      Status,
      NodeType: 'voter',
      NodeStatus: 'alive',
      Healthy: true,
      LastContact,
      LastTerm: 3,
      LastIndex,
      Meta,
    });
    const out = formatAutopilotState({
      Healthy: true,
      FailureTolerance: 1,
      OptimisticFailureTolerance: 0,
      Leader: 'id-1',
      Voters: ['id-1', 'id-2'],
      Servers: { 'id-2': srv('id-2', 'node2', 'voter', '1ms', 41, {}), 'id-1': srv('id-1', 'node1', 'leader', '0s', 42, { foo: 'bar' }) },
    });
    expect(out).toBe(
      'Healthy:                      true\nFailure Tolerance:            1\nOptimistic Failure Tolerance: 0\nLeader:                       id-1\nVoters:\n   id-1\n   id-2\nServers:\n' +
        '   id-1\n      Name:            node1\n      Address:         198.18.0.1:8300\n      Version:         1.9.0\n      Status:          leader\n      Node Type:       voter\n      Node Status:     alive\n      Healthy:         true\n      Last Contact:    0s\n      Last Term:       3\n      Last Index:      42\n      Meta\n         "foo": "bar"\n' +
        '   id-2\n      Name:            node2\n      Address:         198.18.0.2:8300\n      Version:         1.9.0\n      Status:          voter\n      Node Type:       voter\n      Node Status:     alive\n      Healthy:         true\n      Last Contact:    1ms\n      Last Term:       3\n      Last Index:      41\n',
    );
  });
});

describe('keyring list', () => {
  it('prints WAN and LAN pools with [holders/nodes] per key', async () => {
    const { formatKeyring } = await import('../commands/agent/keyring.ts');
    expect(
      formatKeyring([
        { WAN: true, Datacenter: 'dc1', Keys: { 'pZIR4DmsOeBL9w==': 3 }, NumNodes: 3 },
        { WAN: false, Datacenter: 'dc1', Keys: { 'b==': 4, 'a==': 5 }, NumNodes: 5 },
      ]),
    ).toBe('\nWAN:\n  pZIR4DmsOeBL9w== [3/3]\n\ndc1 (LAN):\n  a== [5/5]\n  b== [4/5]\n');
  });
});
