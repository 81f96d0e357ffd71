import type { AclIdentity } from '../../acl/identity.ts';
import { type Endpoint, type EndpointContext, str } from './endpoint.ts';
import { sessionGet } from '../../state/sessions.ts';
import { preparedQueryGet } from '../../state/prepared-queries.ts';
import { callerIdentity } from './endpoints/acl.ts';
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

/**
 * An endpoint that checks the caller's token on the server before running (Consul's servers
 * authorize every RPC), for endpoints only the HTTP API calls: a client reaching the server port
 * directly gets no more than through HTTP.
 */
function authorized(endpoint: Endpoint, check: (acl: AclIdentity, args: Record<string, unknown>, ctx: EndpointContext) => void): Endpoint {
  return {
    ...endpoint,
    handle(ctx, args, respond) {
      const acl = callerIdentity(ctx, args);
      if (typeof acl === 'string') return respond(acl);
      try {
        check(acl, args, ctx);
      } catch (e) {
        return respond((e as Error).message);
      }
      endpoint.handle(ctx, args, respond);
    },
  };
}
const operatorRead = (e: Endpoint) => authorized(e, (acl) => acl.requireSingle('operator', 'read'));
const operatorWrite = (e: Endpoint) => authorized(e, (acl) => acl.requireSingle('operator', 'write'));

/**
 * query:write on a named query's name, the new one and (update, delete) the stored one; unnamed
 * queries are protected by their unguessable ID (prepared_query_endpoint.go Apply).
 */
function queryWrite(acl: AclIdentity, args: Record<string, unknown>, ctx: EndpointContext): void {
  if (!acl.enabled) return;
  const q = args.Query && typeof args.Query === 'object' ? (args.Query as Record<string, unknown>) : {};
  if (typeof q.Name === 'string' && q.Name) acl.require('query', q.Name, 'write');
  const stored = typeof q.ID === 'string' && q.ID ? preparedQueryGet(ctx.state, q.ID).value : null;
  if (stored?.Name) acl.require('query', stored.Name, 'write');
}

/** session:write on the session's node: the new session's (create) or the stored one's. */
function sessionWrite(acl: AclIdentity, args: Record<string, unknown>, ctx: EndpointContext): void {
  if (!acl.enabled) return;
  if (args.Op === 'create') {
    const body = args.Session && typeof args.Session === 'object' ? (args.Session as Record<string, unknown>) : {};
    const node = typeof body.Node === 'string' && body.Node ? body.Node : str(args.AgentNode);
    return acl.require('session', node, 'write');
  }
  const existing = sessionGet(ctx.state, str(args.ID)).value;
  if (existing) acl.require('session', existing.Node, 'write');
}

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
  'Session.Apply': authorized(session.sessionApply, sessionWrite),
  'Session.Renew': authorized(session.sessionRenew, sessionWrite),
  'Session.Get': session.sessionGetEndpoint,
  'Session.List': session.sessionListEndpoint,
  'Session.NodeSessions': session.sessionNodeSessions,
  'Txn.Apply': txn.txnApplyEndpoint,
  'Txn.Read': txn.txnReadEndpoint,
  'Operator.RaftGetConfiguration': operatorRead(operator.raftGetConfiguration),
  'Operator.RaftRemovePeer': operatorWrite(operator.raftRemovePeer),
  'Operator.RaftTransferLeader': operatorWrite(operator.raftTransferLeader),
  'Operator.AutopilotGetConfiguration': operatorRead(operator.autopilotGetConfiguration),
  'Operator.AutopilotSetConfiguration': operatorWrite(operator.autopilotSetConfiguration),
  'PreparedQuery.Apply': authorized(preparedQuery.preparedQueryApply, queryWrite),
  'PreparedQuery.Get': preparedQuery.preparedQueryGetEndpoint,
  'PreparedQuery.List': preparedQuery.preparedQueryListEndpoint,
  'PreparedQuery.Execute': preparedQuery.preparedQueryExecute,
  'PreparedQuery.Explain': preparedQuery.preparedQueryExplain,
  'PreparedQuery.ExecuteRemote': preparedQuery.preparedQueryExecuteRemote,
  'Internal.CatalogChecks': internal.internalCatalogChecks,
  'Operator.ServerHealth': operatorRead(autopilot.operatorServerHealth),
  'Operator.AutopilotState': operatorRead(autopilot.operatorAutopilotState),
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
  'ACL.ReplicationStatus': acl.aclReplicationStatus,
};
