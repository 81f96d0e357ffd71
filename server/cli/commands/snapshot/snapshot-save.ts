import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { errorText } from '../../api-client.ts';
import { httpCommand } from '../../http-command.ts';
import { verifyArchive } from '../../lib/snapshot-archive.ts';

/**
 * `consul snapshot save FILE` (command/snapshot/save): fetches `/v1/snapshot`, writes it to
 * `FILE.unverified`, verifies it, then renames it into place: `Saved and verified snapshot to index N`.
 * A snapshot that fails verification is removed and FILE is left untouched.
 */
export const snapshotSaveCommand = httpCommand({
  help: `
Usage: consul snapshot save [options] FILE

  Retrieves an atomic, point-in-time snapshot of the state of the Consul servers
  which includes key/value entries, service catalog, prepared queries, sessions,
  and ACLs.

  If ACLs are enabled, a management token must be supplied in order to perform
  snapshot operations.

  To create a snapshot from the leader server and save it to "backup.snap":

    $ consul snapshot save backup.snap

  To create a potentially stale snapshot from any available server (useful if no
  leader is available):

    $ consul snapshot save -stale backup.snap

  For a full list of options and examples, please see the Consul documentation.
`,
  defaults: () => ({}),
  async run({ args, io, client }) {
    if (args.length !== 1) {
      io.stderr(args.length === 0 ? 'Missing FILE argument\n' : `Too many arguments (expected 1, got ${args.length})\n`);
      return 1;
    }
    const file = args[0]!;
    let data: Buffer;
    let index: number;
    try {
      const r = await client.request('GET', '/v1/snapshot', { query: { stale: client.config.stale } });
      data = r.body;
      index = r.index;
    } catch (e) {
      io.stderr(`Error saving snapshot: ${errorText(e)}\n`);
      return 1;
    }
    const unverified = `${file}.unverified`;
    try {
      writeFileSync(unverified, data, { mode: 0o600 });
    } catch (e) {
      io.stderr(`Error writing unverified snapshot file: ${errorText(e)}\n`);
      return 1;
    }
    try {
      verifyArchive(data);
    } catch (e) {
      rmSync(unverified, { force: true });
      io.stderr(`Error verifying snapshot file: ${errorText(e)}\n`);
      return 1;
    }
    try {
      renameSync(unverified, file);
    } catch (e) {
      io.stderr(`Error renaming "${unverified}" to "${file}": ${errorText(e)}\n`);
      return 1;
    }
    io.stdout(`Saved and verified snapshot to index ${index}\n`);
    return 0;
  },
});
