/**
 * Vivaldi network coordinates as hashicorp/serf's coordinate package computes them: a Euclidean
 * vector plus a height (access-link latency), an adjustment term and an error estimate. Distances
 * are in seconds on the wire and in milliseconds in our API.
 */
import type { Random } from '../../ports/random.ts';
import { DecodeError, decodeStruct, fieldArray, fieldNumber, GoMsgpackWriter, writeStruct } from '../codec/msgpack.ts';

/** serf/coordinate's Config. */
export interface CoordinateConfig {
  dimensionality: number;
  vivaldiErrorMax: number;
  vivaldiCE: number;
  vivaldiCC: number;
  adjustmentWindowSize: number;
  heightMin: number;
  latencyFilterSize: number;
  gravityRho: number;
}

/** serf/coordinate's DefaultConfig. */
export function defaultCoordinateConfig(): CoordinateConfig {
  return {
    dimensionality: 8,
    vivaldiErrorMax: 1.5,
    vivaldiCE: 0.25,
    vivaldiCC: 0.25,
    adjustmentWindowSize: 20,
    heightMin: 10.0e-6,
    latencyFilterSize: 3,
    gravityRho: 150.0,
  };
}

export interface Coordinate {
  vec: number[];
  error: number;
  adjustment: number;
  height: number;
}

const ZERO_THRESHOLD = 1.0e-6;

export function newCoordinate(config: CoordinateConfig): Coordinate {
  return { vec: new Array(config.dimensionality).fill(0), error: config.vivaldiErrorMax, adjustment: 0, height: config.heightMin };
}

export function cloneCoordinate(c: Coordinate): Coordinate {
  return { vec: c.vec.slice(), error: c.error, adjustment: c.adjustment, height: c.height };
}

function valid(f: number): boolean {
  return Number.isFinite(f);
}

export function isValidCoordinate(c: Coordinate): boolean {
  return c.vec.every(valid) && valid(c.error) && valid(c.adjustment) && valid(c.height);
}

export function isCompatible(a: Coordinate, b: Coordinate): boolean {
  return a.vec.length === b.vec.length;
}

function magnitude(v: number[]): number {
  let sum = 0;
  for (const x of v) sum += x * x;
  return Math.sqrt(sum);
}

function diff(a: number[], b: number[]): number[] {
  return a.map((x, i) => x - (b[i] as number));
}

/** Unit vector from b to a and the distance; a random direction when they coincide. */
function unitVectorAt(a: number[], b: number[], random: Random): [number[], number] {
  const ret = diff(a, b);
  const mag = magnitude(ret);
  if (mag > ZERO_THRESHOLD) return [ret.map((x) => x / mag), mag];
  for (let i = 0; i < ret.length; i++) ret[i] = random.float() - 0.5;
  const mag2 = magnitude(ret);
  if (mag2 > ZERO_THRESHOLD) return [ret.map((x) => x / mag2), 0];
  const unit = new Array(ret.length).fill(0);
  unit[0] = 1;
  return [unit, 0];
}

/** Distance in seconds without the adjustment terms. */
export function rawDistance(a: Coordinate, b: Coordinate): number {
  return magnitude(diff(a.vec, b.vec)) + a.height + b.height;
}

/** Estimated RTT in seconds between two coordinates (Go's DistanceTo). */
export function distanceSeconds(a: Coordinate, b: Coordinate): number {
  if (!isCompatible(a, b)) throw new Error('coordinate dimensionality does not match');
  const dist = rawDistance(a, b);
  const adjusted = dist + a.adjustment + b.adjustment;
  // Go truncates to whole nanoseconds.
  return Math.trunc((adjusted > 0 ? adjusted : dist) * 1e9) / 1e9;
}

/** Estimated RTT in milliseconds between two nodes' coordinates. */
export function estimateRttMs(a: Coordinate, b: Coordinate): number {
  return distanceSeconds(a, b) * 1000;
}

export function applyForce(config: CoordinateConfig, c: Coordinate, force: number, other: Coordinate, random: Random): Coordinate {
  if (!isCompatible(c, other)) throw new Error('coordinate dimensionality does not match');
  const ret = cloneCoordinate(c);
  const [unit, mag] = unitVectorAt(c.vec, other.vec, random);
  ret.vec = ret.vec.map((x, i) => x + (unit[i] as number) * force);
  if (mag > ZERO_THRESHOLD) {
    ret.height = ((ret.height + other.height) * force) / mag + ret.height;
    ret.height = Math.max(ret.height, config.heightMin);
  }
  return ret;
}

/** Go's Coordinate as msgpack: {Vec, Error, Adjustment, Height}, floats always float64. */
export function writeCoordinate(w: GoMsgpackWriter, c: Coordinate): void {
  writeStruct(w, [
    [
      'Vec',
      (x) => {
        x.arrayHeader(c.vec.length);
        for (const v of c.vec) x.float64(v);
      },
    ],
    ['Error', (x) => x.float64(c.error)],
    ['Adjustment', (x) => x.float64(c.adjustment)],
    ['Height', (x) => x.float64(c.height)],
  ]);
}

export function decodeCoordinate(data: Uint8Array): Coordinate {
  const r = decodeStruct(data);
  const vec = fieldArray(r, 'Vec').map((v) => {
    if (typeof v !== 'number') throw new DecodeError('coordinate: Vec must hold numbers');
    return v;
  });
  return { vec, error: fieldNumber(r, 'Error'), adjustment: fieldNumber(r, 'Adjustment'), height: fieldNumber(r, 'Height') };
}

export { GoMsgpackWriter };
