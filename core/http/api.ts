/**
 * What the HTTP API needs from the agent it runs in. The agent forwards RPCs to a server of the
 * right datacenter (or runs them itself when it is one) and owns agent-local state.
 */
import type { Member } from '../gossip/serf/events.ts';
import type { CheckStatus } from '../agent/checks/check-definition.ts';
import type { LocalState } from '../agent/local/local-state.ts';

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
}

export interface AgentApi extends LocalAgentApi {
  /** This agent's node name and datacenter. */
  readonly nodeName: string;
  readonly datacenter: string;
  /** Runs a server RPC (see core/agent/server/registry.ts), rejecting with its error text. */
  rpc(method: string, args: Record<string, unknown>): Promise<unknown>;
  /** `GET /v1/agent/self`'s document. */
  self(): Record<string, unknown>;
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
}

export const DEFAULT_HTTP_API_OPTIONS: HttpApiOptions = {
  devMode: false,
  uiEnabled: false,
  defaultAclPolicy: 'allow',
  kvMaxValueSize: 512 * 1024,
  txnMaxReqLen: 512 * 1024,
};
