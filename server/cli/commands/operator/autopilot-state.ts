import { durationFromJson, formatGoDuration } from '../../../../core/lib/duration.ts';
import { attempt, httpCommand } from '../../http-command.ts';

interface AutopilotServer {
  ID: string;
  Name: string;
  Address: string;
  Version: string;
  Status: string;
  NodeType?: string;
  NodeStatus: string;
  Healthy: boolean;
  LastContact?: string | number;
  LastTerm: number;
  LastIndex: number;
  RedundancyZone?: string;
  UpgradeVersion?: string;
  ReadReplica?: boolean;
  Meta?: Record<string, string> | null;
}

interface AutopilotZone {
  FailureTolerance: number;
  Voters?: string[];
  Servers?: string[];
}

export interface AutopilotState {
  Healthy: boolean;
  FailureTolerance: number;
  OptimisticFailureTolerance?: number;
  Leader: string;
  Voters?: string[];
  ReadReplicas?: string[] | null;
  RedundancyZones?: Record<string, AutopilotZone> | null;
  Upgrade?: Record<string, unknown> | null;
  Servers?: Record<string, AutopilotServer>;
}

const byKey = <T>(m: Record<string, T>) => Object.keys(m).sort().map((k) => [k, m[k]!] as const);
const list = (indent: string, values: readonly string[] | null | undefined) => (values ?? []).map((v) => `${indent}${v}\n`).join('');

function formatServer(s: AutopilotServer): string {
  let out = `   ${s.ID}\n`;
  out += `      Name:            ${s.Name}\n      Address:         ${s.Address}\n      Version:         ${s.Version}\n      Status:          ${s.Status}\n`;
  out += `      Node Type:       ${s.NodeType ?? ''}\n      Node Status:     ${s.NodeStatus}\n      Healthy:         ${s.Healthy}\n`;
  out += `      Last Contact:    ${formatGoDuration(s.LastContact === undefined ? 0 : durationFromJson(s.LastContact))}\n`;
  out += `      Last Term:       ${s.LastTerm}\n      Last Index:      ${s.LastIndex}\n`;
  if (s.RedundancyZone) out += `      Redundancy Zone: ${s.RedundancyZone}\n`;
  if (s.UpgradeVersion) out += `      Upgrade Version: ${s.UpgradeVersion}\n`;
  if (s.ReadReplica) out += `      Read Replica:    true\n`;
  if (s.Meta && Object.keys(s.Meta).length > 0) out += `      Meta\n${byKey(s.Meta).map(([k, v]) => `         ${JSON.stringify(k)}: ${JSON.stringify(v)}\n`).join('')}`;
  return out;
}

const UPGRADE_LISTS: Array<[string, string]> = [
  ['TargetVersionVoters', 'Target Version Voters'],
  ['TargetVersionNonVoters', 'Target Version Non-Voters'],
  ['TargetVersionReadReplicas', 'Target Version ReadReplicas'],
  ['OtherVersionVoters', 'Other Version Voters'],
  ['OtherVersionNonVoters', 'Other Version Non-Voters'],
  ['OtherVersionReadReplicas', 'Other Version ReadReplicas'],
];

/** The pretty formatter of command/operator/autopilot/state: health, voters, zones, upgrade, servers by ID. */
export function formatAutopilotState(st: AutopilotState): string {
  let out = `Healthy:                      ${st.Healthy}\nFailure Tolerance:            ${st.FailureTolerance}\nOptimistic Failure Tolerance: ${st.OptimisticFailureTolerance ?? 0}\nLeader:                       ${st.Leader}\nVoters:\n${list('   ', st.Voters)}`;
  if (st.ReadReplicas?.length) out += `Read Replicas:\n${list('   ', st.ReadReplicas)}`;
  const zones = st.RedundancyZones ?? {};
  if (Object.keys(zones).length > 0) {
    out += 'Redundancy Zones:\n';
    for (const [name, z] of byKey(zones)) out += `   ${name}:\n      Failure Tolerance: ${z.FailureTolerance}\n      Voters:\n${list('         ', z.Voters)}      Servers:\n${list('         ', z.Servers)}`;
  }
  if (st.Upgrade) {
    const u = st.Upgrade as Record<string, unknown>;
    out += `Upgrade:\n   Status:         ${String(u.Status ?? '')}\n   Target Version: ${String(u.TargetVersion ?? '')}\n`;
    for (const [key, title] of UPGRADE_LISTS) {
      const v = u[key] as string[] | undefined;
      if (v?.length) out += `   ${title}:\n${list('      ', v)}`;
    }
  }
  out += 'Servers:\n';
  for (const [, s] of byKey(st.Servers ?? {})) out += formatServer(s);
  return out;
}

/** `consul operator autopilot state [-format pretty|json]`. */
export const autopilotStateCommand = httpCommand({
  help: `
Usage: consul operator autopilot state [options]

  Displays the current Autopilot state.
`,
  defaults: () => ({ format: 'pretty' }),
  flags: (fs, o) => fs.add({ name: 'format', defValue: 'pretty', usage: 'Output format {pretty|json}', set: (v) => void (o.format = v) }),
  async run({ opts, io, client }) {
    if (opts.format !== 'pretty' && opts.format !== 'json') {
      io.stderr(`Error: Unknown format: ${opts.format}\n`);
      return 1;
    }
    const r = await attempt(io, 'Error querying Autopilot state', () => client.getJson<AutopilotState>('/v1/operator/autopilot/state'));
    if (!r.ok) return 1;
    const st = r.value.value ?? ({ Healthy: false, FailureTolerance: 0, Leader: '' } as AutopilotState);
    io.stdout(opts.format === 'json' ? `${JSON.stringify(st, null, 4)}\n` : formatAutopilotState(st));
    return 0;
  },
});
