import { parseGoBool } from '../../go-flags.ts';
import { attempt, httpCommand } from '../../http-command.ts';

/** `consul force-leave [-prune] [-wan] node`: moves a failed member to left (and with -prune drops it). */
export const forceLeaveCommand = httpCommand({
  help: `
Usage: consul force-leave [options] name

  Forces a member of a Consul cluster to enter the "left" state. Note
  that if the member is still actually alive, it will eventually rejoin
  the cluster. This command is most useful for cleaning out "failed" nodes
  that are never coming back. If you do not force leave a failed node,
  Consul will attempt to reconnect to those failed nodes for some period of
  time before eventually reaping them.
`,
  serverFlags: false,
  defaults: () => ({ prune: false, wan: false }),
  flags: (fs, o) =>
    fs
      .add({ name: 'prune', bool: true, usage: 'Remove agent forcibly from list of members', set: (v) => void (o.prune = parseGoBool(v)) })
      .add({ name: 'wan', bool: true, usage: 'Exclusively leave the agent from the WAN serf pool.', set: (v) => void (o.wan = parseGoBool(v)) }),
  async run({ args, opts, io, client }) {
    if (args.length !== 1) {
      io.stderr('A node name must be specified to force leave.\n');
      return 1;
    }
    const r = await attempt(io, 'Error force leaving', () =>
      client.write('PUT', `/v1/agent/force-leave/${encodeURIComponent(args[0]!)}`, undefined, { query: { prune: opts.prune ? '1' : undefined, wan: opts.wan ? '1' : undefined } }),
    );
    return r.ok ? 0 : 1;
  },
});
