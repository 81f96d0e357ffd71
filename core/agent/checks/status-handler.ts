import type { CheckStatus } from './check-definition.ts';

/**
 * Consul's StatusHandler: a probe's result changes the check's stored status only after
 * `successBeforePassing` consecutive non-critical results, or `failuresBeforeWarning` /
 * `failuresBeforeCritical` consecutive critical ones (a failure streak shows as warning first when
 * the warning threshold is lower). Until then the previous status stays.
 */
export class StatusHandler {
  private successes = 0;
  private failures = 0;

  constructor(
    private readonly successBeforePassing: number,
    private readonly failuresBeforeWarning: number,
    private readonly failuresBeforeCritical: number,
  ) {}

  /** Feeds one probe result; returns the status to store, or undefined to keep the previous one. */
  update(result: CheckStatus): CheckStatus | undefined {
    if (result !== 'critical') {
      this.failures = 0;
      this.successes++;
      return this.successes >= this.successBeforePassing ? result : undefined;
    }
    this.successes = 0;
    this.failures++;
    if (this.failures >= this.failuresBeforeCritical) return 'critical';
    if (this.failures >= this.failuresBeforeWarning) return 'warning';
    return undefined;
  }
}
