import type { NodeInfo } from '../agent/server/endpoints/internal.ts';

/** One row of `/v1/internal/ui/services` (agent/ui_endpoint.go ServiceListingSummary, OSS fields). */
export interface ServiceListingSummary {
  Kind?: string;
  Name: string;
  Datacenter: string;
  Tags: string[];
  Nodes: string[];
  ExternalSources: string[];
  InstanceCount: number;
  ChecksPassing: number;
  ChecksWarning: number;
  ChecksCritical: number;
  GatewayConfig: Record<string, never>;
  TransparentProxy: boolean;
  ConnectNative: boolean;
  ConnectedWithProxy: boolean;
  ConnectedWithGateway: boolean;
}

/**
 * Consul's summarizeServices: one row per service name with its instances, the nodes they run on,
 * distinct tags and external sources (service meta `external-source`), and the checks of every
 * instance counted by status — node-level checks count once per instance, as in Consul. Sorted by
 * name.
 */
export function summarizeServices(dump: readonly NodeInfo[], datacenter: string): ServiceListingSummary[] {
  const byName = new Map<string, ServiceListingSummary>();
  for (const node of dump) {
    for (const svc of node.Services) {
      let sum = byName.get(svc.Service);
      if (!sum) {
        sum = {
          Name: svc.Service,
          Datacenter: node.Datacenter || datacenter,
          Tags: [],
          Nodes: [],
          ExternalSources: [],
          InstanceCount: 0,
          ChecksPassing: 0,
          ChecksWarning: 0,
          ChecksCritical: 0,
          GatewayConfig: {},
          TransparentProxy: false,
          ConnectNative: false,
          ConnectedWithProxy: false,
          ConnectedWithGateway: false,
        };
        if (svc.Kind) sum.Kind = svc.Kind;
        byName.set(svc.Service, sum);
      }
      sum.InstanceCount += 1;
      if (!sum.Nodes.includes(node.Node)) sum.Nodes.push(node.Node);
      for (const tag of svc.Tags ?? []) if (!sum.Tags.includes(tag)) sum.Tags.push(tag);
      const source = svc.Meta?.['external-source'];
      if (source && !sum.ExternalSources.includes(source)) sum.ExternalSources.push(source);
      for (const check of node.Checks) {
        if (check.ServiceID !== '' && check.ServiceID !== svc.ID) continue;
        if (check.Status === 'passing') sum.ChecksPassing += 1;
        else if (check.Status === 'warning') sum.ChecksWarning += 1;
        else sum.ChecksCritical += 1;
      }
    }
  }
  return [...byName.values()].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}
