import { attempt, httpCommand } from '../../http-command.ts';

/** `consul info`: the agent's Stats as sorted `section:` blocks of tab-indented `key = value`. */
export const infoCommand = httpCommand({
  help: `
Usage: consul info [options]

	Provides debugging information for operators
`,
  serverFlags: false,
  defaults: () => ({}),
  async run({ io, client }) {
    const r = await attempt(io, 'Error querying agent', () => client.getJson<{ Stats?: Record<string, Record<string, string>> }>('/v1/agent/self', { noDatacenter: true }));
    if (!r.ok) return 1;
    const stats = r.value.value?.Stats ?? {};
    const lines: string[] = [];
    for (const section of Object.keys(stats).sort()) {
      lines.push(`${section}:`);
      const sub = stats[section] ?? {};
      for (const k of Object.keys(sub).sort()) lines.push(`\t${k} = ${sub[k]}`);
    }
    io.stdout(lines.length ? `${lines.join('\n')}\n` : '');
    return 0;
  },
});
