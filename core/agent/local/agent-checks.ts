import type { TimeSource } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import { type CheckDefinition, type CheckStatus, checkKind } from '../checks/check-definition.ts';
import { AliasCheck, type AliasRpc } from '../checks/alias-check.ts';
import { type CheckProbe, IntervalCheck, isIntervalCheck, TtlCheck } from '../checks/check-runner.ts';
import type { LocalState } from './local-state.ts';

/**
 * Runs the agent's checks: one runner per check (interval probe, TTL or alias), reporting into the
 * local state. Also the critical-service reaper (deregister_critical_service_after).
 */
export class AgentChecks {
  private readonly runners = new Map<string, IntervalCheck | TtlCheck | AliasCheck>();
  private readonly criticalSince = new Map<string, number>();

  constructor(
    private readonly local: LocalState,
    private readonly time: TimeSource,
    private readonly random: Random,
    private readonly probe: CheckProbe | undefined,
    private readonly rpc?: AliasRpc,
  ) {}

  /** Starts (or restarts) the runner of a check already in the local state. */
  start(d: CheckDefinition): void {
    this.stop(d.CheckID);
    const notify = (id: string, status: CheckStatus, output: string) => this.report(id, status, output);
    const kind = checkKind(d);
    if (kind === 'ttl') this.runners.set(d.CheckID, new TtlCheck(d, notify, this.time));
    else if (kind === 'alias') this.runners.set(d.CheckID, new AliasCheck(d, notify, this.local, this.rpc, this.time));
    else if (isIntervalCheck(d) && this.probe) this.runners.set(d.CheckID, new IntervalCheck(d, this.probe, notify, this.time, this.random));
    this.track(d.CheckID, this.local.checks.get(d.CheckID)?.status ?? d.Status);
  }

  stop(id: string): void {
    this.runners.get(id)?.stop();
    this.runners.delete(id);
    this.criticalSince.delete(id);
  }

  stopAll(): void {
    for (const id of [...this.runners.keys()]) this.stop(id);
  }

  /** A TTL update from /v1/agent/check/pass|warn|fail|update. False if it is not a TTL check. */
  updateTtl(id: string, status: CheckStatus, output: string): boolean {
    const runner = this.runners.get(id);
    if (!(runner instanceof TtlCheck)) return false;
    runner.update(status, output);
    return true;
  }

  private report(id: string, status: CheckStatus, output: string): void {
    this.local.updateCheck(id, status, output);
    this.track(id, status);
  }

  private track(id: string, status: CheckStatus): void {
    if (status !== 'critical') this.criticalSince.delete(id);
    else if (!this.criticalSince.has(id)) this.criticalSince.set(id, this.time.now());
  }

  /** Services whose check has been critical longer than its deregister_critical_service_after. */
  criticalServicesToReap(): string[] {
    const now = this.time.now();
    const out = new Set<string>();
    for (const [id, since] of this.criticalSince) {
      const d = this.local.checks.get(id)?.definition;
      if (!d?.ServiceID || d.DeregisterCriticalServiceAfterNs <= 0) continue;
      const after = Math.max(d.DeregisterCriticalServiceAfterNs / 1e6, 60_000);
      if (now - since > after) out.add(d.ServiceID);
    }
    return [...out];
  }
}
