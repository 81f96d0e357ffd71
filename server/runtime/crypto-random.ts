/**
 * Randomness for real deployments: a PRNG seeded from the operating system's CSPRNG, plus a nonce
 * source that draws every nonce from the CSPRNG (AES-GCM nonces must never repeat).
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import { Prng } from '../../core/lib/prng.ts';
import type { NonceSource } from '../../core/gossip/security/aes-gcm.ts';

/** A Prng seeded from 16 bytes of OS randomness. */
export function secureSeededPrng(): Prng {
  const b = randomBytes(16);
  return new Prng([b.readUInt32LE(0), b.readUInt32LE(4), b.readUInt32LE(8), b.readUInt32LE(12)]);
}

/** AES-GCM nonces straight from the CSPRNG. */
export const cryptoNonces: NonceSource = {
  bytes(out: Uint8Array): Uint8Array {
    randomFillSync(out);
    return out;
  },
};
