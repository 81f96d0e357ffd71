import type { UserEvent } from '../agent/user-events.ts';
import type { MetricsSummary } from '../lib/metrics.ts';
import type { LogLevel } from '../ports/logger.ts';
import type { Coord } from '../state/types.ts';

/** Agent-local user events (`/v1/event/*`). */
export interface AgentEventsApi {
  /** Fires an event into the LAN pool; rejects with Consul's error text. Returns it with its new ID. */
  fire(params: Pick<UserEvent, 'Name' | 'Payload' | 'NodeFilter' | 'ServiceFilter' | 'TagFilter'>): UserEvent;
  /** The last ≤256 events this agent saw, oldest first. */
  list(): UserEvent[];
  /**
   * Calls `done` once an event arrives for which `changed()` is true, or after `waitMs` (already
   * capped and jittered by the caller), whichever is first.
   */
  wait(waitMs: number, changed: () => boolean, done: () => void): void;
}

import type { AclIdentity } from '../acl/identity.ts';
import type { AgentTokens } from '../agent/agent-config.ts';
import type { CheckStatus } from '../agent/checks/check-definition.ts';
import type { LocalState } from '../agent/local/local-state.ts';
/**
 * What the HTTP API needs from the agent it runs in. The agent forwards RPCs to a server of the
 * right datacenter (or runs them itself when it is one) and owns agent-local state.
 */
import type { Member } from '../gossip/serf/events.ts';

/** The agent-local operations behind `/v1/agent/*` (implemented by core/agent/agent.ts). */
export interface LocalAgentApi {
  readonly local: LocalState;
  members(): Member[];
  wanMembers(): Member[];
  join(addresses: string[], done: (joined: number, errors: string[]) => void): void;
  joinWan(addresses: string[], done: (joined: number, errors: string[]) => void): void;
  leave(done: () => void): void;
  forceLeave(node: string, prune: boolean): void;
  registerService(raw: Record<string, unknown>, replaceExistingChecks: boolean): void;
  deregisterService(id: string): void;
  registerCheck(raw: Record<string, unknown>): void;
  deregisterCheck(id: string): void;
  updateCheck(id: string, status: CheckStatus, output: string): void;
  setNodeMaintenance(enable: boolean, reason: string): void;
  setServiceMaintenance(id: string, enable: boolean, reason: string): void;
  reload(): Promise<void>;
}

export interface AgentApi extends LocalAgentApi {
  /** This agent's node name and datacenter. */
  readonly nodeName: string;
  readonly datacenter: string;
  /** Runs a server RPC (see core/agent/server/registry.ts), rejecting with its error text. */
  rpc(method: string, args: Record<string, unknown>): Promise<unknown>;
  /** The body of `GET /v1/agent/self`. */
  self(): Record<string, unknown>;
  /** User events; absent on agents without gossip (unit-test doubles). */
  readonly events?: AgentEventsApi;
  /** This agent's LAN network coordinate, for `?near=_agent` (undefined before gossip has one). */
  lanCoordinate?(): Coord | undefined;
  /** A random number in [0,1) from the agent's seeded source (blocking jitter, shuffles). */
  random?(): number;
  /** Records one served request for `consul.api.http` (labels: method, path as Consul names it). */
  recordHttp?(method: string, pattern: string, ms: number): void;
  /** `/v1/agent/metrics`: the agent's metrics summary, gauges refreshed now. */
  metricsSummary?(): MetricsSummary;
  /**
   * `/v1/agent/monitor`: calls `onLine` with each log line at `level` or above (text, or JSON with
   * `json`), whatever level the agent itself logs at, until the returned function is called.
   */
  monitor?(level: LogLevel, json: boolean, onLine: (line: string) => void): () => void;
  /** The identity of a token secret (or of the default/anonymous token); absent: ACLs off. */
  resolveToken?(secret?: string): Promise<AclIdentity>;
  /** Replaces one of the agent's ACL tokens (`PUT /v1/agent/token/<kind>`). */
  setToken?(kind: keyof AgentTokens, token: string): void;
  /** Whether ACLs are enabled on this agent. */
  readonly aclsEnabled?: boolean;
}

/** Settings of the HTTP layer. */
export interface HttpApiOptions {
  devMode: boolean;
  uiEnabled: boolean;
  defaultAclPolicy: 'allow' | 'deny';
  /** kv_max_value_size (512 KiB). */
  kvMaxValueSize: number;
  /** txn_max_req_len (512 KiB). */
  txnMaxReqLen: number;
  /** telemetry.prometheus_retention_time; `?format=prometheus` needs it positive. */
  prometheusRetentionMs?: number;
}

export const DEFAULT_HTTP_API_OPTIONS: HttpApiOptions = {
  devMode: false,
  uiEnabled: false,
  defaultAclPolicy: 'allow',
  kvMaxValueSize: 512 * 1024,
  txnMaxReqLen: 512 * 1024,
};
