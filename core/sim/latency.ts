import type { Random } from '../ports/random.ts';

/**
 * One-way network delay distributions, in milliseconds. All are drawn from a seeded Random and
 * rounded to microseconds so that event times are exact decimals in every engine.
 */
export type LatencyModel =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  /** Log-normal-ish: a floor plus an exponential tail with the given mean; models queueing. */
  | { kind: 'exponential'; minMs: number; meanMs: number };

/** Draws one delay from `model`. Never negative. */
export function drawLatency(model: LatencyModel, random: Random): number {
  let ms: number;
  switch (model.kind) {
    case 'fixed':
      ms = model.ms;
      break;
    case 'uniform':
      ms = model.minMs + random.float() * (model.maxMs - model.minMs);
      break;
    case 'exponential': {
      const tail = Math.max(0, model.meanMs - model.minMs);
      // Inverse-CDF sampling; 1 - u keeps the log argument in (0, 1].
      ms = model.minMs - tail * Math.log(1 - random.float());
      break;
    }
  }
  return roundMicros(Math.max(0, ms));
}

/** Rounds a millisecond value to whole microseconds. */
export function roundMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
