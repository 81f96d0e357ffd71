/**
 * `consul-ts/admin`: the typed admin client and the types of what it returns.
 *
 * ```ts
 * import { createAdminClient } from 'consul-ts/admin';
 * const admin = createAdminClient({ baseUrl: 'http://127.0.0.1:8500', token: process.env.CONSUL_HTTP_TOKEN });
 * const { leader, servers } = await admin.cluster.overview.query();
 * ```
 */
export { type AdminClient, type AdminClientOptions, createAdminClient } from './client.ts';
export type { AdminRouter } from './router.ts';
export type {
  AclLink,
  AclPolicy,
  AclRole,
  AclToken,
  AdminErrorCode,
  AdminMember,
  AutopilotConfig,
  AutopilotState,
  CatalogNode,
  ClusterOverview,
  HealthCheck,
  KeyringResponse,
  KvEntry,
  KvEvent,
  KvList,
  LeaderEvent,
  MemberEvent,
  MemberStatus,
  Pool,
  RaftConfiguration,
  RaftPeer,
  ServiceHealth,
  ServiceNode,
  Session,
  SnapshotData,
} from '../core/admin/admin-cluster.ts';
