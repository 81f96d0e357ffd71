/**
 * memberlist's encrypted payload format (security.go): [version][12-byte nonce][ciphertext+16-byte
 * tag], AES-GCM. Version 1 (memberlist protocol >= 2) has no padding; version 0 pads with PKCS#7
 * and is accepted on receipt. Additional data is the packet label, or for streams the 5-byte
 * [encryptMsg, length] header followed by the label.
 */
import type { Keyring } from './keyring.ts';

export const NONCE_SIZE = 12;
export const TAG_SIZE = 16;
export const VERSION_SIZE = 1;
/** Bytes encryption adds to a packet (version 1). */
export const ENCRYPT_OVERHEAD = VERSION_SIZE + NONCE_SIZE + TAG_SIZE;

/** Where nonces come from: a cryptographic source in real runtimes. */
export interface NonceSource {
  bytes(out: Uint8Array): Uint8Array;
}

export function encryptedLength(vsn: number, inp: number): number {
  if (vsn >= 1) return VERSION_SIZE + NONCE_SIZE + inp + TAG_SIZE;
  const padding = 16 - (inp % 16);
  return VERSION_SIZE + NONCE_SIZE + inp + padding + TAG_SIZE;
}

/** Encrypts `msg` with `key` (version 1). */
export async function encryptPayload(
  keyring: Keyring,
  key: Uint8Array,
  msg: Uint8Array,
  aad: Uint8Array,
  nonces: NonceSource,
): Promise<Uint8Array> {
  const nonce = new Uint8Array(NONCE_SIZE);
  nonces.bytes(nonce);
  const ck = await keyring.cryptoKey(key);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad.slice(), tagLength: 128 }, ck, msg.slice()),
  );
  const out = new Uint8Array(VERSION_SIZE + NONCE_SIZE + sealed.length);
  out[0] = 1;
  out.set(nonce, 1);
  out.set(sealed, 1 + NONCE_SIZE);
  return out;
}

/** Tries every installed key. Rejects with memberlist's error texts. */
export async function decryptPayload(keyring: Keyring, msg: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  if (msg.length === 0) throw new Error('Cannot decrypt empty payload');
  const vsn = msg[0] as number;
  if (vsn > 1) throw new Error(`Unsupported encryption version ${vsn}`);
  if (msg.length < encryptedLength(vsn, 0)) throw new Error(`Payload is too small to decrypt: ${msg.length}`);
  const nonce = msg.slice(1, 1 + NONCE_SIZE);
  const ciphertext = msg.slice(1 + NONCE_SIZE);
  for (const key of keyring.list()) {
    try {
      const ck = await keyring.cryptoKey(key);
      const plain = new Uint8Array(
        await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad.slice(), tagLength: 128 }, ck, ciphertext),
      );
      if (vsn === 0) {
        const pad = plain[plain.length - 1] ?? 0;
        return plain.subarray(0, plain.length - pad);
      }
      return plain;
    } catch {
      // wrong key: try the next one
    }
  }
  throw new Error('No installed keys could decrypt the message');
}
