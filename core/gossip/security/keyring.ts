/**
 * memberlist's Keyring: AES keys of 16, 24 or 32 bytes; the primary key encrypts, every installed
 * key is tried for decryption, so that keys can be rotated across a pool (install, use, remove).
 */

/** Encodes bytes as standard base64 (Serf's key format). */
export function toBase64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

/** Decodes a base64 key; throws a clear error for bad input or a bad key length. */
export function keyFromBase64(text: string): Uint8Array {
  let raw: string;
  try {
    raw = atob(text.trim());
  } catch {
    throw new Error('key is not valid base64');
  }
  const key = Uint8Array.from(raw, (c) => c.charCodeAt(0));
  validateKey(key);
  return key;
}

export function validateKey(key: Uint8Array): void {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new Error(`key size must be 16, 24 or 32 bytes (got ${key.length})`);
  }
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export class Keyring {
  /** keys[0] is the primary key. */
  private keys: Uint8Array[] = [];
  private readonly imported = new Map<string, Promise<CryptoKey>>();

  /** `keys[0]` becomes primary. Throws on a bad key. */
  constructor(keys: Uint8Array[] = []) {
    for (const k of keys) this.install(k);
  }

  /** Adds a key (not primary unless it is the first). Installing twice is a no-op. */
  install(key: Uint8Array): void {
    validateKey(key);
    if (this.keys.some((k) => same(k, key))) return;
    this.keys.push(key.slice());
  }

  /** Makes an installed key the primary. */
  use(key: Uint8Array): void {
    const idx = this.keys.findIndex((k) => same(k, key));
    if (idx < 0) throw new Error('Requested key is not in the keyring');
    const [k] = this.keys.splice(idx, 1);
    this.keys.unshift(k as Uint8Array);
  }

  /** Removes a key; the primary cannot be removed. */
  remove(key: Uint8Array): void {
    if (this.keys[0] && same(this.keys[0], key)) throw new Error('Removing the primary key is not allowed');
    this.keys = this.keys.filter((k) => !same(k, key));
  }

  /** Installed keys, primary first. */
  list(): Uint8Array[] {
    return this.keys.map((k) => k.slice());
  }

  primary(): Uint8Array | undefined {
    return this.keys[0];
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** The WebCrypto key for `key`, imported once. */
  cryptoKey(key: Uint8Array): Promise<CryptoKey> {
    const id = toBase64(key);
    let p = this.imported.get(id);
    if (!p) {
      p = crypto.subtle.importKey('raw', key.slice(), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
      this.imported.set(id, p);
    }
    return p;
  }
}
