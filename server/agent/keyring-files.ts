/**
 * Gossip keyring files in the data dir, as Consul keeps them (agent/keyring.go): `serf/local.keyring`
 * (LAN) and `serf/remote.keyring` (WAN, servers), each a JSON array of base64 keys, primary first.
 * On start an existing file wins over `encrypt` (with a warning when it lacks that key); a missing
 * one is created from `encrypt`. Key operations rewrite the file atomically.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GossipEncryption } from '../../core/agent/agent-config.ts';
import { keyFromBase64 } from '../../core/gossip/security/keyring.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { fsyncDirSync } from '../storage/fsync-dir.ts';

export const SERF_LAN_KEYRING = join('serf', 'local.keyring');
export const SERF_WAN_KEYRING = join('serf', 'remote.keyring');

export interface KeyringSetup {
  encryptKey: string;
  verifyIncoming: boolean;
  verifyOutgoing: boolean;
  /** "" (dev mode) or disable_keyring_file: keep keys in memory only. */
  dataDir: string;
  disableKeyringFile: boolean;
  /** Servers with a WAN pool keep a WAN keyring too. */
  wan: boolean;
}

/** Writes `keys` as the keyring file at `path` (temp file, fsync, rename, fsync dir). */
export function writeKeyringFile(path: string, keys: string[]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(keys, null, 2));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDirSync(dirname(path));
}

/** Reads a keyring file; throws a clear error for bad JSON or a bad key. */
export function readKeyringFile(path: string): Uint8Array[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`Failed to load keyring file ${path}: ${(e as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.some((k) => typeof k !== 'string')) throw new Error(`Failed to load keyring file ${path}: expected a JSON array of base64 keys`);
  return (parsed as string[]).map((k) => {
    try {
      return keyFromBase64(k);
    } catch (e) {
      throw new Error(`Failed to load keyring file ${path}: ${(e as Error).message}`);
    }
  });
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The keys of one pool: the file if there is one, else `encrypt` (creating the file). */
function poolKeys(file: string, s: KeyringSetup, pool: 'LAN' | 'WAN', logger: Logger): Uint8Array[] {
  const existed = existsSync(file);
  if (!existed && s.encryptKey !== '') writeKeyringFile(file, [s.encryptKey]);
  if (!existsSync(file)) return [];
  const keys = readKeyringFile(file);
  if (existed && s.encryptKey !== '') {
    const given = keyFromBase64(s.encryptKey);
    if (!keys.some((k) => sameKey(k, given))) logger.log('warn', " keyring doesn't include key provided with -encrypt, using keyring", { keyring: pool });
  }
  return keys;
}

/**
 * The agent's gossip encryption from `encrypt` and the keyring files, plus the function that
 * persists a pool after a key operation. Undefined encryption when no pool has a key.
 */
export function setupKeyrings(s: KeyringSetup, logger: Logger): { encryption: GossipEncryption | undefined; save: (pool: 'lan' | 'wan', keys: string[]) => string | undefined } {
  const useFiles = s.dataDir !== '' && !s.disableKeyringFile;
  const verify = { verifyIncoming: s.verifyIncoming, verifyOutgoing: s.verifyOutgoing };
  if (!useFiles) {
    const keys = s.encryptKey === '' ? [] : [keyFromBase64(s.encryptKey)];
    return { encryption: keys.length > 0 ? { lanKeys: keys, wanKeys: s.wan ? keys : [], ...verify } : undefined, save: () => undefined };
  }
  const lanFile = join(s.dataDir, SERF_LAN_KEYRING);
  const wanFile = join(s.dataDir, SERF_WAN_KEYRING);
  const lanKeys = poolKeys(lanFile, s, 'LAN', logger);
  const wanKeys = s.wan ? poolKeys(wanFile, s, 'WAN', logger) : [];
  const save = (pool: 'lan' | 'wan', keys: string[]) => {
    const file = pool === 'lan' ? lanFile : wanFile;
    // Serf writes the file only when it loaded one (KeyringFile set).
    if (!existsSync(file)) return undefined;
    try {
      writeKeyringFile(file, keys);
      return undefined;
    } catch (e) {
      return `Failed to write keyring file: ${(e as Error).message}`;
    }
  };
  const encryption = lanKeys.length > 0 || wanKeys.length > 0 ? { lanKeys, wanKeys, ...verify } : undefined;
  return { encryption, save };
}
