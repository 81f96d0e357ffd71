import { isReadOnlyTxn, MAX_TXN_OPS, type TxnOp, txnApply } from '../../../state/txn.ts';
import { WatchSet } from '../../../state/watch.ts';
import { type Endpoint, type EndpointContext, queryOf } from '../endpoint.ts';
import { vetTxnOp } from '../../../acl/txn-vet.ts';
import { callerIdentity } from './acl.ts';

/**
 * Each op is checked against the caller's token before anything runs (Consul's txn vetting); the
 * denials come back as the transaction's errors, nothing applied. Undefined when all pass.
 */
function deniedOps(ctx: EndpointContext, args: Record<string, unknown>, ops: TxnOp[]): { Results: null; Errors: Array<{ OpIndex: number; What: string }> } | undefined {
  const acl = callerIdentity(ctx, args);
  if (typeof acl === 'string') return { Results: null, Errors: [{ OpIndex: 0, What: acl }] };
  const errors = ops.flatMap((op, i) => {
    const what = vetTxnOp(acl, op);
    return what ? [{ OpIndex: i, What: what }] : [];
  });
  return errors.length > 0 ? { Results: null, Errors: errors } : undefined;
}

/**
 * Txn.Apply: `{ Ops }` -> `{ Results, Errors }`. Read-only transactions are answered from this
 * server's state under the query's consistency (Txn.Read); others go through Raft, all or nothing.
 */
export const txnApplyEndpoint: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const ops = args.Ops as TxnOp[] | undefined;
    if (!Array.isArray(ops)) return respond('Failed to parse body: missing operations');
    if (ops.length > MAX_TXN_OPS) return respond(`Transaction contains too many operations (${ops.length} > ${MAX_TXN_OPS})`);
    const denied = deniedOps(ctx, args, ops);
    if (denied) return respond(undefined, denied);
    ctx.write({ type: 'txn', ops }, respond);
  },
};

/** Txn.Read: a read-only transaction, answered from this server's state without a Raft write. */
export const txnReadEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const ops = args.Ops as TxnOp[] | undefined;
    if (!Array.isArray(ops) || !isReadOnlyTxn(ops)) return respond('Txn.Read requires read-only operations');
    if (ops.length > MAX_TXN_OPS) return respond(`Transaction contains too many operations (${ops.length} > ${MAX_TXN_OPS})`);
    const acl = callerIdentity(ctx, args);
    if (typeof acl === 'string') return respond(acl);
    const why = ops.map((op) => vetTxnOp(acl, op)).find((w) => w !== undefined);
    if (why) return respond(why);
    ctx.read(queryOf(args), () => ({ index: ctx.state.maxIndex('kvs', 'tombstones'), value: txnApply(ctx.state, ops, 0), watch: new WatchSet() }), respond);
  },
};
