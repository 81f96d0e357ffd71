import type { KVSOp } from '../../../fsm/commands.ts';
import { kvGet, kvKeys, kvList } from '../../../state/kv.ts';
import type { KVEntry } from '../../../state/types.ts';
import { type Endpoint, queryOf, str } from '../endpoint.ts';

const OPS: readonly KVSOp[] = ['set', 'cas', 'delete', 'delete-cas', 'delete-tree', 'lock', 'unlock'];

/**
 * KVS.Apply: `{ Op, Key, Value?, Flags?, Index?, Session? }` -> the FSM's true/false.
 */
export const kvsApply: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const op = args.Op as KVSOp;
    if (!OPS.includes(op)) return respond(`Invalid KVS operation '${String(args.Op)}'`);
    const value = args.Value instanceof Uint8Array ? args.Value : undefined;
    const flags = typeof args.Flags === 'bigint' ? args.Flags : typeof args.Flags === 'number' ? BigInt(args.Flags) : undefined;
    ctx.write(
      {
        type: 'kvs',
        op,
        entry: { Key: str(args.Key), Value: value, Flags: flags },
        index: typeof args.Index === 'number' ? args.Index : undefined,
        session: str(args.Session) || undefined,
      },
      respond,
    );
  },
};

/** KVS.Get: one key -> `KVEntry | null`. */
export const kvsGet: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const key = str(args.Key);
    ctx.read<KVEntry | null>(queryOf(args), () => kvGet(ctx.state, key), respond);
  },
};

/** KVS.List: every entry under a prefix. */
export const kvsList: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const prefix = str(args.Prefix);
    ctx.read<KVEntry[]>(queryOf(args), () => kvList(ctx.state, prefix), respond);
  },
};

/** KVS.ListKeys: key names under a prefix, folded at the separator. */
export const kvsListKeys: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const prefix = str(args.Prefix);
    const separator = str(args.Separator);
    ctx.read<string[]>(queryOf(args), () => kvKeys(ctx.state, prefix, separator), respond);
  },
};
