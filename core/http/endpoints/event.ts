import { eventIndex, type UserEvent } from '../../agent/user-events.ts';
import { DEFAULT_QUERY_TIME_MS, MAX_QUERY_TIME_MS } from '../../lib/blocking.ts';
import { DurationError, parseGoDuration } from '../../lib/duration.ts';
import type { AgentApi, AgentEventsApi } from '../api.ts';
import { ApiResponse } from '../api-response.ts';
import type { ApiContext } from '../context.ts';
import { badRequest, HttpError } from '../errors.ts';
import { encodeJson } from '../json.ts';
import type { Router } from '../router.ts';
import { toBase64 } from './kv.ts';

/**
 * `/v1/event/fire/:name` and `/v1/event/list` (agent/event_endpoint.go). Events are agent-local:
 * the list is this agent's ring of the last 256 events it accepted, and its blocking index is
 * uuidToUint64 of the newest event's ID (opaque and not monotonic, so a blocked request waits
 * only while the index equals the one it was given).
 */

/**
 * Cap on a fire request's body, checked against Content-Length and while streaming before the
 * payload is buffered (CVE-2025-11375: the endpoint used to read bodies of any size into memory).
 * Serf's user-event limit is 512 bytes including the name, so nothing larger could be sent anyway.
 */
export const EVENT_MAX_PAYLOAD = 512;

function eventsOf(agent: AgentApi): AgentEventsApi {
  if (!agent.events) throw new HttpError(500, 'user events are not available on this agent');
  return agent.events;
}

/** The JSON of an event: Payload base64 or null, as Go encodes []byte. */
function eventJson(e: UserEvent): Record<string, unknown> {
  return {
    ID: e.ID,
    Name: e.Name,
    Payload: e.Payload && e.Payload.length > 0 ? toBase64(e.Payload) : null,
    NodeFilter: e.NodeFilter,
    ServiceFilter: e.ServiceFilter,
    TagFilter: e.TagFilter,
    Version: e.Version,
    LTime: e.LTime,
  };
}

function jsonWithIndex(value: unknown, index: bigint, pretty: boolean): ApiResponse {
  return new ApiResponse(200, encodeJson(value, pretty), { 'Content-Type': 'application/json', 'X-Consul-Index': index.toString() });
}

/** `?index` for events is a full uint64 (the XOR of the UUID halves). */
function parseEventIndex(ctx: ApiContext): bigint {
  const raw = ctx.query.get('index');
  if (raw === null || raw === '') return 0n;
  if (!/^\d+$/.test(raw)) throw badRequest('Invalid index');
  const v = BigInt(raw);
  if (v > 0xffff_ffff_ffff_ffffn) throw badRequest('Invalid index');
  return v;
}

function parseWaitMs(ctx: ApiContext, jitter: number): number {
  const raw = ctx.query.get('wait');
  let ms = 0;
  if (raw) {
    try {
      ms = parseGoDuration(raw) / 1e6;
    } catch (e) {
      if (e instanceof DurationError) throw badRequest('Invalid wait time');
      throw e;
    }
    if (ms < 0) throw badRequest('Invalid wait time');
  }
  const base = Math.min(ms > 0 ? ms : DEFAULT_QUERY_TIME_MS, MAX_QUERY_TIME_MS);
  return base + jitter * (base / 16);
}

function listed(events: AgentEventsApi, name: string): { rows: UserEvent[]; index: bigint } {
  const rows = events.list().filter((e) => name === '' || e.Name === name);
  const last = rows[rows.length - 1];
  // A non-zero index even when nothing matches, so that watches do not spin.
  return { rows, index: last ? eventIndex(last.ID) : 1n };
}

export function registerEvent(router: Router, agent: AgentApi): void {
  router.register('/v1/event/fire/', ['PUT', 'POST'], async (ctx) => {
    const events = eventsOf(agent);
    if (ctx.query.get('dc') && ctx.query.get('dc') !== agent.datacenter) throw new HttpError(500, 'No path to datacenter');
    const name = ctx.suffix;
    if (name === '') throw badRequest('Missing name');
    (await ctx.authorize()).require('event', name, 'write');
    const body = await ctx.readBody(EVENT_MAX_PAYLOAD);
    const event = events.fire({
      Name: name,
      Payload: body.length > 0 ? body : null,
      NodeFilter: ctx.query.get('node') ?? '',
      ServiceFilter: ctx.query.get('service') ?? '',
      TagFilter: ctx.query.get('tag') ?? '',
    });
    return new ApiResponse(200, encodeJson(eventJson(event), ctx.pretty), { 'Content-Type': 'application/json' });
  });

  router.register('/v1/event/list', ['GET'], async (ctx) => {
    const events = eventsOf(agent);
    const acl = await ctx.authorize();
    const name = ctx.query.get('name') ?? '';
    const minIndex = parseEventIndex(ctx);
    const waitMs = parseWaitMs(ctx, agent.random?.() ?? 0.5);
    let result = listed(events, name);
    if (minIndex > 0n && result.index === minIndex) {
      // A new event that does not match the name filter leaves the index unchanged: such events
      // do not wake this request, which keeps waiting for the rest of its time.
      await new Promise<void>((resolve) => events.wait(waitMs, () => listed(events, name).index !== minIndex, resolve));
      result = listed(events, name);
    }
    return jsonWithIndex(ctx.keep(result.rows, (e) => acl.can('event', e.Name, 'read')).map(eventJson), result.index, ctx.pretty);
  });
}
