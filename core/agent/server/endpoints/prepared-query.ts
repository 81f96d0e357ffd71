import { sortByDistance } from '../../rtt.ts';
import { healthServiceNodes } from '../../../state/catalog-read.ts';
import { coordinates } from '../../../state/operator.ts';
import { preparedQueryGet, preparedQueryList } from '../../../state/prepared-queries.ts';
import type { Coord, PreparedQuery, QueryResult, ServiceEntry } from '../../../state/types.ts';
import { WatchSet } from '../../../state/watch.ts';
import { type Endpoint, queryOf, str } from '../endpoint.ts';
import { filterInstances, normaliseService, renderTemplate, resolveQuery, shuffle, validateQuery } from '../query/prepared-query.ts';

/** Consul's ErrQueryNotFound text; the HTTP layer maps it to 404. */
export const ERR_QUERY_NOT_FOUND = 'Query not found';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * PreparedQuery.Apply `{ Op: create|update|delete, Query }` (prepared_query_endpoint.go Apply):
 * create assigns the ID; update and delete need an existing query. Returns the ID.
 */
export const preparedQueryApply: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const op = str(args.Op);
    const q = isObj(args.Query) ? args.Query : {};
    if (op === 'create') q.ID = ctx.newUUID();
    else if (op === 'update' || op === 'delete') {
      const id = str(q.ID);
      if (!ctx.state.t.preparedQueries.get(id)) return respond(`Cannot ${op === 'delete' ? 'delete' : 'modify'} non-existent prepared query: '${id}'`);
    } else return respond(`Unknown prepared query operation: ${op}`);
    if (op === 'delete') {
      return ctx.write({ type: 'prepared-query-delete', id: str(q.ID) }, (err) => respond(err, str(q.ID)));
    }
    const invalid = validateQuery(q);
    if (invalid) return respond(`Failed prepared query parsing: ${invalid}`);
    const template = isObj(q.Template) && q.Template.Type ? { Type: str(q.Template.Type), Regexp: str(q.Template.Regexp), RemoveEmptyTags: q.Template.RemoveEmptyTags === true } : undefined;
    const input = {
      ID: str(q.ID),
      Name: str(q.Name),
      Session: str(q.Session),
      Token: str(q.Token),
      Service: normaliseService(isObj(q.Service) ? q.Service : {}),
      DNS: { TTL: isObj(q.DNS) ? str(q.DNS.TTL) : '' },
      ...(template ? { Template: template } : {}),
    };
    ctx.write({ type: 'prepared-query-set', query: input }, respond);
  },
};

/** PreparedQuery.Get `{ QueryID }`: `[query]`, or "Query not found". */
export const preparedQueryGetEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const id = str(args.QueryID);
    ctx.read(queryOf(args), () => preparedQueryGet(ctx.state, id), (err, reply) => {
      if (err) return respond(err);
      const r = reply as { Value: PreparedQuery | null };
      if (!r.Value) return respond(ERR_QUERY_NOT_FOUND);
      respond(undefined, { ...r, Value: [r.Value] });
    });
  },
};

/** PreparedQuery.List: every query. */
export const preparedQueryListEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(queryOf(args), () => preparedQueryList(ctx.state), respond);
  },
};

/** The query an Execute or Explain is about, rendered for the name used. */
function lookup(all: readonly PreparedQuery[], idOrName: string): PreparedQuery | undefined {
  const q = resolveQuery(all, idOrName);
  return q ? renderTemplate(q, idOrName) : undefined;
}

/** PreparedQuery.Explain `{ QueryIDOrName }`: `{ Query }` as it would run. */
export const preparedQueryExplain: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const key = str(args.QueryIDOrName);
    ctx.read(queryOf(args), () => {
      const list = preparedQueryList(ctx.state);
      return { ...list, value: lookup(list.value, key) ?? null };
    }, (err, reply) => {
      if (err) return respond(err);
      const r = reply as { Value: PreparedQuery | null };
      if (!r.Value) return respond(ERR_QUERY_NOT_FOUND);
      respond(undefined, { ...r, Value: { Query: r.Value } });
    });
  },
};

