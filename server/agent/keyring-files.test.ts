import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../core/gossip/security/keyring.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { setupKeyrings } from './keyring-files.ts';

const root = mkdtempSync(join(tmpdir(), 'keyring-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const K1 = 'pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=';
const K2 = 'HS5lJ+XuTlYKWaeGYyG+/A==';
const warnings: string[] = [];
const logger: Logger = { log: (level, m, f) => void (level === 'warn' && warnings.push(`${m} ${JSON.stringify(f)}`)), named: () => logger };
const setup = (dataDir: string, encryptKey: string, wan = true) =>
  setupKeyrings({ encryptKey, verifyIncoming: true, verifyOutgoing: true, dataDir, disableKeyringFile: false, wan }, logger);

describe('keyring files in the data dir', () => {
  it('creates serf/local.keyring and serf/remote.keyring from encrypt, as JSON arrays of base64 keys', () => {
    const dir = join(root, 'a');
    const { encryption } = setup(dir, K1);
    expect(encryption?.lanKeys.map(toBase64)).toEqual([K1]);
    expect(encryption?.wanKeys.map(toBase64)).toEqual([K1]);
    expect(JSON.parse(readFileSync(join(dir, 'serf', 'local.keyring'), 'utf8'))).toEqual([K1]);
    expect(JSON.parse(readFileSync(join(dir, 'serf', 'remote.keyring'), 'utf8'))).toEqual([K1]);
  });

  it('prefers an existing keyring file over encrypt, with a warning when it lacks that key', () => {
    const dir = join(root, 'b');
    mkdirSync(join(dir, 'serf'), { recursive: true });
    writeFileSync(join(dir, 'serf', 'local.keyring'), JSON.stringify([K2, K1]));
    warnings.length = 0;
    expect(setup(dir, K1, false).encryption?.lanKeys.map(toBase64)).toEqual([K2, K1]);
    expect(warnings).toEqual([]);
    writeFileSync(join(dir, 'serf', 'local.keyring'), JSON.stringify([K2]));
    expect(setup(dir, K1, false).encryption?.lanKeys.map(toBase64)).toEqual([K2]);
    expect(warnings[0]).toContain("keyring doesn't include key provided with -encrypt, using keyring");
  });

  it('loads a keyring file without encrypt, and persists key changes to it', () => {
    const dir = join(root, 'c');
    mkdirSync(join(dir, 'serf'), { recursive: true });
    writeFileSync(join(dir, 'serf', 'local.keyring'), JSON.stringify([K1]));
    const { encryption, save } = setup(dir, '', false);
    expect(encryption?.lanKeys.map(toBase64)).toEqual([K1]);
    expect(save('lan', [K2, K1])).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'serf', 'local.keyring'), 'utf8'))).toEqual([K2, K1]);
  });

  it('has no encryption without encrypt or a file, and keeps keys in memory in dev mode', () => {
    expect(setup(join(root, 'd'), '').encryption).toBeUndefined();
    const dev = setupKeyrings({ encryptKey: K1, verifyIncoming: false, verifyOutgoing: true, dataDir: '', disableKeyringFile: true, wan: true }, logger);
    expect(dev.encryption).toMatchObject({ verifyIncoming: false, verifyOutgoing: true });
    expect(dev.encryption?.lanKeys.map(toBase64)).toEqual([K1]);
  });

  it('refuses a corrupt keyring file with a clear error', () => {
    const dir = join(root, 'e');
    mkdirSync(join(dir, 'serf'), { recursive: true });
    writeFileSync(join(dir, 'serf', 'local.keyring'), '{"not": "an array"}');
    expect(() => setup(dir, '', false)).toThrow(/^Failed to load keyring file .*local\.keyring: expected a JSON array of base64 keys$/);
    writeFileSync(join(dir, 'serf', 'local.keyring'), JSON.stringify(['c2hvcnQ=']));
    expect(() => setup(dir, '', false)).toThrow(/key size must be 16, 24 or 32 bytes/);
  });
});
