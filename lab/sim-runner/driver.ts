import { type LabRunner, QUANTUM_MS } from './lab-runner.ts';

/** The speeds the lab offers, from a tenth of real time to a hundred times faster. */
export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100] as const;

/**
 * Longest stretch of simulation per frame, so the page stays responsive at 100x on a slow machine
 * and a frame (simulation plus drawing) fits in 33 ms, i.e. 30 frames per second.
 */
const FRAME_BUDGET_MS = 20;
/**
 * Debt kept for later frames, in wall milliseconds: a frame that runs late (a redraw of the panels,
 * a garbage collection) is caught up over the next frames instead of being lost, so a machine that
 * keeps up on average plays at the speed asked for. Beyond this, a slow machine runs slower.
 */
const MAX_DEBT_WALL_MS = 500;

/**
 * Plays a LabRunner against the browser's frames: each animation frame adds `wall delta × speed`
 * of virtual time to a debt and pays it in whole quanta while the frame budget lasts (a debt of
 * more than half a second of wall time is dropped, so a slow machine runs slower rather than freezing). Virtual time only
 * ever moves in whole quanta, so what happens depends on the seed and the actions, not the frame rate.
 */
export class LabDriver {
  speed = 1;
  private playingFlag = false;
  private debt = 0;
  private lastFrame: number | undefined;
  private raf: number | undefined;
  private busy = false;
  private readonly listeners = new Set<() => void>();
  /** Stop playing when virtual time reaches this (from `?until=ms`, for exact replays). */
  untilMs: number | undefined;
  /** Frames drawn and virtual ms advanced in the last second (for the status bar). */
  fps = 0;
  effectiveSpeed = 0;
  private frames = 0;
  private advancedMs = 0;
  private windowStart = 0;

  constructor(readonly runner: LabRunner) {}

  get playing(): boolean {
    return this.playingFlag;
  }

  /** Starts the frame loop (views redraw on every frame even while paused). */
  start(): void {
    if (this.raf !== undefined) return;
    const frame = (t: number) => {
      this.raf = requestAnimationFrame(frame);
      void this.onFrame(t);
    };
    this.raf = requestAnimationFrame(frame);
  }

  stop(): void {
    if (this.raf !== undefined) cancelAnimationFrame(this.raf);
    this.raf = undefined;
  }

  play(): void {
    if (this.untilMs !== undefined && this.runner.now >= this.untilMs) return;
    this.playingFlag = true;
    this.notify();
  }

  pause(): void {
    this.playingFlag = false;
    this.debt = 0;
    this.notify();
  }

  /** While paused: advance by `ms` of virtual time (default one quantum). */
  async step(ms = QUANTUM_MS): Promise<void> {
    if (this.playingFlag) return;
    await this.runner.advance(this.clip(ms));
    this.notify();
  }

  setSpeed(speed: number): void {
    if (!(speed >= 0.1 && speed <= 100)) throw new Error(`speed must be between 0.1 and 100, got ${speed}`);
    this.speed = speed;
    this.notify();
  }

  /** Called after every frame's work: views redraw. Returns an unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private clip(ms: number): number {
    if (this.untilMs === undefined) return ms;
    return Math.max(0, Math.min(ms, this.untilMs - this.runner.now));
  }

  private async onFrame(t: number): Promise<void> {
    const dt = this.lastFrame === undefined ? 0 : Math.min(100, t - this.lastFrame);
    this.lastFrame = t;
    this.frames++;
    if (t - this.windowStart >= 1000) {
      this.fps = (this.frames * 1000) / (t - this.windowStart);
      this.effectiveSpeed = this.advancedMs / (t - this.windowStart);
      this.frames = 0;
      this.advancedMs = 0;
      this.windowStart = t;
    }
    if (this.playingFlag) this.debt += dt * this.speed;
    if (this.busy) return;
    if (this.playingFlag) {
      this.busy = true;
      try {
        const started = performance.now();
        while (this.debt >= QUANTUM_MS && performance.now() - started < FRAME_BUDGET_MS) {
          const ms = this.clip(QUANTUM_MS);
          if (ms <= 0) {
            this.playingFlag = false;
            break;
          }
          await this.runner.advance(ms);
          this.debt -= QUANTUM_MS;
          this.advancedMs += ms;
        }
        // Debt beyond half a second of wall time is dropped: run slower, never freeze.
        this.debt = Math.min(this.debt, Math.max(QUANTUM_MS * 4, this.speed * MAX_DEBT_WALL_MS));
      } finally {
        this.busy = false;
      }
    }
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
