/**
 * Internal.KeyringOperation (Consul's agent/consul/internal_endpoint.go): a gossip key operation
 * (list, install, use, remove) run as serf key queries. The first server to get the request runs
 * it once on the WAN pool, then on the LAN pool of every known datacenter (its own included, the
 * others over RPC with `Forwarded` set), and returns one KeyringResponse per pool, WAN first.
 */
import type { KeyOperation, KeyOperationResult } from '../../../gossip/serf/key-manager.ts';
import type { Endpoint, EndpointContext } from '../endpoint.ts';
import { str } from '../endpoint.ts';

/** Consul's structs.KeyringResponse. */
export interface KeyringResponse {
  WAN: boolean;
  Datacenter: string;
  Segment: string;
  Messages: Record<string, string>;
  Keys: Record<string, number>;
  PrimaryKeys: Record<string, number>;
  NumNodes: number;
  Error: string;
}

/** What a server needs from its agent to run key operations. */
export interface KeyringHooks {
  /** Whether this server takes part in a WAN pool. */
  hasWan(): boolean;
  operation(wan: boolean, op: KeyOperation, key: string, relayFactor: number, done: (r: KeyOperationResult, error: string | undefined) => void): void;
}

/** Consul's operation names (structs.KeyringOp) → serf's query names. */
const OPERATIONS: Record<string, KeyOperation> = { list: 'list-keys', install: 'install-key', use: 'use-key', remove: 'remove-key' };

function response(ctx: EndpointContext, wan: boolean, r: KeyOperationResult, error: string | undefined): KeyringResponse {
  return {
    WAN: wan,
    Datacenter: ctx.datacenter,
    Segment: '',
    Messages: r.messages,
    Keys: r.keys,
    PrimaryKeys: r.primaryKeys,
    NumNodes: r.numNodes,
    Error: error ?? '',
  };
}

export const internalKeyringOperation: Endpoint = {
  kind: 'local',
  handle(ctx, args, respond) {
    const hooks = ctx.keyring;
    if (!hooks) return respond('Keyring operations are not supported by this server');
    const opName = str(args.Operation);
    const op = OPERATIONS[opName];
    if (!op) return respond(`Invalid keyring operation: ${JSON.stringify(opName)}`);
    if (args.LocalOnly === true && op !== 'list-keys') return respond('LocalOnly mode only allowed for list operations');
    const key = str(args.Key);
    const relay = typeof args.RelayFactor === 'number' ? args.RelayFactor : 0;
    const lan = (then: (rs: KeyringResponse[]) => void) =>
      hooks.operation(false, op, key, relay, (r, err) => then([response(ctx, false, r, err)]));
    // A forwarded or local-only request (or a server without WAN): only this datacenter's LAN pool.
    if (args.Forwarded === true || args.LocalOnly === true || !hooks.hasWan()) return lan((rs) => respond(undefined, { Responses: rs }));
    hooks.operation(true, op, key, relay, (r, err) => {
      const all: KeyringResponse[] = [response(ctx, true, r, err)];
      const dcs = ctx.knownDatacenters().filter((dc) => dc !== ctx.datacenter);
      let pending = dcs.length + 1;
      const errors: string[] = [];
      const finish = () => {
        if (--pending > 0) return;
        if (errors.length > 0) return respond(errors.join('; '));
        respond(undefined, { Responses: all });
      };
      lan((rs) => {
        all.splice(1, 0, ...rs);
        finish();
      });
      for (const dc of dcs) {
        ctx.callDatacenter(dc, 'Internal.KeyringOperation', { ...args, Datacenter: dc, Forwarded: true }, (e, reply) => {
          if (e) errors.push(e);
          else all.push(...(((reply as { Responses?: KeyringResponse[] })?.Responses ?? []) as KeyringResponse[]));
          finish();
        });
      }
    });
  },
};
