import { parseGoBool } from '../../go-flags.ts';
import { attempt, httpCommand } from '../../http-command.ts';
import { columnize } from '../../lib/columnize.ts';

/** `/v1/agent/members` entry (serf member). */
export interface AgentMember {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string> | null;
  Status: number;
}

const SEP = '\x1f';
/** serf.MemberStatus.String(). */
const STATUS = ['none', 'alive', 'leaving', 'left', 'failed'];
export const memberStatus = (s: number): string => STATUS[s] ?? 'unknown';

/** Go's net.TCPAddr.String(): IPv6 in brackets. */
const hostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
const isDefault = (p: string | undefined) => !p || p === 'default';

/** members.go ByMemberNamePartitionAndSegment: servers, default partition, segment, partition, name. */
function compare(a: AgentMember, b: AgentMember): number {
  const ta = a.Tags ?? {};
  const tb = b.Tags ?? {};
  const sa = ta.role === 'consul';
  const sb = tb.role === 'consul';
  if (sa !== sb) return sa ? -1 : 1;
  const da = isDefault(ta.ap);
  const db = isDefault(tb.ap);
  if (da !== db) return da ? -1 : 1;
  for (const k of ['segment', 'ap'] as const) {
    const x = ta[k] ?? '';
    const y = tb[k] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0;
}

/**
 * The members table: `Node Address Status Type Build Protocol DC Partition Segment`, or with
 * `detailed` `Node Address Status Tags` (sorted k=v). Tags are normalised first as Consul does:
 * partition `default`, segment `<all>` for servers and `<default>` for clients.
 */
export function formatMembers(input: readonly AgentMember[], detailed: boolean, statusRe: RegExp): string | null {
  const members = input
    .map((m) => {
      const tags = { ...(m.Tags ?? {}) };
      if (!tags.ap) tags.ap = 'default';
      if (isDefault(tags.ap)) {
        if (tags.role === 'consul') tags.segment = '<all>';
        else if (!tags.segment) tags.segment = '<default>';
      } else tags.segment = '';
      return { ...m, Tags: tags };
    })
    .filter((m) => statusRe.test(memberStatus(m.Status)));
  if (members.length === 0) return null;
  members.sort(compare);
  const rows = [detailed ? ['Node', 'Address', 'Status', 'Tags'].join(SEP) : ['Node', 'Address', 'Status', 'Type', 'Build', 'Protocol', 'DC', 'Partition', 'Segment'].join(SEP)];
  for (const m of members) {
    const t = m.Tags;
    const addr = hostPort(m.Addr, m.Port);
    const status = memberStatus(m.Status);
    if (detailed) {
      const tags = Object.keys(t)
        .sort()
        .map((k) => `${k}=${t[k]}`)
        .join(',');
      rows.push([m.Name, addr, status, tags].join(SEP));
      continue;
    }
    const build = t.build ? t.build.split(':')[0]! : '< 0.3';
    if (t.role === 'node' || t.role === 'consul') rows.push([m.Name, addr, status, t.role === 'node' ? 'client' : 'server', build, t.vsn ?? '', t.dc ?? '', t.ap ?? '', t.segment ?? ''].join(SEP));
    else rows.push([m.Name, addr, status, 'unknown', '', '', '', '', ''].join(SEP));
  }
  return columnize(rows, SEP);
}

/** `consul members [-detailed] [-wan] [-status=<regexp>] [-segment] [-filter]`; exit 2 when nothing matches. */
export const membersCommand = httpCommand({
  help: `
Usage: consul members [options]

  Outputs the members of a running Consul agent.
`,
  serverFlags: false,
  defaults: () => ({ detailed: false, wan: false, status: '.*', segment: '_all', filter: '' }),
  flags: (fs, o) =>
    fs
      .add({ name: 'detailed', bool: true, usage: 'Provides detailed information about nodes.', set: (v) => void (o.detailed = parseGoBool(v)) })
      .add({ name: 'wan', bool: true, usage: 'If the agent is in server mode, this can be used to return the other peers in the WAN pool.', set: (v) => void (o.wan = parseGoBool(v)) })
      .add({ name: 'status', defValue: '.*', usage: 'If provided, output is filtered to only nodes matching the regular expression for status.', set: (v) => void (o.status = v) })
      .add({ name: 'segment', defValue: '_all', usage: '(Enterprise-only) If provided, output is filtered to only nodes inthe given segment.', set: (v) => void (o.segment = v) })
      .add({ name: 'filter', usage: 'Filter to use with the request', set: (v) => void (o.filter = v) }),
  async run({ opts, io, client }) {
    let re: RegExp;
    try {
      re = new RegExp(opts.status);
    } catch (e) {
      io.stderr(`Failed to compile status regexp: ${(e as Error).message}\n`);
      return 1;
    }
    const r = await attempt(io, 'Error retrieving members', () =>
      client.getJson<AgentMember[]>('/v1/agent/members', { query: { segment: opts.segment, wan: opts.wan ? '1' : undefined, filter: opts.filter || undefined } }),
    );
    if (!r.ok) return 1;
    const out = formatMembers(r.value.value ?? [], opts.detailed, re);
    if (out === null) return 2;
    io.stdout(`${out}\n`);
    return 0;
  },
});
