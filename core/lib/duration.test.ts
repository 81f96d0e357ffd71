import { describe, expect, it } from 'vitest';
import { durationFromJson, formatGoDuration, parseGoDuration } from './duration.ts';

describe('Go durations', () => {
  it.each([
    ['0', 0],
    ['10s', 10e9],
    ['60000ms', 60e9],
    ['1.5h', 5400e9],
    ['2h45m', 9900e9],
    ['-1m', -60e9],
    ['300us', 300e3],
    ['1µs', 1e3],
    ['15ns', 15],
    ['.5s', 0.5e9],
  ])('parses %s', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  it.each(['', 'abc', 's', '1x', '--1s', '1.s.'])('rejects %j like Go', (text) => {
    expect(() => parseGoDuration(text)).toThrow(/time: (invalid duration|unknown unit)/);
  });

  it('names a missing unit as Go does', () => {
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
  });

  it.each([
    [0, '0s'],
    [10e9, '10s'],
    [90e9, '1m30s'],
    [3600e9, '1h0m0s'],
    [1.5e9, '1.5s'],
    [500e6, '500ms'],
    [1.5e6, '1.5ms'],
    [250, '250ns'],
    [2e3, '2µs'],
    [-5e9, '-5s'],
    [72 * 3600e9, '72h0m0s'],
  ])('formats %d ns as %s', (ns, text) => {
    expect(formatGoDuration(ns)).toBe(text);
  });

  it('reads JSON durations as strings or nanosecond numbers', () => {
    expect(durationFromJson('15s')).toBe(15e9);
    expect(durationFromJson(15e9)).toBe(15e9);
    expect(durationFromJson(undefined)).toBe(0);
    expect(() => durationFromJson(true)).toThrow();
  });
});
