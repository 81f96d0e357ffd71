import { isReadOnlyTxn, MAX_TXN_OPS, type TxnOp, txnApply } from '../../../state/txn.ts';
import { WatchSet } from '../../../state/watch.ts';
import { type Endpoint, queryOf } from '../endpoint.ts';

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
    ctx.read(queryOf(args), () => ({ index: ctx.state.maxIndex('kvs', 'tombstones'), value: txnApply(ctx.state, ops, 0), watch: new WatchSet() }), respond);
  },
};
