import type { TimerHandle, Timers } from '../../ports/clock.ts';
import type { HealthCheck, NodeService } from '../../state/types.ts';
import type { LocalState } from '../local/local-state.ts';
import type { QueryReply } from '../server/rpc-types.ts';
import type { CheckDefinition, CheckStatus } from './check-definition.ts';
import type { CheckNotify } from './check-runner.ts';

/** The agent's RPC, as an alias check needs it for a remote node. */
export type AliasRpc = (method: string, args: Record<string, unknown>) => Promise<unknown>;

/** Consul's alias check blocks for up to a minute per query (checks/alias.go). */
const ALIAS_QUERY_TIME_MS = 60_000;
/** Wait between failed queries, so a server outage does not become a busy loop. */
const ALIAS_RETRY_MS = 1_000;

/** The fields of a check the alias verdict reads. */
type AliasedCheck = Pick<HealthCheck, 'Node' | 'CheckID' | 'Name' | 'ServiceID' | 'Status' | 'Output'>;

/**
 * Consul's alias verdict (checks/alias.go processChecks): the worst status of the aliased
 * service's checks and of its node's node-level checks; critical ends the scan at once, a warning
 * may still be overtaken by a critical. An aliased service with no checks that does not exist is
 * critical.
 */
export function aliasVerdict(
  alias: { node: string; serviceID: string; selfCheckID: string },
  checks: AliasedCheck[],
  serviceExists: boolean,
): { status: CheckStatus; output: string } {
  let status: CheckStatus = 'passing';
  let output = 'No checks found.';
  let serviceFound = false;
  for (const c of checks) {
    if (c.CheckID === alias.selfCheckID && (alias.node === '' || c.Node === alias.node)) continue;
    if (alias.node !== '' && c.Node !== alias.node) continue;
    const serviceMatch = alias.serviceID !== '' && c.ServiceID === alias.serviceID;
    if (c.ServiceID !== '' && !serviceMatch) continue;
    if (serviceMatch) serviceFound = true;
    if (c.Status === 'critical' || c.Status === 'warning') {
      status = c.Status;
      output = `Aliased check "${c.Name}" failing: ${c.Output}`;
      if (c.Status === 'critical') break;
    } else if (status === 'passing') {
      output = 'All checks passing.';
    }
  }
  if (!serviceFound && alias.serviceID !== '' && !serviceExists) {
    return { status: 'critical', output: `Service ${alias.serviceID} could not be found on node ${alias.node}` };
  }
  return { status, output };
}

/**
 * An alias check: mirrors the health of another service or node. Without `AliasNode` it watches
 * this agent's own local state; with one it long-polls `Health.NodeChecks` for that node through
 * the servers (stale reads allowed, as Consul does), and reports a failure to reach them as
 * critical from the second consecutive error on.
 */
export class AliasCheck {
  private stopped = false;
  private unsubscribe: (() => void) | undefined;
  private timer: TimerHandle | undefined;
  private lastIndex = 0;
  private failures = 0;

  constructor(
    private readonly definition: CheckDefinition,
    private readonly notify: CheckNotify,
    private readonly local: LocalState,
    private readonly rpc: AliasRpc | undefined,
    private readonly timers: Timers,
  ) {
    if (definition.AliasNode === '') {
      this.unsubscribe = local.onChange(() => this.evaluateLocal());
      this.evaluateLocal();
    } else {
      this.query();
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.timer?.cancel();
  }

  private alias() {
    return { node: this.definition.AliasNode, serviceID: this.definition.AliasService, selfCheckID: this.definition.CheckID };
  }

  private evaluateLocal(): void {
    if (this.stopped) return;
    const checks = [...this.local.checks.values()].map((c) => ({
      Node: '',
      CheckID: c.definition.CheckID,
      Name: c.definition.Name,
      ServiceID: c.definition.ServiceID,
      Status: c.status,
      Output: c.output,
    }));
    const v = aliasVerdict(this.alias(), checks, this.local.services.has(this.definition.AliasService));
    this.notify(this.definition.CheckID, v.status, v.output);
  }

  private query(): void {
    if (this.stopped) return;
    const rpc = this.rpc;
    if (!rpc) return this.notify(this.definition.CheckID, 'critical', 'Failure checking aliased node or service: no RPC available');
    const Query = { MinQueryIndex: this.lastIndex, MaxQueryTimeMs: ALIAS_QUERY_TIME_MS, Mode: 'stale' };
    rpc('Health.NodeChecks', { Node: this.definition.AliasNode, Query })
      .then(async (reply) => {
        const r = reply as QueryReply<HealthCheck[]>;
        this.failures = 0;
        this.lastIndex = r.Index < this.lastIndex ? 0 : r.Index;
        const exists = await this.serviceExists(rpc, r.Value);
        if (this.stopped) return;
        const v = aliasVerdict(this.alias(), r.Value, exists);
        this.notify(this.definition.CheckID, v.status, v.output);
        this.query();
      })
      .catch((e: unknown) => {
        if (this.stopped) return;
        if (++this.failures > 1) this.notify(this.definition.CheckID, 'critical', `Failure checking aliased node or service: ${(e as Error).message}`);
        this.timer = this.timers.setTimer(ALIAS_RETRY_MS, () => this.query());
      });
  }

  /** Only asked when the service has no checks of its own: does it exist on the aliased node? */
  private async serviceExists(rpc: AliasRpc, checks: HealthCheck[]): Promise<boolean> {
    const id = this.definition.AliasService;
    if (id === '' || checks.some((c) => c.ServiceID === id)) return true;
    const reply = (await rpc('Catalog.NodeServices', { Node: this.definition.AliasNode, Query: { Mode: 'stale' } })) as QueryReply<{ Services?: Record<string, NodeService> } | null>;
    return reply.Value?.Services?.[id] !== undefined;
  }
}
