/**
 * Randomness as the core sees it: a seedable, splittable stream. The core never calls a global
 * random source, so that a seed reproduces a run.
 */

/**
 * A stream of pseudo-random numbers.
 *
 * Contract: the sequence is a pure function of the seed and of the calls made. `split(label)`
 * returns an independent stream whose sequence depends only on this stream's seed and the label,
 * not on how many numbers were drawn here before or after, so adding a draw in one subsystem does
 * not perturb another subsystem's stream.
 */
export interface Random {
  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number;
  /** A float in [0, 1) with 53 bits of randomness. */
  float(): number;
  /** An integer in [0, n). `n` must be a positive safe integer. */
  int(n: number): number;
  /** An integer in [min, max] inclusive. */
  range(min: number, max: number): number;
  /** True with probability `p` (p <= 0 never, p >= 1 always). */
  chance(p: number): boolean;
  /** Fills `out` with random bytes and returns it. */
  bytes(out: Uint8Array): Uint8Array;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** An independent stream derived from this stream's seed and `label`. */
  split(label: string): Random;
}
