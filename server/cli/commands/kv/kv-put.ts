import { errorText } from '../../api-client.ts';
import { parseGoBool } from '../../go-flags.ts';
import { httpCommand } from '../../http-command.ts';
import { decodeStdBase64, kvPath } from '../../lib/kv-pair.ts';
import { readDataArg } from '../../lib/read-input.ts';
import { parseUint64 } from '../../lib/uint64.ts';

const HELP = `
Usage: consul kv put [options] KEY [DATA]

  Writes the data to the given path in the key-value store. The data can be of
  any type.

      $ consul kv put config/redis/maxconns 5

  The data can also be consumed from a file on disk by prefixing with the "@"
  symbol. For example:

      $ consul kv put config/program/license @license.lic

  Or it can be read from stdin using the "-" symbol:

      $ echo "abcd1234" | consul kv put config/program/license -

  The DATA argument itself is optional. If omitted, this will create an empty
  key-value pair at the specified path:

      $ consul kv put webapp/beta/active

  If the -base64 flag is specified, the data will be treated as base 64
  encoded.

  To perform a Check-And-Set operation, specify the -cas flag with the
  appropriate -modify-index flag corresponding to the key you want to perform
  the CAS operation on:

      $ consul kv put -cas -modify-index=844 config/redis/maxconns 5

  Additional flags and more advanced use cases are detailed below.
`;

/**
 * `consul kv put [-cas -modify-index N] [-flags N] [-acquire|-release -session ID] [-base64] KEY [DATA]`
 * (command/kv/put): DATA may be `@file` or `-` (stdin); prints `Success! Data written to: <key>`.
 */
export const kvPutCommand = httpCommand({
  help: HELP,
  defaults: () => ({ cas: false, flags: 0n, base64: false, modifyIndex: 0n, session: '', acquire: false, release: false }),
  flags: (fs, o) =>
    fs
      .add({ name: 'cas', bool: true, usage: 'Perform a Check-And-Set operation. Specifying this value also requires the -modify-index flag to be set. The default value is false.', set: (v) => void (o.cas = parseGoBool(v)) })
      .add({
        name: 'flags',
        usage: 'Unsigned integer value to assign to this key-value pair. This value is not read by Consul, so clients can use this value however makes sense for their use case. The default value is 0 (no flags).',
        set: (v) => void (o.flags = parseUint64(v)),
      })
      .add({ name: 'base64', bool: true, usage: 'Treat the data as base 64 encoded. The default value is false.', set: (v) => void (o.base64 = parseGoBool(v)) })
      .add({
        name: 'modify-index',
        usage: 'Unsigned integer representing the ModifyIndex of the key. This is used in combination with the -cas flag.',
        set: (v) => void (o.modifyIndex = parseUint64(v)),
      })
      .add({
        name: 'session',
        usage:
          'User-defined identifer for this session as a string. This is commonly used with the -acquire and -release operations to build robust locking, but it can be set on any key. The default value is empty (no session).',
        set: (v) => void (o.session = v),
      })
      .add({
        name: 'acquire',
        bool: true,
        usage: 'Obtain a lock on the key. If the key does not exist, this operation will create the key and obtain the lock. The session must already exist and be specified via the -session flag. The default value is false.',
        set: (v) => void (o.acquire = parseGoBool(v)),
      })
      .add({
        name: 'release',
        bool: true,
        usage: 'Forfeit the lock on the key at the given path. This requires the -session flag to be set. The key must be held by the session in order to be unlocked. The default value is false.',
        set: (v) => void (o.release = parseGoBool(v)),
      }),
  async run({ args, opts, io, client }) {
    if (args.length === 0 || args.length > 2) {
      io.stderr(args.length === 0 ? 'Error! Missing KEY argument\n' : `Error! Too many arguments (expected 1 or 2, got ${args.length})\n`);
      return 1;
    }
    const key = args[0]!;
    let data: Buffer;
    try {
      data = args[1] ? await readDataArg(args[1]) : Buffer.alloc(0);
    } catch (e) {
      io.stderr(`Error! ${errorText(e)}\n`);
      return 1;
    }
    if (opts.base64) {
      try {
        data = decodeStdBase64(data.toString('utf8'));
      } catch (e) {
        // Consul prints this and carries on with the undecoded bytes; refusing is the safer reading.
        io.stderr(`Error! Cannot base 64 decode data: ${errorText(e)}\n`);
        return 1;
      }
    }
    if ((opts.release || opts.acquire) && opts.session === '') {
      io.stderr('Error! Missing -session (required with -acquire and -release)\n');
      return 1;
    }
    if (opts.cas && opts.modifyIndex === 0n) {
      io.stderr('Must specify -modify-index with -cas!\n');
      return 1;
    }
    const query: Record<string, string | undefined> = { flags: opts.flags !== 0n ? String(opts.flags) : undefined };
    let ok: boolean;
    try {
      if (opts.cas) query.cas = String(opts.modifyIndex);
      else if (opts.acquire) query.acquire = opts.session;
      else if (opts.release) query.release = opts.session;
      ok = (await client.write<boolean>('PUT', kvPath(key), data, { query })) === true;
    } catch (e) {
      const what = opts.cas ? `Did not write to ${key}` : opts.release ? `Failed writing data` : 'Failed writing data';
      io.stderr(`Error! ${what}: ${errorText(e)}\n`);
      return 1;
    }
    if (opts.cas) return report(io, ok, `Success! Data written to: ${key}`, `Error! Did not write to ${key}: CAS failed`);
    if (opts.acquire) return report(io, ok, `Success! Lock acquired on: ${key}`, 'Error! Did not acquire lock');
    if (opts.release) return report(io, ok, `Success! Lock released on: ${key}`, 'Error! Did not release lock');
    io.stdout(`Success! Data written to: ${key}\n`);
    return 0;
  },
});

function report(io: { stdout(t: string): void; stderr(t: string): void }, ok: boolean, yes: string, no: string): number {
  if (ok) io.stdout(`${yes}\n`);
  else io.stderr(`${no}\n`);
  return ok ? 0 : 1;
}
