import { attempt, httpCommand } from '../../http-command.ts';

/** `consul leave`: graceful leave and shutdown of the agent. */
export const leaveCommand = httpCommand({
  help: `
Usage: consul leave [options]

  Causes the agent to gracefully leave the Consul cluster and shutdown.
`,
  serverFlags: false,
  defaults: () => ({}),
  async run({ args, io, client }) {
    if (args.length > 0) {
      io.stderr(`Error found unexpected args: [${args.join(' ')}]\n`);
      return 1;
    }
    const r = await attempt(io, 'Error leaving', () => client.write('PUT', '/v1/agent/leave'));
    if (!r.ok) return 1;
    io.stdout('Graceful leave complete\n');
    return 0;
  },
});
