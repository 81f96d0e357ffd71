import type { Endpoint } from '../endpoint.ts';

/** Status.Leader: the leader's RPC address, or "" when there is none. */
export const statusLeader: Endpoint = {
  kind: 'local',
  handle(ctx, _args, respond) {
    respond(undefined, ctx.raft.leaderAddress());
  },
};

/** Status.Peers: the voters' RPC addresses. */
export const statusPeers: Endpoint = {
  kind: 'local',
  handle(ctx, _args, respond) {
    respond(
      undefined,
      ctx.raft.servers().filter((s) => s.voter).map((s) => s.address),
    );
  },
};

/** Status.Ping: liveness of the RPC path. */
export const statusPing: Endpoint = {
  kind: 'local',
  handle(_ctx, _args, respond) {
    respond(undefined, true);
  },
};
