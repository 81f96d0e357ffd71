import type { TimerHandle, TimeSource } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Random } from '../../ports/random.ts';
import type { CheckInput, RegisterRequest } from '../../state/catalog.ts';
import type { HealthCheck, Node, NodeService } from '../../state/types.ts';
import { formatGoDuration } from '../../lib/duration.ts';
import { checkKind } from '../checks/check-definition.ts';
import type { LocalCheck, LocalState } from './local-state.ts';
import type { ServiceDefinition } from './service-definition.ts';

/** The node this agent registers as. */
export interface NodeInfo {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  Meta: Record<string, string>;
}

/** How anti-entropy reaches the servers: an RPC that resolves or rejects with the error text. */
export type SyncRpc = (method: string, args: Record<string, unknown>) => Promise<unknown>;

/** Checks the servers own on every node; anti-entropy never removes them. */
const SERVER_MANAGED = new Set(['serfHealth']);

/**
 * Consul's ae_interval scaled by cluster size (agent/ae/ae.go scaleFactor): 1x up to 128 nodes,
 * then one more interval per doubling.
 */
export function scaledInterval(baseMs: number, nodes: number): number {
  if (nodes <= 128) return baseMs;
  return baseMs * (Math.ceil(Math.log2(nodes) - Math.log2(128)) + 1);
}

/** The catalog form of a local service. */
export function toNodeService(s: ServiceDefinition): Omit<NodeService, 'CreateIndex' | 'ModifyIndex'> {
  return {
    ...(s.Kind ? { Kind: s.Kind } : {}),
    ID: s.ID,
    Service: s.Service,
    Tags: s.Tags,
    Address: s.Address,
    ...(Object.keys(s.TaggedAddresses).length > 0 ? { TaggedAddresses: s.TaggedAddresses } : {}),
    Meta: s.Meta,
    Port: s.Port,
    Weights: s.Weights,
    EnableTagOverride: s.EnableTagOverride,
  };
}

/** The catalog form of a local check. */
export function toHealthCheck(node: string, c: LocalCheck): CheckInput {
  const d = c.definition;
  return {
    Node: node,
    CheckID: d.CheckID,
    Name: d.Name,
    Status: c.status,
    Notes: d.Notes,
    Output: c.output,
    ServiceID: d.ServiceID,
    Type: checkKind(d),
    Interval: d.IntervalNs > 0 ? formatGoDuration(d.IntervalNs) : '',
    Timeout: d.TimeoutNs > 0 ? formatGoDuration(d.TimeoutNs) : '',
  };
}

function sameService(local: ServiceDefinition, remote: NodeService): boolean {
  const tagsMatch = local.EnableTagOverride || JSON.stringify(local.Tags) === JSON.stringify(remote.Tags);
  return (
    tagsMatch &&
    local.Service === remote.Service &&
    local.Address === remote.Address &&
    local.Port === remote.Port &&
    JSON.stringify(local.Meta) === JSON.stringify(remote.Meta) &&
    local.Weights.Passing === remote.Weights?.Passing &&
    local.Weights.Warning === remote.Weights?.Warning &&
    local.EnableTagOverride === remote.EnableTagOverride &&
    (local.Kind || '') === (remote.Kind || '')
  );
}

function sameCheck(local: LocalCheck, remote: HealthCheck, includeOutput: boolean): boolean {
  return (
    local.status === remote.Status &&
    local.definition.Name === remote.Name &&
    local.definition.Notes === remote.Notes &&
    local.definition.ServiceID === remote.ServiceID &&
    (!includeOutput || local.output === remote.Output)
  );
}

/**
 * Anti-entropy (agent/local/state.go SyncFull/SyncChanges): makes the catalog's view of this node
 * equal the agent's. Runs at once on local changes and every `ae_interval` (scaled); a failed sync
 * is logged and retried on the next run. Services and checks the agent does not know are removed
 * from the catalog, except server-managed ones (serfHealth) and, on servers, the `consul` service.
 */
export class AntiEntropy {
  private timer: TimerHandle | undefined;
  private pending: TimerHandle | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  private readonly unsubscribe: () => void;
  /** Syncs completed (for tests and the lab). */
  syncs = 0;

  constructor(
    private readonly local: LocalState,
    private readonly node: () => NodeInfo,
    private readonly rpc: SyncRpc,
    private readonly time: TimeSource,
    private readonly random: Random,
    private readonly log: Logger,
    private readonly options: { intervalMs: number; keepServices: string[]; clusterSize: () => number },
  ) {
    this.unsubscribe = local.onChange(() => this.trigger());
  }

