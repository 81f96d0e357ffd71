import type { TimerHandle, Timers } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import { type CheckDefinition, type CheckStatus, MIN_INTERVAL_NS, checkKind } from './check-definition.ts';
import { StatusHandler } from './status-handler.ts';

/** A probe's verdict and the output to record. */
export interface ProbeResult {
  status: CheckStatus;
  output: string;
}

/**
 * Runs one active probe (HTTP, TCP, UDP, script, gRPC, ...). Implemented by the runtime: Node's in
 * server/checks, a simulated one in tests and the lab. Must call `done` exactly once, within
 * roughly the check's timeout.
 */
export type CheckProbe = (definition: CheckDefinition, done: (result: ProbeResult) => void) => void;

/** Where a runner reports status changes (the agent's local state). */
export type CheckNotify = (checkID: string, status: CheckStatus, output: string) => void;

/** Truncates output to `max` bytes of UTF-16 code units, marking the cut as Consul does. */
export function truncateOutput(output: string, max: number): string {
  if (output.length <= max) return output;
  return `${output.slice(0, max)}\n\n... (captured ${max} of ${output.length} bytes)`;
}

/**
 * Schedules one interval-based check: the first run after a random stagger within the interval
 * (so a restarted agent does not probe everything at once), then every interval. Each result goes
 * through the StatusHandler thresholds before it is reported.
 */
export class IntervalCheck {
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly handler: StatusHandler;
  private readonly intervalMs: number;

  constructor(
    private readonly definition: CheckDefinition,
    private readonly probe: CheckProbe,
    private readonly notify: CheckNotify,
    private readonly timers: Timers,
    random: Random,
  ) {
    this.handler = new StatusHandler(
      definition.SuccessBeforePassing,
      definition.FailuresBeforeWarning,
      definition.FailuresBeforeCritical,
    );
    this.intervalMs = Math.max(definition.IntervalNs, MIN_INTERVAL_NS) / 1e6;
    this.schedule(random.float() * this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimer(delayMs, () => this.run());
  }

  private run(): void {
    this.probe(this.definition, (result) => {
      if (this.stopped) return;
      const status = this.handler.update(result.status);
      if (status !== undefined) {
        this.notify(this.definition.CheckID, status, truncateOutput(result.output, this.definition.OutputMaxSize));
      }
      this.schedule(this.intervalMs);
    });
  }
}

/**
 * A TTL check: passive; `update` records a status and restarts the timer; if no update arrives
 * within the TTL the check goes critical with Consul's `TTL expired` output.
 */
export class TtlCheck {
  private timer: TimerHandle | undefined;
  private lastOutput = '';
  private stopped = false;

  constructor(
    private readonly definition: CheckDefinition,
    private readonly notify: CheckNotify,
    private readonly timers: Timers,
  ) {
    this.arm();
  }

  update(status: CheckStatus, output: string): void {
    if (this.stopped) return;
    this.lastOutput = truncateOutput(output, this.definition.OutputMaxSize);
    this.notify(this.definition.CheckID, status, this.lastOutput);
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private arm(): void {
    this.timer?.cancel();
    this.timer = this.timers.setTimer(this.definition.TTLNs / 1e6, () => {
      if (this.stopped) return;
      const output = this.lastOutput
        ? `TTL expired (last output before timeout follows): ${this.lastOutput}`
        : 'TTL expired';
      this.notify(this.definition.CheckID, 'critical', output);
    });
  }
}

/** True for checks that run a probe on an interval (everything but TTL and alias). */
export function isIntervalCheck(d: CheckDefinition): boolean {
  const kind = checkKind(d);
  return kind !== 'ttl' && kind !== 'alias' && kind !== '';
}
