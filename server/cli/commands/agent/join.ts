import { errorText } from '../../api-client.ts';
import { parseGoBool } from '../../go-flags.ts';
import { httpCommand } from '../../http-command.ts';

/** `consul join [-wan] address...`: asks the agent to join each address. */
export const joinCommand = httpCommand({
  help: `
Usage: consul join [options] address ...

  Tells a running Consul agent (with "consul agent") to join the cluster
  by specifying at least one existing member.
`,
  serverFlags: false,
  defaults: () => ({ wan: false }),
  flags: (fs, o) => fs.add({ name: 'wan', bool: true, usage: 'Joins a server to another server in the WAN pool.', set: (v) => void (o.wan = parseGoBool(v)) }),
  async run({ args, opts, io, client }) {
    if (args.length === 0) {
      io.stderr('At least one address to join must be specified.\n');
      return 1;
    }
    let joined = 0;
    for (const addr of args) {
      try {
        await client.write('PUT', `/v1/agent/join/${encodeURIComponent(addr)}`, undefined, { query: { wan: opts.wan ? '1' : undefined } });
        joined++;
      } catch (e) {
        io.stderr(`Error joining address '${addr}': ${errorText(e)}\n`);
      }
    }
    if (joined === 0) {
      io.stderr('Failed to join any nodes.\n');
      return 1;
    }
    io.stdout(`Successfully joined cluster by contacting ${joined} nodes.\n`);
    return 0;
  },
});
