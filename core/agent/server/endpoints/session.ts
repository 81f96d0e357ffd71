import { normalizeSessionCreate, type SessionCreateBody } from '../../../state/session-request.ts';
import { sessionGet, sessionList, sessionNodeList } from '../../../state/sessions.ts';
import type { Session } from '../../../state/types.ts';
import { type Endpoint, queryOf, str } from '../endpoint.ts';

/**
 * Session.Apply: `{ Op: 'create', Session: body, AgentNode }` -> the new ID, or
 * `{ Op: 'destroy', ID }` -> true. The leader picks the ID and starts the TTL timer.
 */
export const sessionApply: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    if (args.Op === 'destroy') {
      const id = str(args.ID);
      ctx.write({ type: 'session-destroy', id }, respond);
      return;
    }
    if (args.Op !== 'create') return respond(`Invalid session operation '${String(args.Op)}'`);
    let normalized: ReturnType<typeof normalizeSessionCreate>;
    try {
      normalized = normalizeSessionCreate(args.Session as SessionCreateBody | null, str(args.AgentNode));
    } catch (e) {
      return respond((e as Error).message);
    }
    const id = ctx.newUUID();
    ctx.write({ type: 'session-create', session: { ID: id, ...normalized } }, (err, result) => {
      if (err) return respond(err);
      ctx.touchSession(id, normalized.TTL);
      respond(undefined, result);
    });
  },
};

/** Session.Renew: resets the TTL timer on the leader; `[Session]`, or an error when unknown. */
export const sessionRenew: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const id = str(args.ID);
    const session = sessionGet(ctx.state, id).value;
    if (!session) return respond(`Session id '${id}' not found`);
    ctx.touchSession(id, session.TTL);
    respond(undefined, [session]);
  },
};

export const sessionGetEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const id = str(args.ID);
    ctx.read<Session[]>(
      queryOf(args),
      () => {
        const r = sessionGet(ctx.state, id);
        return { ...r, value: r.value ? [r.value] : [] };
      },
      respond,
    );
  },
};

export const sessionListEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(queryOf(args), () => sessionList(ctx.state), respond);
  },
};

export const sessionNodeSessions: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const node = str(args.Node);
    ctx.read(queryOf(args), () => sessionNodeList(ctx.state, node), respond);
  },
};
