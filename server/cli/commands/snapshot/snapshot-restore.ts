import { readFileSync } from 'node:fs';
import { errorText } from '../../api-client.ts';
import { httpCommand } from '../../http-command.ts';
import { goFileError } from '../../lib/read-input.ts';
import { verifyArchive } from '../../lib/snapshot-archive.ts';

/**
 * `consul snapshot restore FILE` (command/snapshot/restore): verifies the file locally (a corrupt
 * one is refused before anything is sent), then `PUT /v1/snapshot`: `Restored snapshot`.
 */
export const snapshotRestoreCommand = httpCommand({
  help: `
Usage: consul snapshot restore [options] FILE

  Restores an atomic, point-in-time snapshot of the state of the Consul servers
  which includes key/value entries, service catalog, prepared queries, sessions,
  and ACLs.

  Restores involve a potentially dangerous low-level Raft operation that is not
  designed to handle server failures during a restore. This command is primarily
  intended to be used when recovering from a disaster, restoring into a fresh
  cluster of Consul servers.

  If ACLs are enabled, a management token must be supplied in order to perform
  snapshot operations.

  To restore a snapshot from the file "backup.snap":

    $ consul snapshot restore backup.snap

  For a full list of options and examples, please see the Consul documentation.
`,
  serverFlags: false,
  defaults: () => ({}),
  async run({ args, io, client }) {
    if (args.length !== 1) {
      io.stderr(args.length === 0 ? 'Missing FILE argument\n' : `Too many arguments (expected 1, got ${args.length})\n`);
      return 1;
    }
    const file = args[0]!;
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (e) {
      io.stderr(`Error opening snapshot file: ${goFileError(e, file)}\n`);
      return 1;
    }
    try {
      verifyArchive(data);
    } catch (e) {
      io.stderr(`Error verifying snapshot file: ${errorText(e)}\n`);
      return 1;
    }
    try {
      await client.write('PUT', '/v1/snapshot', data);
    } catch (e) {
      io.stderr(`Error restoring snapshot: ${errorText(e)}\n`);
      return 1;
    }
    io.stdout('Restored snapshot\n');
    return 0;
  },
});
