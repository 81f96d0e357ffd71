/**
 * What the HTTP API needs from the agent it runs in. The agent forwards RPCs to a server of the
 * right datacenter (or runs them itself when it is one) and owns agent-local state.
 */
export interface AgentApi {
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
