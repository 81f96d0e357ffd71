import { errorText } from '../../api-client.ts';
import { parseGoBool } from '../../go-flags.ts';
import { httpCommand } from '../../http-command.ts';

interface Check {
  CheckID: string;
  ServiceID: string;
  Notes: string;
}

/**
 * `consul maint [-enable|-disable] [-reason R] [-service ID]` (command/maint): toggles node or service
 * maintenance; without -enable/-disable lists what is in maintenance on this agent.
 */
export const maintCommand = httpCommand({
  help: `
Usage: consul maint [options]

  Places a node or service into maintenance mode. During maintenance mode,
  the node or service will be excluded from all queries through the DNS
  or API interfaces, effectively taking it out of the pool of available
  nodes. This is done by registering an additional critical health check.

  When enabling maintenance mode for a node or service, you may optionally
  specify a reason string. This string will appear in the "Notes" field
  of the critical health check which is registered against the node or
  service. If no reason is provided, a default value will be used.

  Maintenance mode is persistent, and will be restored in the event of an
  agent restart. It is therefore required to disable maintenance mode on
  a given node or service before it will be placed back into the pool.

  By default, we operate on the node as a whole. By specifying the
  "-service" argument, this behavior can be changed to enable or disable
  only a specific service.

  If no arguments are given, the agent's maintenance status will be shown.
  This will return blank if nothing is currently under maintenance.
`,
  serverFlags: false,
  defaults: () => ({ enable: false, disable: false, reason: '', service: '' }),
  flags: (fs, o) =>
    fs
      .add({ name: 'enable', bool: true, usage: 'Enable maintenance mode.', set: (v) => void (o.enable = parseGoBool(v)) })
      .add({ name: 'disable', bool: true, usage: 'Disable maintenance mode.', set: (v) => void (o.disable = parseGoBool(v)) })
      .add({ name: 'reason', usage: 'Text describing the maintenance reason.', set: (v) => void (o.reason = v) })
      .add({ name: 'service', usage: 'Control maintenance mode for a specific service ID.', set: (v) => void (o.service = v) }),
  async run({ opts, io, client }) {
    const problem =
      opts.enable && opts.disable
        ? 'Only one of -enable or -disable may be provided'
        : !opts.enable && opts.reason
          ? 'Reason may only be provided with -enable'
          : !opts.enable && !opts.disable && opts.service
            ? 'Service requires either -enable or -disable'
            : '';
    if (problem) {
      io.stderr(`${problem}\n`);
      return 1;
    }
    let nodeName: string;
    try {
      const self = await client.getJson<{ Config?: { NodeName?: string } }>('/v1/agent/self', { noDatacenter: true });
      nodeName = self.value?.Config?.NodeName ?? '';
    } catch (e) {
      io.stderr(`Error querying Consul agent: ${errorText(e)}\n`);
      return 1;
    }
    if (!opts.enable && !opts.disable) {
      let checks: Record<string, Check>;
      try {
        checks = (await client.getJson<Record<string, Check>>('/v1/agent/checks', { noDatacenter: true })).value ?? {};
      } catch (e) {
        io.stderr(`Error getting checks: ${errorText(e)}\n`);
        return 1;
      }
      for (const c of Object.values(checks)) {
        if (c.CheckID === '_node_maintenance') io.stdout(`Node:\n  Name:   ${nodeName}\n  Reason: ${c.Notes}\n\n`);
        else if (c.CheckID.startsWith('_service_maintenance:')) io.stdout(`Service:\n  ID:     ${c.ServiceID}\n  Reason: ${c.Notes}\n\n`);
      }
      return 0;
    }
    const enable = opts.enable;
    const query = { enable: String(enable), reason: enable && opts.reason ? opts.reason : undefined };
    const path = opts.service ? `/v1/agent/service/maintenance/${encodeURIComponent(opts.service)}` : '/v1/agent/maintenance';
    try {
      await client.write('PUT', path, undefined, { query, noDatacenter: true });
    } catch (e) {
      io.stderr(`Error ${enable ? 'enabling' : 'disabling'} ${opts.service ? 'service' : 'node'} maintenance: ${errorText(e)}\n`);
      return 1;
    }
    const state = enable ? 'enabled' : 'disabled';
    io.stdout(opts.service ? `Service maintenance is now ${state} for "${opts.service}"\n` : `Node maintenance is now ${state}\n`);
    return 0;
  },
});
