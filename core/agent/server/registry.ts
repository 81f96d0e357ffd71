import type { Endpoint } from './endpoint.ts';
import * as catalog from './endpoints/catalog.ts';
import * as health from './endpoints/health.ts';
import * as kvs from './endpoints/kvs.ts';
import * as operator from './endpoints/operator.ts';
import * as session from './endpoints/session.ts';
import * as status from './endpoints/status.ts';
import * as txn from './endpoints/txn.ts';

/** Every server RPC method by Consul's name. */
export const ENDPOINTS: Readonly<Record<string, Endpoint>> = {
  'Status.Leader': status.statusLeader,
  'Status.Peers': status.statusPeers,
  'Status.Ping': status.statusPing,
  'KVS.Apply': kvs.kvsApply,
  'KVS.Get': kvs.kvsGet,
  'KVS.List': kvs.kvsList,
  'KVS.ListKeys': kvs.kvsListKeys,
  'Catalog.Register': catalog.catalogRegister,
  'Catalog.Deregister': catalog.catalogDeregister,
  'Catalog.ListDatacenters': catalog.catalogListDatacenters,
  'Catalog.ListNodes': catalog.catalogListNodes,
  'Catalog.ListServices': catalog.catalogListServices,
  'Catalog.ServiceNodes': catalog.catalogServiceNodesEndpoint,
  'Catalog.NodeServices': catalog.catalogNodeServicesEndpoint,
  'Health.ChecksInState': health.healthChecksInStateEndpoint,
  'Health.NodeChecks': health.healthNodeChecksEndpoint,
  'Health.ServiceChecks': health.healthServiceChecksEndpoint,
  'Health.ServiceNodes': health.healthServiceNodesEndpoint,
  'Session.Apply': session.sessionApply,
  'Session.Renew': session.sessionRenew,
  'Session.Get': session.sessionGetEndpoint,
  'Session.List': session.sessionListEndpoint,
  'Session.NodeSessions': session.sessionNodeSessions,
  'Txn.Apply': txn.txnApplyEndpoint,
  'Txn.Read': txn.txnReadEndpoint,
  'Operator.RaftGetConfiguration': operator.raftGetConfiguration,
  'Operator.RaftRemovePeer': operator.raftRemovePeer,
  'Operator.RaftTransferLeader': operator.raftTransferLeader,
  'Operator.AutopilotGetConfiguration': operator.autopilotGetConfiguration,
  'Operator.AutopilotSetConfiguration': operator.autopilotSetConfiguration,
};