/** The Execute reply's value (structs.PreparedQueryExecuteResponse). */
export interface ExecuteResult {
  Service: string;
  Nodes: ServiceEntry[];
  DNS: { TTL: string };
  Datacenter: string;
  Failovers: number;
}

/**
 * PreparedQuery.ExecuteRemote `{ Definition, Limit? }`: runs a query definition sent by another
 * datacenter's failover (this datacenter need not store it): filters, shuffle, limit, no `near`.
 */
export const preparedQueryExecuteRemote: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const q = isObj(args.Definition) ? args.Definition : {};
    const svc = isObj(q.Service) ? q.Service : {};
    const dns = isObj(q.DNS) ? { TTL: str(q.DNS.TTL) } : { TTL: '' };
    const limit = typeof args.Limit === 'number' && args.Limit > 0 ? args.Limit : 0;
    ctx.read(queryOf(args), (): QueryResult<ExecuteResult> => {
      const health = healthServiceNodes(ctx.state, str(svc.Service));
      let rows = shuffle(filterInstances(health.value, svc), () => ctx.random());
      if (limit > 0) rows = rows.slice(0, limit);
      return { index: health.index, value: { Service: str(svc.Service), Nodes: rows, DNS: dns, Datacenter: ctx.datacenter, Failovers: 0 }, watch: health.watch };
    }, respond);
  },
};

/**
 * PreparedQuery.Execute `{ QueryIDOrName, Limit?, Source?: { Node }, Agent?: { Node } }`: the
 * service's healthy instances after the query's filters, shuffled, then sorted by RTT from the
 * source (the query's `Near`, where `_agent` is the calling agent) and cut to Limit. When no
 * instance is left, the HTTP layer fails over to other datacenters with ExecuteRemote.
 */
export const preparedQueryExecute: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const key = str(args.QueryIDOrName);
    const limit = typeof args.Limit === 'number' && args.Limit > 0 ? args.Limit : 0;
    const source = isObj(args.Source) ? str(args.Source.Node) : '';
    const agentNode = isObj(args.Agent) ? str(args.Agent.Node) : '';
    ctx.read(queryOf(args), (): QueryResult<ExecuteResult | null> => {
      const list = preparedQueryList(ctx.state);
      const q = lookup(list.value, key);
      if (!q) return { ...list, value: null };
      const svc = q.Service;
      const health = healthServiceNodes(ctx.state, str(svc.Service));
      let rows = shuffle(filterInstances(health.value, svc), () => ctx.random());
      const near = str(svc.Near) === '_agent' ? agentNode : str(svc.Near) || source;
      if (near) rows = nearSort(ctx.state, rows, near);
      if (limit > 0) rows = rows.slice(0, limit);
      const watch = new WatchSet().merge(list.watch).merge(health.watch);
      return {
        index: Math.max(list.index, health.index),
        value: { Service: str(svc.Service), Nodes: rows, DNS: q.DNS, Datacenter: ctx.datacenter, Failovers: 0 },
        watch,
      };
    }, (err, reply) => {
      if (err) return respond(err);
      const r = reply as { Value: ExecuteResult | null };
      if (!r.Value) return respond(ERR_QUERY_NOT_FOUND);
      respond(undefined, r);
    });
  },
};

function nearSort(state: Parameters<typeof coordinates>[0], rows: ServiceEntry[], near: string): ServiceEntry[] {
  const coords = new Map<string, Coord>();
  for (const c of coordinates(state).value) if (c.Segment === '') coords.set(c.Node, c.Coord);
  const from = coords.get(near);
  return from ? sortByDistance(rows, (e) => e.Node.Node, from, coords) : rows;
}
