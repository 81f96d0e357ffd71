/**
 * serf's coordinate Client: updates our Vivaldi coordinate from RTT observations of other nodes
 * (latency filter, Vivaldi step, adjustment window, gravity toward the origin).
 */
import type { Random } from '../../ports/random.ts';
import {
  applyForce,
  type Coordinate,
  type CoordinateConfig,
  cloneCoordinate,
  distanceSeconds,
  isCompatible,
  isValidCoordinate,
  newCoordinate,
  rawDistance,
} from './coordinate.ts';

/** Largest RTT serf accepts (10 s). */
const MAX_RTT_MS = 10_000;

export class CoordinateClient {
  private coord: Coordinate;
  private readonly origin: Coordinate;
  private adjustmentIndex = 0;
  private readonly adjustmentSamples: number[];
  private readonly latencyFilterSamples = new Map<string, number[]>();
  resets = 0;

  constructor(
    private readonly config: CoordinateConfig,
    private readonly random: Random,
  ) {
    if (!(config.dimensionality > 0)) throw new Error('dimensionality must be >0');
    this.coord = newCoordinate(config);
    this.origin = newCoordinate(config);
    this.adjustmentSamples = new Array(config.adjustmentWindowSize).fill(0);
  }

  getCoordinate(): Coordinate {
    return cloneCoordinate(this.coord);
  }

  setCoordinate(c: Coordinate): void {
    this.check(c);
    this.coord = cloneCoordinate(c);
  }

  forgetNode(node: string): void {
    this.latencyFilterSamples.delete(node);
  }

  private check(c: Coordinate): void {
    if (!isCompatible(this.coord, c)) throw new Error("dimensions aren't compatible");
    if (!isValidCoordinate(c)) throw new Error('coordinate is invalid');
  }

  /** Median of the last LatencyFilterSize samples for `node`. */
  private latencyFilter(node: string, rttSeconds: number): number {
    const samples = this.latencyFilterSamples.get(node) ?? [];
    samples.push(rttSeconds);
    if (samples.length > this.config.latencyFilterSize) samples.shift();
    this.latencyFilterSamples.set(node, samples);
    const sorted = samples.slice().sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  }

  private updateVivaldi(other: Coordinate, rttSecondsIn: number): void {
    const zeroThreshold = 1.0e-6;
    const dist = distanceSeconds(this.coord, other);
    const rttSeconds = Math.max(rttSecondsIn, zeroThreshold);
    const wrongness = Math.abs(dist - rttSeconds) / rttSeconds;
    const totalError = Math.max(this.coord.error + other.error, zeroThreshold);
    const weight = this.coord.error / totalError;
    this.coord.error = this.config.vivaldiCE * weight * wrongness + this.coord.error * (1.0 - this.config.vivaldiCE * weight);
    if (this.coord.error > this.config.vivaldiErrorMax) this.coord.error = this.config.vivaldiErrorMax;
    const delta = this.config.vivaldiCC * weight;
    const force = delta * (rttSeconds - dist);
    this.coord = applyForce(this.config, this.coord, force, other, this.random);
  }

  private updateAdjustment(other: Coordinate, rttSeconds: number): void {
    if (this.config.adjustmentWindowSize === 0) return;
    const dist = rawDistance(this.coord, other);
    this.adjustmentSamples[this.adjustmentIndex] = rttSeconds - dist;
    this.adjustmentIndex = (this.adjustmentIndex + 1) % this.config.adjustmentWindowSize;
    let sum = 0;
    for (const s of this.adjustmentSamples) sum += s;
    this.coord.adjustment = sum / (2.0 * this.config.adjustmentWindowSize);
  }

  private updateGravity(): void {
    const dist = distanceSeconds(this.origin, this.coord);
    const force = -1.0 * (dist / this.config.gravityRho) ** 2;
    this.coord = applyForce(this.config, this.coord, force, this.origin, this.random);
  }

  /** Go's Update: folds in one RTT observation of `node` at coordinate `other`. Throws on bad input. */
  update(node: string, other: Coordinate, rttMs: number): Coordinate {
    this.check(other);
    if (!(rttMs >= 0) || rttMs > MAX_RTT_MS) throw new Error(`round trip time not in valid range: ${rttMs} ms`);
    // Go works in whole nanoseconds.
    const rttSeconds = this.latencyFilter(node, Math.round(rttMs * 1e6) / 1e9);
    this.updateVivaldi(other, rttSeconds);
    this.updateAdjustment(other, rttSeconds);
    this.updateGravity();
    if (!isValidCoordinate(this.coord)) {
      this.resets++;
      this.coord = newCoordinate(this.config);
    }
    return cloneCoordinate(this.coord);
  }

  /** Estimated RTT from us to `other`, in ms. */
  distanceToMs(other: Coordinate): number {
    return distanceSeconds(this.coord, other) * 1000;
  }
}
