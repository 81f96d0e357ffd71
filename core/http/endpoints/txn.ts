import { vetTxnOp } from '../../acl/txn-vet.ts';
import type { QueryReply } from '../../agent/server/rpc-types.ts';
import { isReadOnlyTxn, MAX_TXN_OPS, type TxnOp, type TxnResponse } from '../../state/txn.ts';
import type { KVEntry } from '../../state/types.ts';
import type { AgentApi, HttpApiOptions } from '../api.ts';
import { badRequest, HttpError } from '../errors.ts';
import { canonicalKeys, isObject } from '../json.ts';
import { jsonResponse, type QueryMeta } from '../response.ts';
import type { Router } from '../router.ts';
import { queryOptionsFrom } from '../rpc-read.ts';
import { kvPairJson } from './kv.ts';

const KV_FIELDS = ['Verb', 'Key', 'Value', 'Flags', 'Index', 'Session'];

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Decodes one op of the request body: KV values are base64, flags uint64. */
function decodeOp(raw: unknown, index: number): TxnOp {
  if (!isObject(raw)) throw badRequest(`Failed to parse body: operation ${index} is not an object`);
  const op = canonicalKeys(raw, ['KV', 'Node', 'Service', 'Check']);
  if (isObject(op.KV)) {
    const kv = canonicalKeys(op.KV, KV_FIELDS);
    const value = typeof kv.Value === 'string' ? fromBase64(kv.Value) : undefined;
    const flags = typeof kv.Flags === 'number' ? BigInt(kv.Flags) : undefined;
    return { KV: { ...kv, Value: value, Flags: flags } as never };
  }
  return op as unknown as TxnOp;
}

/** Results as Consul's JSON shows them (KV values base64, flags exact). */
function encodeResults(r: TxnResponse): unknown {
  return {
    Results: r.Results?.map((res) => ('KV' in res ? { KV: kvPairJson(res.KV as KVEntry) } : res)) ?? null,
    Errors: r.Errors,
  };
}

export function registerTxn(router: Router, agent: AgentApi, options: HttpApiOptions): void {
  router.register('/v1/txn', ['PUT'], async (ctx) => {
    const raw = await ctx.readJson(options.txnMaxReqLen, 'Failed to parse body');
    if (!Array.isArray(raw)) throw badRequest('Failed to parse body: expected a JSON array of operations');
    if (raw.length > MAX_TXN_OPS) throw new HttpError(413, `Transaction contains too many operations (${raw.length} > ${MAX_TXN_OPS})`);
    const ops = raw.map(decodeOp);
    const acl = await ctx.authorize();
    // Every op is checked before anything runs; denials are the txn's errors (409), as in Consul.
    const denied = ops.flatMap((op, i) => {
      const why = vetTxnOp(acl, op);
      return why ? [{ OpIndex: i, What: why }] : [];
    });
    if (denied.length > 0) return jsonResponse({ Results: null, Errors: denied }, { pretty: ctx.pretty, status: 409 });
    const query = queryOptionsFrom(ctx);
    let response: TxnResponse;
    let meta: QueryMeta | undefined;
    if (isReadOnlyTxn(ops)) {
      const reply = (await agent.rpc('Txn.Read', { Ops: ops, Query: query, Datacenter: query.Datacenter, Token: acl.secret })) as QueryReply<TxnResponse>;
      response = reply.Value;
      meta = { index: reply.Index, knownLeader: reply.KnownLeader, lastContactMs: reply.LastContact, consistency: reply.Mode };
    } else {
      response = (await agent.rpc('Txn.Apply', { Ops: ops, Datacenter: query.Datacenter, Token: acl.secret })) as TxnResponse;
    }
    if (response.Results) {
      // get-tree results are filtered by key:read.
      response = { ...response, Results: ctx.keep(response.Results, (res) => !('KV' in res) || acl.can('key', (res.KV as KVEntry).Key, 'read')) };
    }
    const status = response.Errors && response.Errors.length > 0 ? 409 : 200;
    return jsonResponse(encodeResults(response), { pretty: ctx.pretty, status, meta });
  });
}
