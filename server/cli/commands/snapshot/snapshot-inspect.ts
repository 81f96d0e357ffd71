import { readFileSync } from 'node:fs';
import type { Command } from '../../command.ts';
import { FlagError, FlagSet } from '../../go-flags.ts';
import { tabwrite } from '../../lib/columnize.ts';
import { goFileError } from '../../lib/read-input.ts';
import { verifyArchive } from '../../lib/snapshot-archive.ts';
import { commandUsage } from '../../usage.ts';

const HELP = `
Usage: consul snapshot inspect [options] FILE

  Displays information about a snapshot file on disk.

  To inspect the file "backup.snap":

    $ consul snapshot inspect backup.snap

  For a full list of options and examples, please see the Consul documentation.
`;

function flags(o: { format: string }): FlagSet {
  return new FlagSet().add({ name: 'format', defValue: 'pretty', usage: 'Output format {pretty|json}', set: (v) => void (o.format = v) });
}

/**
 * `consul snapshot inspect [-format pretty|json] FILE`: verifies the file (checksums and sizes) and
 * prints its metadata as Consul's tabwriter block of ` Name  value` lines; works offline.
 */
export const snapshotInspectCommand: Command = {
  help: () => commandUsage(HELP, flags({ format: 'pretty' })),
  run(args, io) {
    const o = { format: 'pretty' };
    let rest: string[];
    try {
      rest = flags(o).parse(args);
    } catch (e) {
      if (!(e instanceof FlagError)) throw e;
      io.stderr(`${e.message}\n`);
      return 1;
    }
    if (rest.length !== 1) {
      io.stderr(rest.length === 0 ? 'Missing FILE argument\n' : `Too many arguments (expected 1, got ${rest.length})\n`);
      return 1;
    }
    if (o.format !== 'pretty' && o.format !== 'json') {
      io.stderr(`Invalid format, valid formats are: pretty, json\n`);
      return 1;
    }
    const file = rest[0]!;
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (e) {
      io.stderr(`Error opening snapshot file: ${goFileError(e, file)}\n`);
      return 1;
    }
    let meta: ReturnType<typeof verifyArchive>;
    try {
      meta = verifyArchive(data);
    } catch (e) {
      io.stderr(`Error verifying snapshot: ${(e as Error).message}\n`);
      return 1;
    }
    if (o.format === 'json') {
      io.stdout(`${JSON.stringify({ Meta: { Index: meta.Index, Datacenter: meta.Datacenter, Version: meta.Version, Size: meta.Size, CRC32: meta.CRC32 }, FileSize: data.length }, null, 2)}\n`);
      return 0;
    }
    const crc = `0x${meta.CRC32.toString(16).padStart(8, '0')}`;
    io.stdout(`${tabwrite([` Index\t${meta.Index}`, ` Datacenter\t${meta.Datacenter}`, ` Size\t${meta.Size}`, ` Version\t${meta.Version}`, ` CRC32\t${crc}`], 4)}\n`);
    return 0;
  },
};
