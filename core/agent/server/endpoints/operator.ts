import { autopilotGet } from '../../../state/operator.ts';
import { DEFAULT_AUTOPILOT } from '../../../state/types.ts';

import { WatchSet } from '../../../state/watch.ts';
import { type Endpoint, queryOf, str } from '../endpoint.ts';

/** Operator.RaftGetConfiguration: `{ Servers: [{ID, Node, Address, Leader, Voter, ProtocolVersion}], Index }`. */
export const raftGetConfiguration: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(
      queryOf(args),
      () => ({
        index: ctx.raft.lastIndex(),
        value: {
          Servers: ctx.raft.servers().map((s) => ({
            ID: s.id,
            Node: s.name,
            Address: s.address,
            Leader: s.leader,
            Voter: s.voter,
            ProtocolVersion: '3',
          })),
          Index: ctx.raft.lastIndex(),
        },
        watch: new WatchSet(),
      }),
      respond,
    );
  },
};

/** Operator.RaftRemovePeer: `{ ID }` or `{ Address }`. */
export const raftRemovePeer: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const id = str(args.ID);
    const address = str(args.Address);
    const server = ctx.raft.servers().find((s) => (id ? s.id === id : s.address === address));
    if (!server) return respond(id ? `id "${id}" was not found in the Raft configuration` : `address "${address}" was not found in the Raft configuration`);
    ctx.raft.removeServer(server.id, respond);
  },
};

/** Operator.RaftTransferLeader: `{ ID? }` (empty: any voter). */
export const raftTransferLeader: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    let id = str(args.ID);
    if (!id) id = ctx.raft.servers().find((s) => s.voter && !s.leader)?.id ?? '';
    if (!id) return respond('cannot find a peer to transfer leadership to');
    ctx.raft.transferLeadership(id, respond);
  },
};

export const autopilotGetConfiguration: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(
      queryOf(args),
      () => {
        const r = autopilotGet(ctx.state);
        // Until an operator sets it, the configuration in force is Consul's default.
        return r.value ? r : { ...r, value: { ...DEFAULT_AUTOPILOT, CreateIndex: 0, ModifyIndex: 0 } };
      },
      respond,
    );
  },
};

/** Operator.AutopilotSetConfiguration: `{ Config, CAS? }` -> true/false. */
export const autopilotSetConfiguration: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const config = (args.Config ?? {}) as Record<string, unknown>;
    ctx.write({ type: 'autopilot-set', config, cas: typeof args.CAS === 'number' ? args.CAS : undefined }, respond);
  },
};
