import { errorText } from '../../api-client.ts';
import { parseGoBool } from '../../go-flags.ts';
import { httpCommand } from '../../http-command.ts';
import { kvPath } from '../../lib/kv-pair.ts';
import { parseUint64 } from '../../lib/uint64.ts';

const HELP = `
Usage: consul kv delete [options] KEY_OR_PREFIX

  Removes the value from Consul's key-value store at the given path. If no
  key exists at the path, no action is taken.

  To delete the value for the key named "foo" in the key-value store:

      $ consul kv delete foo

  To delete all keys which start with "foo", specify the -recurse option:

      $ consul kv delete -recurse foo

  This will delete the keys named "foo", "food", and "foo/bar/zip" if they
  existed.
`;

/** `consul kv delete [-recurse] [-cas -modify-index N] KEY` (command/kv/del). */
export const kvDeleteCommand = httpCommand({
  help: HELP,
  defaults: () => ({ cas: false, modifyIndex: 0n, recurse: false }),
  flags: (fs, o) =>
    fs
      .add({ name: 'cas', bool: true, usage: 'Perform a Check-And-Set operation. Specifying this value also requires the -modify-index flag to be set. The default value is false.', set: (v) => void (o.cas = parseGoBool(v)) })
      .add({ name: 'modify-index', usage: 'Unsigned integer representing the ModifyIndex of the key. This is used in combination with the -cas flag.', set: (v) => void (o.modifyIndex = parseUint64(v)) })
      .add({
        name: 'recurse',
        bool: true,
        usage: 'Recursively delete all keys with the path. The default value is false.',
        set: (v) => void (o.recurse = parseGoBool(v)),
      }),
  async run({ args, opts, io, client }) {
    if (args.length > 1) {
      io.stderr(`Too many arguments (expected 1, got ${args.length})\n`);
      return 1;
    }
    let key = args[0] ?? '';
    if (key.startsWith('/')) key = key.slice(1);
    const problem =
      key === '' && !opts.recurse
        ? 'Error! Missing KEY argument'
        : opts.cas && opts.modifyIndex === 0n
          ? 'Must specify -modify-index with -cas!'
          : opts.modifyIndex !== 0n && !opts.cas
            ? 'Cannot specify -modify-index without -cas!'
            : opts.recurse && opts.cas
              ? 'Cannot specify both -cas and -recurse!'
              : '';
    if (problem) {
      io.stderr(`${problem}\n`);
      return 1;
    }
    try {
      if (opts.recurse) {
        await client.write('DELETE', kvPath(key), undefined, { query: { recurse: true } });
        io.stdout(`Success! Deleted keys with prefix: ${key}\n`);
        return 0;
      }
      if (opts.cas) {
        const ok = await client.write<boolean>('DELETE', kvPath(key), undefined, { query: { cas: String(opts.modifyIndex) } });
        if (ok !== true) {
          io.stderr(`Error! Did not delete key ${key}: CAS failed\n`);
          return 1;
        }
      } else await client.write('DELETE', kvPath(key));
    } catch (e) {
      io.stderr(opts.recurse ? `Error! Did not delete prefix ${key}: ${errorText(e)}\n` : opts.cas ? `Error! Did not delete key ${key}: ${errorText(e)}\n` : `Error deleting key ${key}: ${errorText(e)}\n`);
      return 1;
    }
    io.stdout(`Success! Deleted key: ${key}\n`);
    return 0;
  },
});
