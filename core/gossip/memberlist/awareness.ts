/**
 * Lifeguard's local health awareness (memberlist awareness.go): a score in [0, max-1] that grows
 * when this node misses acks or has to refute, shrinks on successful probes, and stretches probe
 * intervals and timeouts by (score + 1) so that a slow node stops accusing healthy peers.
 */
export class Awareness {
  private score = 0;

  constructor(private readonly max: number) {}

  /** Adds `delta`, clamped to [0, max-1]. Returns the new score. */
  applyDelta(delta: number): number {
    this.score = Math.min(this.max - 1, Math.max(0, this.score + delta));
    return this.score;
  }

  getHealthScore(): number {
    return this.score;
  }

  /** `timeout * (score + 1)`. */
  scaleTimeout(timeoutMs: number): number {
    return timeoutMs * (this.score + 1);
  }
}
