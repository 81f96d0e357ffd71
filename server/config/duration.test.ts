import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration (Go time.ParseDuration)', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['72h', 259_200_000],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['100us', 0.1],
    ['-2s', -2000],
  ])('%s = %d ms', (s, ms) => expect(parseDuration(s)).toBeCloseTo(ms, 9));

  it.each([
    ['', 'time: invalid duration ""'],
    ['x', 'time: invalid duration "x"'],
    ['30', 'time: missing unit in duration "30"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
  ])('%j fails with %s', (s, msg) => expect(() => parseDuration(s)).toThrow(msg));
});

describe('formatDuration (Go Duration.String)', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [259_200_000, '72h0m0s'],
    [1500, '1.5s'],
  ])('%d ms = %s', (ms, s) => expect(formatDuration(ms)).toBe(s));
});
