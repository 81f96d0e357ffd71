import { errorText } from '../../api-client.ts';
import { httpCommand } from '../../http-command.ts';
import { servicesFromFiles } from '../../lib/service-files.ts';

/**
 * `consul services deregister [-id ID] | FILE...`: deregisters from the local agent by ID (or the
 * definition's name when it has no ID), printing `Deregistered service: <id>`.
 */
export const servicesDeregisterCommand = httpCommand({
  help: `
Usage: consul services deregister [options] [FILE...]

  Deregister one or more services that were previously registered with
  the local agent.

      $ consul services deregister web.json

  The -id flag may be used to deregister a single service by ID:

      $ consul services deregister -id=web

  Services are deregistered from the local agent catalog. This command must
  be run against the same agent where the service was registered.
`,
  serverFlags: false,
  defaults: () => ({ id: '' }),
  flags: (fs, o) => fs.add({ name: 'id', usage: 'ID to delete. This must not be set if arguments are given.', set: (v) => void (o.id = v) }),
  async run({ args, opts, io, client }) {
    if (args.length === 0 && !opts.id) {
      io.stderr('Service deregistration requires at least one argument or -id.\n');
      return 1;
    }
    if (args.length > 0 && opts.id) {
      io.stderr('Service deregistration requires arguments or -id, not both.\n');
      return 1;
    }
    let ids: string[] = [opts.id];
    if (args.length > 0) {
      try {
        ids = servicesFromFiles(args).map((s) => String(s.id ?? s.ID ?? s.name ?? s.Name ?? ''));
      } catch (e) {
        io.stderr(`Error: ${errorText(e)}\n`);
        return 1;
      }
    }
    for (const id of ids) {
      if (!id) continue;
      try {
        await client.write('PUT', `/v1/agent/service/deregister/${encodeURIComponent(id)}`, undefined, { noDatacenter: true });
      } catch (e) {
        io.stderr(`Error deregistering service "${id}": ${errorText(e)}\n`);
        return 1;
      }
      io.stdout(`Deregistered service: ${id}\n`);
    }
    return 0;
  },
});
