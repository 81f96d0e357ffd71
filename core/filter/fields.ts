/**
 * Top-level selectors each endpoint accepts in `?filter=` (api-docs filtering tables), for
 * `compileFilter(expr, { fields })` so that an unknown selector is rejected as go-bexpr does.
 */
const NODE = ['ID', 'Node', 'Address', 'Datacenter', 'TaggedAddresses', 'Meta', 'Partition', 'PeerName'];
const NODE_SERVICE = [
  'Kind', 'ID', 'Service', 'Tags', 'Address', 'TaggedAddresses', 'Meta', 'Port', 'SocketPath', 'Weights',
  'EnableTagOverride', 'Proxy', 'Connect', 'PeerName', 'Datacenter', 'Namespace', 'Partition',
];
const HEALTH_CHECK = [
  'Node', 'CheckID', 'Name', 'Status', 'Notes', 'Output', 'ServiceID', 'ServiceName', 'ServiceTags', 'Type',
  'Interval', 'Timeout', 'ExposedPort', 'Definition', 'Namespace', 'Partition', 'PeerName',
];
const CATALOG_SERVICE = [
  'ID', 'Node', 'Address', 'Datacenter', 'TaggedAddresses', 'NodeMeta', 'ServiceKind', 'ServiceID', 'ServiceName',
  'ServiceTags', 'ServiceAddress', 'ServiceTaggedAddresses', 'ServiceWeights', 'ServiceMeta', 'ServicePort',
  'ServiceSocketPath', 'ServiceEnableTagOverride', 'ServiceProxy', 'ServiceConnect', 'Namespace', 'Partition', 'PeerName',
];

export const FILTER_FIELDS = {
  catalogNodes: NODE,
  catalogService: CATALOG_SERVICE,
  catalogNodeServices: NODE_SERVICE,
  healthNode: HEALTH_CHECK,
  healthChecks: HEALTH_CHECK,
  healthState: HEALTH_CHECK,
  healthService: ['Node', 'Service', 'Checks'],
  agentServices: NODE_SERVICE,
  agentChecks: HEALTH_CHECK,
  uiNodes: [...NODE, 'Services', 'Checks'],
  uiServices: ['Kind', 'Name', 'Datacenter', 'Tags', 'Nodes', 'ExternalSources', 'InstanceCount', 'ChecksPassing', 'ChecksWarning', 'ChecksCritical', 'Namespace', 'Partition', 'PeerName'],
} as const satisfies Record<string, readonly string[]>;