  start(): void {
    // First full sync after a random stagger, so a restarted cluster does not sync all at once.
    this.schedule(this.random.float() * Math.min(this.options.intervalMs, 5000));
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    this.timer?.cancel();
    this.pending?.cancel();
  }

  /** A local change: sync soon (coalescing a burst of changes into one sync). */
  trigger(): void {
    if (this.stopped || this.pending) return;
    this.pending = this.time.setTimer(0, () => {
      this.pending = undefined;
      void this.sync();
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = this.time.setTimer(delayMs, () => {
      void this.sync().finally(() => this.schedule(scaledInterval(this.options.intervalMs, this.options.clusterSize())));
    });
  }

  /** One full sync. Concurrent requests run once more after the current one. */
  async sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      await this.syncOnce();
      this.syncs++;
    } catch (e) {
      this.log.log('warn', 'Syncing node info failed, will retry', { error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.running = false;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.sync();
      }
    }
  }

  private async syncOnce(): Promise<void> {
    const node = this.node();
    const remote = (await this.rpc('Catalog.NodeServices', { Node: node.Node, Query: { Mode: 'stale' } })) as { Value: { Node: Node; Services: Record<string, NodeService> } | null };
    const remoteChecks = (await this.rpc('Health.NodeChecks', { Node: node.Node, Query: { Mode: 'stale' } })) as { Value: HealthCheck[] };
    const services = remote.Value?.Services ?? {};
    const checks = new Map(remoteChecks.Value.map((c) => [c.CheckID, c]));
    const nodeOk = remote.Value !== null && this.sameNode(node, remote.Value.Node);
    const base = { ID: node.ID, Node: node.Node, Address: node.Address, Datacenter: node.Datacenter, TaggedAddresses: node.TaggedAddresses, NodeMeta: node.Meta };
    if (!nodeOk) await this.register({ ...base });
    for (const [id, svc] of this.local.services) {
      const remoteSvc = services[id];
      const mine = this.local.checksOf(id);
      const checksOk = mine.every((c) => {
        const r = checks.get(c.definition.CheckID);
        return r !== undefined && sameCheck(c, r, true);
      });
      if (remoteSvc && sameService(svc, remoteSvc) && checksOk) continue;
      const service = toNodeService(svc);
      if (svc.EnableTagOverride && remoteSvc) service.Tags = remoteSvc.Tags;
      await this.register({ ...base, SkipNodeUpdate: true, Service: service, Checks: mine.map((c) => toHealthCheck(node.Node, c)) });
      for (const c of mine) c.outputDirty = false;
    }
    for (const c of this.local.checks.values()) {
      if (c.definition.ServiceID) continue;
      const r = checks.get(c.definition.CheckID);
      if (r && sameCheck(c, r, true)) continue;
      await this.register({ ...base, SkipNodeUpdate: true, Check: toHealthCheck(node.Node, c) });
      c.outputDirty = false;
    }
    for (const id of Object.keys(services)) {
      if (!this.local.services.has(id) && !this.options.keepServices.includes(id)) {
        await this.rpc('Catalog.Deregister', { Deregister: { Node: node.Node, ServiceID: id } });
      }
    }
    for (const id of checks.keys()) {
      if (!this.local.checks.has(id) && !SERVER_MANAGED.has(id) && !this.serviceGone(id, checks, services)) {
        await this.rpc('Catalog.Deregister', { Deregister: { Node: node.Node, CheckID: id } });
      }
    }
  }

  /** A check of a service being deregistered goes with its service. */
  private serviceGone(id: string, checks: Map<string, HealthCheck>, services: Record<string, NodeService>): boolean {
    const svc = checks.get(id)?.ServiceID;
    return svc !== undefined && svc !== '' && services[svc] !== undefined && !this.local.services.has(svc) && !this.options.keepServices.includes(svc);
  }

  private sameNode(local: NodeInfo, remote: Node): boolean {
    return (
      remote.Address === local.Address &&
      remote.ID === local.ID &&
      JSON.stringify(remote.TaggedAddresses) === JSON.stringify(local.TaggedAddresses) &&
      JSON.stringify(remote.Meta) === JSON.stringify(local.Meta)
    );
  }

  private async register(req: RegisterRequest): Promise<void> {
    await this.rpc('Catalog.Register', { Register: req });
  }
}
