import { attempt, httpCommand } from '../../http-command.ts';

/** `consul catalog datacenters`: one datacenter per line, nearest first. */
export const catalogDatacentersCommand = httpCommand({
  help: `
Usage: consul catalog datacenters [options]

  Retrieves the list of all known datacenters. This datacenters are sorted in
  ascending order based on the estimated median round trip time from the servers
  in this datacenter to the servers in the other datacenters.

  To retrieve the list of datacenters:

      $ consul catalog datacenters

  For a full list of options and examples, please see the Consul documentation.
`,
  serverFlags: false,
  defaults: () => ({}),
  async run({ args, io, client }) {
    if (args.length > 0) {
      io.stderr(`Too many arguments (expected 0, got ${args.length})\n`);
      return 1;
    }
    const r = await attempt(io, 'Error listing datacenters', () => client.getJson<string[]>('/v1/catalog/datacenters'));
    if (!r.ok) return 1;
    const dcs = r.value.value ?? [];
    if (dcs.length === 0) {
      io.stderr('No datacenters found\n');
      return 1;
    }
    for (const dc of dcs) io.stdout(`${dc}\n`);
    return 0;
  },
});
