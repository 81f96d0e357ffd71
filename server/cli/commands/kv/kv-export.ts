import { attempt, httpCommand } from '../../http-command.ts';
import { decodeKvPairs, kvPath } from '../../lib/kv-pair.ts';

const HELP = `
Usage: consul kv export [KEY_OR_PREFIX]

  Retrieves key-value pairs for the given prefix from Consul's key-value store,
  and writes a JSON representation to stdout. This can be used with the command
  "consul kv import" to move entire trees between Consul clusters.

      $ consul kv export vault

  For a full list of options and examples, please see the Consul documentation.
`;

/**
 * `consul kv export [PREFIX]` (command/kv/exp): `[{"key","flags","value"(base64)}]`, tab-indented
 * as json.MarshalIndent(…, "", "\t") prints it; flags stay exact uint64 text.
 */
export const kvExportCommand = httpCommand({
  help: HELP,
  defaults: () => ({}),
  async run({ args, io, client }) {
    if (args.length > 1) {
      io.stderr(`Too many arguments (expected 1, got ${args.length})\n`);
      return 1;
    }
    let key = args[0] ?? '';
    if (key.startsWith('/')) key = key.slice(1);
    const r = await attempt(io, 'Error querying Consul agent', async () => {
      const res = await client.request('GET', kvPath(key), { query: { recurse: true, stale: client.config.stale }, accept: [404] });
      return res.status === 404 ? [] : decodeKvPairs(res.body.toString('utf8'));
    });
    if (!r.ok) return 1;
    if (r.value.length === 0) {
      io.stdout('[]\n');
      return 0;
    }
    const items = r.value.map((p) => `\t{\n\t\t"key": ${JSON.stringify(p.Key)},\n\t\t"flags": ${p.Flags},\n\t\t"value": ${JSON.stringify(p.Value.toString('base64'))}\n\t}`);
    io.stdout(`[\n${items.join(',\n')}\n]\n`);
    return 0;
  },
});
