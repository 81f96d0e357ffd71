import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../../core/gossip/codec/crc32.ts';
import { runCli } from '../../cli-test-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-snap-'));

/** An archive laid out as core/state/snapshot-archive.ts writes it. */
function archive(state: Buffer, meta: { Index: number; Datacenter: string }): Buffer {
  const json = Buffer.from(JSON.stringify({ Version: 1, ...meta, Size: state.length, CRC32: crc32(state) }));
  const head = Buffer.alloc(12);
  head.write('CTSARCH1', 0, 'latin1');
  head.writeUInt32BE(json.length, 8);
  const body = Buffer.concat([head, json, state]);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(body));
  return Buffer.concat([body, tail]);
}

describe('consul snapshot inspect and the local verification (no agent needed)', () => {
  const good = archive(Buffer.from('CTSSNAP1 some state bytes'), { Index: 42, Datacenter: 'dc1' });

  it('prints the metadata of a valid file', async () => {
    const f = join(dir, 'good.snap');
    writeFileSync(f, good);
    const r = await runCli('snapshot', 'inspect', f);
    const crc = crc32(Buffer.from('CTSSNAP1 some state bytes')).toString(16).padStart(8, '0');
    expect(r).toEqual({ code: 0, out: ` Index         42\n Datacenter    dc1\n Size          25\n Version       1\n CRC32         0x${crc}\n`, err: '' });
    const j = await runCli('snapshot', 'inspect', '-format', 'json', f);
    expect(JSON.parse(j.out)).toMatchObject({ Meta: { Index: 42, Datacenter: 'dc1', Size: 25, Version: 1 }, FileSize: good.length });
  });

  it('refuses a flipped byte, a truncated file and a non-snapshot with a clear error', async () => {
    const cases: Array<[string, Buffer, string]> = [
      ['flipped', Buffer.from(good.map((b, i) => (i === good.length - 10 ? b ^ 1 : b))), 'snapshot file checksum mismatch'],
      ['truncated', good.subarray(0, good.length - 3), 'snapshot file truncated or padded'],
      ['other', Buffer.from('hello, not a snapshot at all'), 'not a snapshot file (bad magic)'],
    ];
    for (const [name, bytes, why] of cases) {
      const f = join(dir, `${name}.snap`);
      writeFileSync(f, bytes);
      const r = await runCli('snapshot', 'inspect', f);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`Error verifying snapshot: ${why}`);
    }
    expect((await runCli('snapshot', 'inspect', join(dir, 'missing.snap'))).err).toBe(`Error opening snapshot file: open ${join(dir, 'missing.snap')}: no such file or directory\n`);
  });

  it('restore refuses a corrupt file before contacting any agent', async () => {
    const f = join(dir, 'bad.snap');
    writeFileSync(f, good.subarray(0, good.length - 1));
    // 127.0.0.1:1 would refuse the connection: the error shows nothing was sent.
    const r = await runCli('snapshot', 'restore', '-http-addr', '127.0.0.1:1', f);
    expect(r).toEqual({ code: 1, out: '', err: `Error verifying snapshot file: snapshot file truncated or padded: expected ${good.length} bytes, got ${good.length - 1}\n` });
    expect((await runCli('snapshot', 'save')).err).toBe('Missing FILE argument\n');
  });
});

describe('the CLI’s archive check agrees with the agent’s archive format', () => {
  it('accepts what core/state/snapshot-archive.ts writes and refuses what it refuses', async () => {
    const { writeArchive, readArchive } = await import('../../../../core/state/snapshot-archive.ts');
    const { verifyArchive } = await import('../../lib/snapshot-archive.ts');
    const bytes = writeArchive(new TextEncoder().encode('CTSSNAP1 state'), { Index: 9, Datacenter: 'dc2' });
    expect(verifyArchive(bytes)).toEqual(readArchive(bytes).meta);
    const bad = bytes.slice();
    bad[20] = bad[20]! ^ 0xff;
    expect(() => readArchive(bad)).toThrow();
    expect(() => verifyArchive(bad)).toThrow();
  });
});
