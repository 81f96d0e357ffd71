import { errorText } from '../../api-client.ts';
import { parseGoInt } from '../../go-flags.ts';
import { httpCommand } from '../../http-command.ts';
import { setMapFlag } from '../../lib/flag-map.ts';
import { servicesFromFiles } from '../../lib/service-files.ts';

/**
 * `consul services register [-name -id -tag -address -port -meta] | FILE...` (command/services/register):
 * registers each definition with the local agent, printing `Registered service: <name>`. All files
 * are parsed before the first registration.
 */
export const servicesRegisterCommand = httpCommand({
  help: `
Usage: consul services register [options] [FILE...]

  Register one or more services using the local agent API. Services can
  be registered from standard Consul configuration files (HCL or JSON) or
  using flags. The service is registered and the command returns. The caller
  must remember to call "consul services deregister" or a similar API to
  deregister the service when complete.

      $ consul services register web.json

  Additional flags and more advanced use cases are detailed below.
`,
  serverFlags: false,
  defaults: () => ({ name: '', id: '', tags: [] as string[], address: '', port: 0, meta: new Map<string, string>(), taggedAddresses: new Map<string, string>() }),
  flags: (fs, o) =>
    fs
      .add({ name: 'id', usage: 'ID of the service to register for arg-based registration. If this isn\'t set, it will default to the -name value.', set: (v) => void (o.id = v) })
      .add({ name: 'name', usage: 'Name of the service to register for arg-based registration.', set: (v) => void (o.name = v) })
      .add({ name: 'address', usage: 'Address of the service to register for arg-based registration.', set: (v) => void (o.address = v) })
      .add({ name: 'port', usage: 'Port of the service to register for arg-based registration.', set: (v) => void (o.port = parseGoInt(v)) })
      .add({ name: 'tag', usage: 'Tag to add to the service. This flag can be specified multiple times to set multiple tags.', set: (v) => void o.tags.push(v) })
      .add({ name: 'meta', usage: 'Metadata to set on the service, formatted as key=value. This flag may be specified multiple times to set multiple meta fields.', set: (v) => setMapFlag(o.meta, v) })
      .add({ name: 'tagged-address', usage: 'Tagged address to set on the service, formatted as key=value. This flag may be specified multiple times to set multiple addresses.', set: (v) => setMapFlag(o.taggedAddresses, v) }),
  async run({ args, opts, io, client }) {
    if (args.length === 0 && !opts.name) {
      io.stderr('Service registration requires at least one argument or flags.\n');
      return 1;
    }
    if (args.length > 0 && opts.name) {
      io.stderr('Service registration requires arguments or -id, not both.\n');
      return 1;
    }
    let services: Record<string, unknown>[];
    if (args.length > 0) {
      try {
        services = servicesFromFiles(args);
      } catch (e) {
        io.stderr(`Error: ${errorText(e)}\n`);
        return 1;
      }
    } else {
      const tagged = Object.fromEntries([...opts.taggedAddresses].map(([k, v]) => [k, parseTaggedAddress(v)]));
      services = [{ ID: opts.id, Name: opts.name, Address: opts.address, Port: opts.port, Tags: opts.tags, Meta: Object.fromEntries(opts.meta), ...(opts.taggedAddresses.size ? { TaggedAddresses: tagged } : {}) }];
    }
    for (const svc of services) {
      const name = String(svc.Name ?? svc.name ?? '');
      try {
        await client.write('PUT', '/v1/agent/service/register', svc, { noDatacenter: true });
      } catch (e) {
        io.stderr(`Error registering service "${name}": ${errorText(e)}\n`);
        return 1;
      }
      io.stdout(`Registered service: ${name}\n`);
    }
    return 0;
  },
});

/** `host:port` or `host` into the API's `{Address, Port}`. */
function parseTaggedAddress(v: string): { Address: string; Port: number } {
  const m = /^(.*):(\d+)$/.exec(v);
  return m ? { Address: m[1]!.replace(/^\[|\]$/g, ''), Port: Number(m[2]) } : { Address: v, Port: 0 };
}
