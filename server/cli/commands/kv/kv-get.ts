import { attempt, httpCommand } from '../../http-command.ts';
import { parseGoBool } from '../../go-flags.ts';
import { tabwrite } from '../../lib/columnize.ts';
import { decodeKvPairs, type KvPair, kvPath } from '../../lib/kv-pair.ts';

const HELP = `
Usage: consul kv get [options] [KEY_OR_PREFIX]

  Retrieves the value from Consul's key-value store at the given key name. If no
  key exists with that name, an error is returned. If a key exists with that
  name but has no data, nothing is returned. If the name or prefix is omitted,
  it defaults to "" which is the root of the key-value store.

  To retrieve the value for the key named "foo" in the key-value store:

      $ consul kv get foo

  This will return the original, raw value stored in Consul. To view detailed
  information about the key, specify the "-detailed" flag. This will output all
  known metadata about the key including ModifyIndex and any user-supplied
  flags:

      $ consul kv get -detailed foo

  To treat the path as a prefix and list all keys which start with the given
  prefix, specify the "-recurse" flag:

      $ consul kv get -recurse foo

  This will return all key-value pairs. To just list the keys which start with
  the specified prefix, use the "-keys" option instead:

      $ consul kv get -keys foo

  For a full list of options and examples, please see the Consul documentation.
`;

/** Consul's prettyKVPair: a tabwriter block (padding 6) of the pair's fields, Value last. */
export function prettyKvPair(p: KvPair, base64: boolean): string {
  const value = base64 ? p.Value.toString('base64') : p.Value.toString('utf8');
  return tabwrite(
    [
      `CreateIndex\t${p.CreateIndex}`,
      `Flags\t${p.Flags}`,
      `Key\t${p.Key}`,
      `LockIndex\t${p.LockIndex}`,
      `ModifyIndex\t${p.ModifyIndex}`,
      `Session\t${p.Session || '-'}`,
      `Value\t${value}`,
    ],
    6,
  );
}

/**
 * `consul kv get [-recurse|-keys [-separator]] [-detailed] [-base64] KEY` (command/kv/get): the raw
 * value; `Error! No key exists at: <key>` and exit 1 when missing.
 */
export const kvGetCommand = httpCommand({
  help: HELP,
  defaults: () => ({ base64: false, detailed: false, keys: false, recurse: false, separator: '/' }),
  flags: (fs, o) =>
    fs
      .add({ name: 'base64', bool: true, usage: 'Base64 encode the value. The default value is false.', set: (v) => void (o.base64 = parseGoBool(v)) })
      .add({
        name: 'detailed',
        bool: true,
        usage: 'Provide additional metadata about the key in addition to the value such as the ModifyIndex and any flags that may have been set on the key. The default value is false.',
        set: (v) => void (o.detailed = parseGoBool(v)),
      })
      .add({
        name: 'keys',
        bool: true,
        usage:
          'List keys which start with the given prefix, but not their values. This is especially useful if you only need the key names themselves. This option is commonly combined with the -separator option. The default value is false.',
        set: (v) => void (o.keys = parseGoBool(v)),
      })
      .add({ name: 'recurse', bool: true, usage: 'Recursively look at all keys prefixed with the given path. The default value is false.', set: (v) => void (o.recurse = parseGoBool(v)) })
      .add({
        name: 'separator',
        defValue: '/',
        usage: 'String to use as a separator between keys. The default value is "/", but this option is only taken into account when paired with the -keys flag.',
        set: (v) => void (o.separator = v),
      }),
  async run({ args, opts, io, client }) {
    if (args.length > 1) {
      io.stderr(`Too many arguments (expected 1, got ${args.length})\n`);
      return 1;
    }
    let key = args[0] ?? '';
    if (key.startsWith('/')) key = key.slice(1);
    if (key === '' && !(opts.recurse || opts.keys)) {
      io.stderr('Error! Missing KEY argument\n');
      return 1;
    }
    if (opts.keys) {
      const r = await attempt(io, 'Error querying Consul agent', () => client.getJson<string[]>(kvPath(key), { query: { keys: true, separator: opts.separator }, accept: [404] }));
      if (!r.ok) return 1;
      for (const k of r.value.value ?? []) io.stdout(`${k}\n`);
      return 0;
    }
    const r = await attempt(io, 'Error querying Consul agent', async () => {
      const res = await client.request('GET', kvPath(key), { query: { recurse: opts.recurse, stale: client.config.stale }, accept: [404] });
      return res.status === 404 ? [] : decodeKvPairs(res.body.toString('utf8'));
    });
    if (!r.ok) return 1;
    const pairs = r.value;
    if (opts.recurse) {
      pairs.forEach((p, i) => {
        if (opts.detailed) io.stdout(`${prettyKvPair(p, opts.base64)}\n${i < pairs.length - 1 ? '\n' : ''}`);
        else io.stdout(`${p.Key}:${opts.base64 ? p.Value.toString('base64') : p.Value.toString('utf8')}\n`);
      });
      return 0;
    }
    const pair = pairs[0];
    if (!pair) {
      io.stderr(`Error! No key exists at: ${key}\n`);
      return 1;
    }
    io.stdout(opts.detailed ? `${prettyKvPair(pair, opts.base64)}\n` : `${pair.Value.toString('utf8')}\n`);
    return 0;
  },
});
