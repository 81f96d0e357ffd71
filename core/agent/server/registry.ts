import type { Endpoint } from './endpoint.ts';
import * as acl from './endpoints/acl.ts';
import * as autopilot from './endpoints/autopilot.ts';
import * as catalog from './endpoints/catalog.ts';
import * as coordinate from './endpoints/coordinate.ts';
import * as health from './endpoints/health.ts';
import * as internal from './endpoints/internal.ts';
import * as keyring from './endpoints/keyring.ts';
import * as kvs from './endpoints/kvs.ts';
import * as operator from './endpoints/operator.ts';
import * as preparedQuery from './endpoints/prepared-query.ts';
import * as session from './endpoints/session.ts';
import * as snapshot from './endpoints/snapshot.ts';
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
  'Internal.NodeDump': internal.internalNodeDump,
  'Internal.NodeInfo': internal.internalNodeInfo,
  'Internal.KeyringOperation': keyring.internalKeyringOperation,
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
  'PreparedQuery.Apply': preparedQuery.preparedQueryApply,
  'PreparedQuery.Get': preparedQuery.preparedQueryGetEndpoint,
  'PreparedQuery.List': preparedQuery.preparedQueryListEndpoint,
  'PreparedQuery.Execute': preparedQuery.preparedQueryExecute,
  'PreparedQuery.Explain': preparedQuery.preparedQueryExplain,
  'PreparedQuery.ExecuteRemote': preparedQuery.preparedQueryExecuteRemote,
  'Internal.CatalogChecks': internal.internalCatalogChecks,
  'Operator.ServerHealth': autopilot.operatorServerHealth,
  'Operator.AutopilotState': autopilot.operatorAutopilotState,
  'Snapshot.Save': snapshot.snapshotSave,
  'Snapshot.Restore': snapshot.snapshotRestore,
  'Coordinate.Update': coordinate.coordinateUpdate,
  'Coordinate.ListNodes': coordinate.coordinateListNodes,
  'Coordinate.Node': coordinate.coordinateNode,
  'Coordinate.ListDatacenters': coordinate.coordinateListDatacenters,
  'ACL.Bootstrap': acl.aclBootstrap,
  'ACL.TokenSet': acl.aclTokenSet,
  'ACL.TokenRead': acl.aclTokenRead,
  'ACL.TokenList': acl.aclTokenList,
  'ACL.TokenDelete': acl.aclTokenDelete,
  'ACL.TokenClone': acl.aclTokenClone,
  'ACL.TokenResolve': acl.aclTokenResolve,
  'ACL.PolicySet': acl.aclPolicySet,
  'ACL.PolicyRead': acl.aclPolicyRead,
  'ACL.PolicyList': acl.aclPolicyList,
  'ACL.PolicyDelete': acl.aclPolicyDelete,
  'ACL.RoleSet': acl.aclRoleSet,
  'ACL.RoleRead': acl.aclRoleRead,
  'ACL.RoleList': acl.aclRoleList,
  'ACL.RoleDelete': acl.aclRoleDelete,
};
