/** Builders of Consul JSON values for the view-model unit tests (shapes as in reference §1.4). */
import type { HealthCheck, HealthStatus, NodeInfo, ServiceEntry, ServiceListingSummary } from './types.ts';

export function check(status: HealthStatus, over: Partial<HealthCheck> = {}): HealthCheck {
  return {
    Node: 'n1',
    CheckID: `check-${status}`,
    Name: `check ${status}`,
    Status: status,
    Notes: '',
    Output: '',
    ServiceID: '',
    ServiceName: '',
    ServiceTags: [],
    Type: 'ttl',
    CreateIndex: 1,
    ModifyIndex: 1,
    ...over,
  };
}

export function summary(name: string, over: Partial<ServiceListingSummary> = {}): ServiceListingSummary {
  return {
    Name: name,
    Datacenter: 'dc1',
    Tags: [],
    Nodes: ['n1'],
    ExternalSources: [],
    InstanceCount: 1,
    ChecksPassing: 1,
    ChecksWarning: 0,
    ChecksCritical: 0,
    ...over,
  };
}

export function nodeInfo(name: string, address: string, checks: HealthCheck[], over: Partial<NodeInfo> = {}): NodeInfo {
  return { ID: '', Node: name, Address: address, Datacenter: 'dc1', TaggedAddresses: {}, Meta: {}, Services: [], Checks: checks, ...over };
}

export function entry(node: string, id: string, checks: HealthCheck[], over: Partial<ServiceEntry['Service']> = {}): ServiceEntry {
  return {
    Node: { ID: '', Node: node, Address: '10.0.0.1', Datacenter: 'dc1', TaggedAddresses: {}, Meta: {} },
    Service: { ID: id, Service: 'web', Tags: [], Address: '', Meta: {}, Port: 8080, ...over },
    Checks: checks,
  };
}
