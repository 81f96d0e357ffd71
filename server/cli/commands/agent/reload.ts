import { attempt, httpCommand } from '../../http-command.ts';

/** `consul reload`: re-reads the agent's configuration files. */
export const reloadCommand = httpCommand({
  help: `
Usage: consul reload

  Causes the agent to reload configurations. This can be used instead
  of sending the SIGHUP signal to the agent.
`,
  serverFlags: false,
  defaults: () => ({}),
  async run({ io, client }) {
    const r = await attempt(io, 'Error reloading', () => client.write('PUT', '/v1/agent/reload'));
    if (!r.ok) return 1;
    io.stdout('Configuration reload triggered\n');
    return 0;
  },
});
