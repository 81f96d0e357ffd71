import type { KVSOp } from '../../../fsm/commands.ts';
import { kvGet, kvKeys, kvList } from '../../../state/kv.ts';
import type { KVEntry } from '../../../state/types.ts';
import { type Endpoint, type EndpointContext, queryOf, str } from '../endpoint.ts';
import type { RpcRespond } from '../../rpc/rpc-server.ts';
import { permissionDenied } from '../../../acl/authorizer.ts';
import type { QueryResult } from '../../../state/types.ts';
import { callerIdentity } from './acl.ts';

/**
 * The servers enforce KV ACLs too (as Consul's KVS endpoint does), so that a direct RPC to the
 * server port gets no more than the HTTP API: reads of a single key need key:read, lists are
 * filtered, writes need key:write.
 */
function filteredRead<T>(ctx: EndpointContext, args: Record<string, unknown>, run: () => QueryResult<T[]>, keep: (row: T) => boolean, respond: RpcRespond): void {
  let dropped = false;
  ctx.read<T[]>(
    queryOf(args),
    () => {
      const r = run();
      const value = r.value.filter(keep);
      dropped = value.length !== r.value.length;
      return { ...r, value };
    },
    // Consul's QueryMeta.ResultsFilteredByACLs: the HTTP layer turns it into the response header.
    (err, reply) => respond(err, reply && typeof reply === 'object' ? { ...reply, FilteredByACLs: dropped } : reply),
  );
}

const OPS: readonly KVSOp[] = ['set', 'cas', 'delete', 'delete-cas', 'delete-tree', 'lock', 'unlock'];

/**
 * KVS.Apply: `{ Op, Key, Value?, Flags?, Index?, Session? }` -> the FSM's true/false.
 */
export const kvsApply: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const op = args.Op as KVSOp;
    if (!OPS.includes(op)) return respond(`Invalid KVS operation '${String(args.Op)}'`);
    const acl = callerIdentity(ctx, args);
    if (typeof acl === 'string') return respond(acl);
    try {
      // A recursive delete is a write on every key it touches (CVE-2019-12291).
      if (op === 'delete-tree') acl.requireKeyWritePrefix(str(args.Key));
      else acl.require('key', str(args.Key), 'write');
    } catch (e) {
      return respond((e as Error).message);
    }
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
    const acl = callerIdentity(ctx, args);
    if (typeof acl === 'string') return respond(acl);
    if (!acl.can('key', key, 'read')) return respond(permissionDenied(acl.accessorID, 'key', 'read', key).message);
    ctx.read<KVEntry | null>(queryOf(args), () => kvGet(ctx.state, key), respond);
  },
};

/** KVS.List: every entry under a prefix. */
export const kvsList: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const prefix = str(args.Prefix);
    const acl = callerIdentity(ctx, args);
    if (typeof acl === 'string') return respond(acl);
    filteredRead<KVEntry>(ctx, args, () => kvList(ctx.state, prefix), (e) => acl.can('key', e.Key, 'read'), respond);
  },
};

/** KVS.ListKeys: key names under a prefix, folded at the separator. */
export const kvsListKeys: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const prefix = str(args.Prefix);
    const separator = str(args.Separator);
    const acl = callerIdentity(ctx, args);
    if (typeof acl === 'string') return respond(acl);
    filteredRead<string>(ctx, args, () => kvKeys(ctx.state, prefix, separator), (k) => acl.can('key', k, 'read'), respond);
  },
};
