import type { NodeInfo } from '../state/node-dump.ts';
import type { HealthCheck } from '../state/types.ts';

/**
 * The dashboard's aggregates (agent/ui_endpoint.go summarizeServices, agent/consul/
 * internal_endpoint.go getCatalogOverview), computed from a node dump.
 */

/** One row of `/v1/internal/ui/services` (structs.ServiceListingSummary, OSS fields). */
export interface ServiceListingSummary {
  Kind?: string;
  Name: string;
  Datacenter: string;
  Tags: string[] | null;
  Nodes: string[] | null;
  ExternalSources: string[] | null;
  InstanceCount: number;
  ChecksPassing: number;
  ChecksWarning: number;
  ChecksCritical: number;
  GatewayConfig: Record<string, unknown>;
  TransparentProxy: boolean;
  ConnectNative: boolean;
  ConnectedWithProxy: boolean;
  ConnectedWithGateway: boolean;
}

const pushUnique = (list: string[] | null, v: string): string[] => {
  const out = list ?? [];
  if (!out.includes(v)) out.push(v);
  return out;
};

/**
 * Groups instances by (kind, name). Checks are counted once per node and check ID for a service,
 * so a node check shared by two instances of one service counts once, as in Consul.
 */
export function summarizeServices(dump: readonly NodeInfo[], datacenter: string): ServiceListingSummary[] {
  const byName = new Map<string, ServiceListingSummary & { checks: Map<string, string> }>();
  const proxied = new Set<string>();
  for (const node of dump) {
    for (const svc of node.Services) {
      if (svc.Kind === 'connect-proxy' && typeof svc.Proxy?.DestinationServiceName === 'string') proxied.add(svc.Proxy.DestinationServiceName);
      const key = `${svc.Kind ?? ''}/${svc.Service}`;
      let sum = byName.get(key);
      if (!sum) {
        sum = {
          ...(svc.Kind ? { Kind: svc.Kind } : {}),
          Name: svc.Service,
          Datacenter: datacenter,
          Tags: null,
          Nodes: null,
          ExternalSources: null,
          InstanceCount: 0,
          ChecksPassing: 0,
          ChecksWarning: 0,
          ChecksCritical: 0,
          GatewayConfig: {},
          TransparentProxy: false,
          ConnectNative: svc.Connect?.Native === true,
          ConnectedWithProxy: false,
          ConnectedWithGateway: false,
          checks: new Map(),
        };
        byName.set(key, sum);
      }
      sum.InstanceCount++;
      for (const t of svc.Tags ?? []) sum.Tags = pushUnique(sum.Tags, t);
      sum.Nodes = pushUnique(sum.Nodes, node.Node);
      const source = svc.Meta?.['external-source'];
      if (source) sum.ExternalSources = pushUnique(sum.ExternalSources, source);
      for (const c of node.Checks) {
        if (c.ServiceID !== '' && c.ServiceID !== svc.ID) continue;
        sum.checks.set(`${node.Node}/${c.CheckID}`, c.Status);
      }
    }
  }
  const out: ServiceListingSummary[] = [];
  for (const { checks, ...sum } of byName.values()) {
    for (const status of checks.values()) {
      if (status === 'passing') sum.ChecksPassing++;
      else if (status === 'warning') sum.ChecksWarning++;
      else if (status === 'critical') sum.ChecksCritical++;
    }
    sum.ConnectedWithProxy = proxied.has(sum.Name);
    out.push(sum);
  }
  return out.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : (a.Kind ?? '') < (b.Kind ?? '') ? -1 : 1));
}

/** structs.HealthSummary. */
export interface HealthSummary {
  Name?: string;
  Total: number;
  Passing: number;
  Warning: number;
  Critical: number;
}

const PRIORITY: Record<string, number> = { passing: 1, warning: 2, critical: 3 };

function add(sum: HealthSummary, status: string): void {
  sum.Total++;
  if (status === 'passing') sum.Passing++;
  else if (status === 'warning') sum.Warning++;
  else if (status === 'critical') sum.Critical++;
}

function worst(checks: readonly HealthCheck[]): string {
  let status = checks[0]?.Status ?? 'passing';
  for (const c of checks) if ((PRIORITY[c.Status] ?? 0) > (PRIORITY[status] ?? 0)) status = c.Status;
  return status;
}

const byName = (a: HealthSummary, b: HealthSummary) => ((a.Name ?? '') < (b.Name ?? '') ? -1 : (a.Name ?? '') > (b.Name ?? '') ? 1 : 0);

/**
 * getCatalogOverview: per check name the counts of its statuses; per service the instances by their
 * unhealthiest check; nodes (one row in OSS) by their unhealthiest node-level check.
 */
export function catalogOverview(checks: readonly HealthCheck[]): { Nodes: HealthSummary[]; Services: HealthSummary[]; Checks: HealthSummary[] } {
  const checkSums = new Map<string, HealthSummary>();
  const instances = new Map<string, HealthCheck[]>();
  const nodes = new Map<string, HealthCheck[]>();
  for (const c of checks) {
    let s = checkSums.get(c.Name);
    if (!s) checkSums.set(c.Name, (s = { Name: c.Name, Total: 0, Passing: 0, Warning: 0, Critical: 0 }));
    add(s, c.Status);
    const group = c.ServiceID !== '' ? instances : nodes;
    const key = c.ServiceID !== '' ? `${c.Node}/${c.ServiceID}` : c.Node;
    group.set(key, [...(group.get(key) ?? []), c]);
  }
  const services = new Map<string, HealthSummary>();
  for (const list of instances.values()) {
    const name = list[0]?.ServiceName ?? '';
    let s = services.get(name);
    if (!s) services.set(name, (s = { Name: name, Total: 0, Passing: 0, Warning: 0, Critical: 0 }));
    add(s, worst(list));
  }
  const nodeSum: HealthSummary = { Total: 0, Passing: 0, Warning: 0, Critical: 0 };
  for (const list of nodes.values()) add(nodeSum, worst(list));
  return {
    Nodes: nodeSum.Total > 0 ? [nodeSum] : [],
    Services: [...services.values()].sort(byName),
    Checks: [...checkSums.values()].sort(byName),
  };
}
