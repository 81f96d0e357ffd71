import { durationFromJson, formatGoDuration, parseGoDuration } from '../../../../core/lib/duration.ts';
import { errorText } from '../../api-client.ts';
import { parseGoBool, parseGoInt } from '../../go-flags.ts';
import { attempt, httpCommand } from '../../http-command.ts';

interface AutopilotConfiguration {
  CleanupDeadServers?: boolean;
  LastContactThreshold?: string | number;
  MaxTrailingLogs?: number;
  MinQuorum?: number;
  ServerStabilizationTime?: string | number;
  RedundancyZoneTag?: string;
  DisableUpgradeMigration?: boolean;
  UpgradeVersionTag?: string;
  ModifyIndex?: number;
}

const dur = (v: string | number | undefined): string => formatGoDuration(v === undefined ? 0 : durationFromJson(v));

/** get-config's `Name = value` lines (strings %q-quoted, durations Go-formatted). */
export function formatAutopilotConfig(c: AutopilotConfiguration): string {
  return [
    `CleanupDeadServers = ${c.CleanupDeadServers ?? false}`,
    `LastContactThreshold = ${dur(c.LastContactThreshold)}`,
    `MaxTrailingLogs = ${c.MaxTrailingLogs ?? 0}`,
    `MinQuorum = ${c.MinQuorum ?? 0}`,
    `ServerStabilizationTime = ${dur(c.ServerStabilizationTime)}`,
    `RedundancyZoneTag = ${JSON.stringify(c.RedundancyZoneTag ?? '')}`,
    `DisableUpgradeMigration = ${c.DisableUpgradeMigration ?? false}`,
    `UpgradeVersionTag = ${JSON.stringify(c.UpgradeVersionTag ?? '')}`,
  ].join('\n');
}

/** `consul operator autopilot get-config`. */
export const autopilotGetConfigCommand = httpCommand({
  help: `
Usage: consul operator autopilot get-config [options]

  Displays the current Autopilot configuration.
`,
  defaults: () => ({}),
  async run({ io, client }) {
    const r = await attempt(io, 'Error querying Autopilot configuration', () => client.getJson<AutopilotConfiguration>('/v1/operator/autopilot/configuration'));
    if (!r.ok) return 1;
    io.stdout(`${formatAutopilotConfig(r.value.value ?? {})}\n`);
    return 0;
  },
});

type Patch = Partial<Record<keyof AutopilotConfiguration, unknown>>;

const uint = (v: string): number => {
  const n = parseGoInt(v);
  if (n < 0) throw new Error('invalid syntax');
  return n;
};

/**
 * `consul operator autopilot set-config [-cleanup-dead-servers=bool] [-max-trailing-logs=N] ...`:
 * reads the configuration, merges the given flags and writes it back with `?cas=<ModifyIndex>`,
 * printing `Configuration updated!` or the CAS-miss text with exit 1.
 */
export const autopilotSetConfigCommand = httpCommand({
  help: `
Usage: consul operator autopilot set-config [options]

  Modifies the current Autopilot configuration.
`,
  defaults: (): Patch => ({}),
  flags: (fs, o) =>
    fs
      .add({ name: 'cleanup-dead-servers', usage: 'Controls whether Consul will automatically remove dead servers when new ones are successfully added. Must be one of `true|false`.', set: (v) => void (o.CleanupDeadServers = parseGoBool(v)) })
      .add({ name: 'max-trailing-logs', usage: 'Controls the maximum number of log entries that a server can trail the leader by before being considered unhealthy.', set: (v) => void (o.MaxTrailingLogs = uint(v)) })
      .add({ name: 'min-quorum', usage: 'Sets the minimum number of servers required in a cluster before autopilot is allowed to prune dead servers.', set: (v) => void (o.MinQuorum = uint(v)) })
      .add({
        name: 'last-contact-threshold',
        usage: 'Controls the maximum amount of time a server can go without contact from the leader before being considered unhealthy. Must be a duration value such as `200ms`.',
        set: (v) => void (o.LastContactThreshold = formatGoDuration(parseGoDuration(v))),
      })
      .add({
        name: 'server-stabilization-time',
        usage:
          "Controls the minimum amount of time a server must be stable in the 'healthy' state before being added to the cluster. Only takes effect if all servers are running Raft protocol version 3 or higher. Must be a duration value such as `10s`.",
        set: (v) => void (o.ServerStabilizationTime = formatGoDuration(parseGoDuration(v))),
      })
      .add({ name: 'redundancy-zone-tag', usage: '(Enterprise-only) Controls the node_meta tag name used for separating servers into different redundancy zones.', set: (v) => void (o.RedundancyZoneTag = v) })
      .add({ name: 'disable-upgrade-migration', usage: '(Enterprise-only) Controls whether Consul will avoid promoting new servers until it can perform a migration. Must be one of `true|false`.', set: (v) => void (o.DisableUpgradeMigration = parseGoBool(v)) })
      .add({ name: 'upgrade-version-tag', usage: '(Enterprise-only) The node_meta tag to use for version info when performing upgrade migrations. If left blank, the Consul version will be used.', set: (v) => void (o.UpgradeVersionTag = v) }),
  async run({ opts, io, client }) {
    const cur = await attempt(io, 'Error querying Autopilot configuration', () => client.getJson<AutopilotConfiguration>('/v1/operator/autopilot/configuration'));
    if (!cur.ok) return 1;
    const conf = { ...(cur.value.value ?? {}), ...opts };
    let ok: boolean;
    try {
      ok = (await client.write<boolean>('PUT', '/v1/operator/autopilot/configuration', conf, { query: { cas: Number(conf.ModifyIndex ?? 0) } })) === true;
    } catch (e) {
      io.stderr(`Error setting Autopilot configuration: ${errorText(e)}\n`);
      return 1;
    }
    io.stdout(ok ? 'Configuration updated!\n' : 'Configuration could not be atomically updated, please try again\n');
    return ok ? 0 : 1;
  },
});
