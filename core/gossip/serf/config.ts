/** serf's configuration (hashicorp/serf serf/config.go DefaultConfig). Durations in ms. */
import { defaultLanConfig, type MemberlistConfig } from '../memberlist/config.ts';

export interface SerfConfig {
  nodeName: string;
  tags: Record<string, string>;
  /** serf protocol version (2..5); memberlist then speaks protocol 2. */
  protocolVersion: number;
  broadcastTimeout: number;
  leavePropagateDelay: number;
  eventBuffer: number;
  queryBuffer: number;
  reapInterval: number;
  recentIntentTimeout: number;
  reconnectInterval: number;
  /** How long a failed member is kept (and retried) before it is reaped. Consul uses 72 h. */
  reconnectTimeout: number;
  /** How long a left member is kept before it is reaped. */
  tombstoneTimeout: number;
  flapTimeout: number;
  queryTimeoutMult: number;
  queryResponseSizeLimit: number;
  querySizeLimit: number;
  userEventSizeLimit: number;
  /** Member event coalescing (0 = off). */
  coalescePeriod: number;
  quiescentPeriod: number;
  /** User event coalescing for events sent with coalesce=true (0 = off). */
  userCoalescePeriod: number;
  userQuiescentPeriod: number;
  disableCoordinates: boolean;
  memberlist: MemberlistConfig;
}

export const SERF_PROTOCOL_MIN = 2;
export const SERF_PROTOCOL_MAX = 5;
/** serf's UserEventSizeLimit sanity cap. */
export const USER_EVENT_SIZE_LIMIT = 9 * 1024;

export function defaultSerfConfig(nodeName: string, memberlist?: MemberlistConfig): SerfConfig {
  return {
    nodeName,
    tags: {},
    protocolVersion: 4,
    broadcastTimeout: 5_000,
    leavePropagateDelay: 1_000,
    eventBuffer: 512,
    queryBuffer: 512,
    reapInterval: 15_000,
    recentIntentTimeout: 5 * 60_000,
    reconnectInterval: 30_000,
    reconnectTimeout: 24 * 3600_000,
    tombstoneTimeout: 24 * 3600_000,
    flapTimeout: 60_000,
    queryTimeoutMult: 16,
    queryResponseSizeLimit: 1024,
    querySizeLimit: 1024,
    userEventSizeLimit: 512,
    coalescePeriod: 0,
    quiescentPeriod: 0,
    userCoalescePeriod: 0,
    userQuiescentPeriod: 0,
    disableCoordinates: false,
    memberlist: memberlist ?? defaultLanConfig(nodeName),
  };
}
