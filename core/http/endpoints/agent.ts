import type { AgentTokens } from '../../agent/agent-config.ts';
import type { CheckStatus } from '../../agent/checks/check-definition.ts';
import { toHealthCheck } from '../../agent/local/anti-entropy.ts';
import type { LocalCheck } from '../../agent/local/local-state.ts';
import type { ServiceDefinition } from '../../agent/local/service-definition.ts';
import type { Member } from '../../gossip/serf/events.ts';
import { DEFAULT_QUERY_TIME_MS, MAX_QUERY_TIME_MS } from '../../lib/blocking.ts';
import { parseGoDuration } from '../../lib/duration.ts';
import { fnv64Hex } from '../../lib/hash.ts';
import type { Timers } from '../../ports/clock.ts';
import type { AgentApi } from '../api.ts';
import type { ApiResponse } from '../api-response.ts';
import type { ApiContext } from '../context.ts';
import { badRequest, HttpError, notFound } from '../errors.ts';
import { encodeJson, isObject } from '../json.ts';
import { parseGoBool } from '../query.ts';
import { emptyResponse, jsonResponse, textResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { applyFilter } from '../rpc-read.ts';

const STATUS_NUMBER: Record<Member['status'], number> = { none: 0, alive: 1, leaving: 2, left: 3, failed: 4 };

/** A serf member as `/v1/agent/members` shows it. */
export function memberJson(m: Member): Record<string, unknown> {
  return {
    Name: m.name,
    Addr: m.addr,
    Port: m.port,
    Tags: m.tags,
    Status: STATUS_NUMBER[m.status],
    ProtocolMin: m.protocolMin,
    ProtocolMax: m.protocolMax,
    ProtocolCur: m.protocolCur,
    DelegateMin: m.delegateMin,
    DelegateMax: m.delegateMax,
    DelegateCur: m.delegateCur,
  };
}

/** An AgentService (agent endpoints never return null Tags). */
function serviceJson(s: ServiceDefinition, datacenter: string): Record<string, unknown> {
  return {
    ...(s.Kind ? { Kind: s.Kind } : {}),
    ID: s.ID,
    Service: s.Service,
    Tags: s.Tags,
    Meta: s.Meta,
    Port: s.Port,
    Address: s.Address,
    ...(Object.keys(s.TaggedAddresses).length > 0 ? { TaggedAddresses: s.TaggedAddresses } : {}),
    Weights: s.Weights,
    EnableTagOverride: s.EnableTagOverride,
    Datacenter: datacenter,
  };
}

function checkJson(agent: AgentApi, c: LocalCheck): Record<string, unknown> {
  const svc = c.definition.ServiceID ? agent.local.services.get(c.definition.ServiceID) : undefined;
  const h = toHealthCheck(agent.nodeName, c);
  return { ...h, ServiceName: svc?.Service ?? '', ServiceTags: svc?.Tags ?? [], ExposedPort: 0, Definition: {}, CreateIndex: 0, ModifyIndex: 0 };
}

/**
 * Hash-based blocking (agent endpoints): with `?hash=` equal to the current content hash, waits for
 * a local change or the wait time before answering. Responds with X-Consul-ContentHash.
 */
type Block = (ctx: ApiContext, render: () => unknown) => Promise<{ value: unknown; hash: string }>;

async function hashBlocking(agent: AgentApi, timers: Timers, ctx: ApiContext, render: () => unknown): Promise<{ value: unknown; hash: string }> {
  const hashOf = (v: unknown) => fnv64Hex(encodeJson(v)).slice(0, 16);
  let value = render();
  const wanted = ctx.query.get('hash');
  if (!wanted || wanted !== hashOf(value)) return { value, hash: hashOf(value) };
  const waitMs = parseWaitMs(ctx.query.get('wait'));
  await new Promise<void>((resolve) => {
    let off = () => {};
    const timer = timers.setTimer(waitMs, () => {
      off();
      resolve();
    });
    off = agent.local.onChange(() => {
      if (hashOf(render()) !== wanted) {
        off();
        timer.cancel();
        resolve();
      }
    });
    ctx.request.signal.addEventListener('abort', () => {
      off();
      timer.cancel();
      resolve();
    });
  });
  value = render();
  return { value, hash: hashOf(value) };
}

/** `?wait=` for hash blocking: Consul's 5 min default, capped at 10 min, Go duration syntax. */
function parseWaitMs(wait: string | null): number {
  if (!wait) return DEFAULT_QUERY_TIME_MS;
  try {
    return Math.min(parseGoDuration(wait) / 1e6, MAX_QUERY_TIME_MS);
  } catch {
    return DEFAULT_QUERY_TIME_MS;
  }
}

/** Agent endpoints (`/v1/agent/*`): local, never forwarded to the servers. */
export function registerAgent(router: Router, agent: AgentApi, timers: Timers): void {
  const block: Block = (ctx, render) => hashBlocking(agent, timers, ctx, render);
  const agentWrite = async (ctx: ApiContext) => (await ctx.authorize()).require('agent', agent.nodeName, 'write');
  router.register('/v1/agent/self', ['GET'], async (ctx) => {
    (await ctx.authorize()).require('agent', agent.nodeName, 'read');
    return jsonResponse(agent.self(), { pretty: ctx.pretty });
  });
  router.register('/v1/agent/members', ['GET'], async (ctx) => {
    const acl = await ctx.authorize();
    const members = ctx.keep(ctx.has('wan') ? agent.wanMembers() : agent.members(), (m) => acl.can('node', m.name, 'read'));
    return jsonResponse(members.map(memberJson), { pretty: ctx.pretty });
  });
  router.register('/v1/agent/join/', ['PUT'], async (ctx) => {
    await agentWrite(ctx);
    const join = ctx.has('wan') ? agent.joinWan.bind(agent) : agent.join.bind(agent);
    const [joined, errors] = await new Promise<[number, string[]]>((resolve) => join([ctx.suffix], (n, e) => resolve([n, e])));
    if (joined === 0) throw new HttpError(500, errors.join('; ') || `Failed to join ${ctx.suffix}`);
    return emptyResponse();
  });
  router.register('/v1/agent/leave', ['PUT'], async (ctx) => {
    await agentWrite(ctx);
    await new Promise<void>((resolve) => agent.leave(resolve));
    return emptyResponse();
  });
  router.register('/v1/agent/force-leave/', ['PUT'], async (ctx) => {
    (await ctx.authorize()).requireSingle('operator', 'write');
    agent.forceLeave(ctx.suffix, ctx.has('prune'));
    return emptyResponse();
  });
  router.register('/v1/agent/reload', ['PUT'], async (ctx) => {
    await agentWrite(ctx);
    await agent.reload();
    return emptyResponse();
  });
  router.register('/v1/agent/maintenance', ['PUT'], async (ctx) => {
    (await ctx.authorize()).require('node', agent.nodeName, 'write');
    agent.setNodeMaintenance(enableParam(ctx), ctx.query.get('reason') ?? '');
    return emptyResponse();
  });
  registerAgentServices(router, agent, block);
  registerAgentChecks(router, agent);
  registerAgentTokens(router, agent);
}

const TOKEN_KINDS: Record<string, keyof AgentTokens> = {
  default: 'default',
  agent: 'agent',
  agent_recovery: 'agentRecovery',
  replication: 'replication',
  config_file_service_registration: 'configFileServiceRegistration',
  dns: 'dns',
  // Legacy names (Consul keeps them as aliases).
  acl_token: 'default',
  acl_agent_token: 'agent',
  agent_master: 'agentRecovery',
  acl_agent_master_token: 'agentRecovery',
  acl_replication_token: 'replication',
};

/** `PUT /v1/agent/token/<kind>` with `{"Token": "..."}`: agent:write (agent/agent_endpoint.go AgentToken). */
function registerAgentTokens(router: Router, agent: AgentApi): void {
  router.register('/v1/agent/token/', ['PUT'], async (ctx) => {
    (await ctx.authorize()).require('agent', agent.nodeName, 'write');
    if (!agent.aclsEnabled || !agent.setToken) throw new HttpError(401, 'ACL support disabled');
    const kind = TOKEN_KINDS[ctx.suffix];
    if (!kind) throw notFound(`Token "${ctx.suffix}" is unknown`);
    const body = await ctx.readJson();
    if (!isObject(body)) throw badRequest('Request decode failed: expected a JSON object');
    const token = body.Token ?? body.token;
    if (typeof token !== 'string') throw badRequest('Request decode failed: Token must be a string');
    agent.setToken(kind, token);
    return emptyResponse();
  });
}

/** The service a local service ID names, for ACL checks; 404 as Consul's vetServiceUpdate. */
function localServiceName(agent: AgentApi, id: string): string {
  const s = agent.local.services.get(id);
  if (!s) throw notFound(`Unknown service ID "${id}". Ensure that the service ID is passed, not the service name.`);
  return s.Service;
}

/**
 * A check update needs service:write on the check's service, or node:write on this node for a
 * node check (vetCheckUpdate). Unknown checks pass through to the agent's own 404.
 */
async function requireCheckWrite(agent: AgentApi, ctx: ApiContext, id: string): Promise<void> {
  const acl = await ctx.authorize();
  const c = agent.local.checks.get(id);
  if (!c) return;
  const svc = c.definition.ServiceID ? agent.local.services.get(c.definition.ServiceID) : undefined;
  if (c.definition.ServiceID) acl.require('service', svc?.Service ?? c.definition.ServiceID, 'write');
  else acl.require('node', agent.nodeName, 'write');
}

function enableParam(ctx: ApiContext): boolean {
  const v = ctx.query.get('enable');
  if (v === null) throw badRequest('Missing value for enable');
  const b = parseGoBool(v);
  if (b === undefined) throw badRequest(`Invalid value for enable: "${v}"`);
  return b;
}

function registerAgentServices(router: Router, agent: AgentApi, block: Block): void {
  const services = () => Object.fromEntries([...agent.local.services.values()].map((s) => [s.ID, serviceJson(s, agent.datacenter)]));
  router.register('/v1/agent/services', ['GET'], async (ctx) => {
    const acl = await ctx.authorize();
    const { value, hash } = await block(ctx, () => {
      const all = services();
      const kept = applyFilter(ctx, ctx.keep(Object.values(all), (s) => acl.can('service', s.Service as string, 'read')));
      return Object.fromEntries(kept.map((s) => [(s as { ID: string }).ID, s]));
    });
    return jsonResponse(value, { pretty: ctx.pretty, headers: { 'X-Consul-ContentHash': hash } });
  });
  router.register('/v1/agent/service/register', ['PUT'], async (ctx) => {
    const body = await ctx.readJson();
    if (!isObject(body)) throw badRequest('Request decode failed: expected a JSON object');
    const name = body.Name ?? body.name ?? body.Service ?? body.service;
    (await ctx.authorize()).require('service', typeof name === 'string' ? name : '', 'write');
    agent.registerService(body, ctx.has('replace-existing-checks'));
    return emptyResponse();
  });
  router.register('/v1/agent/service/deregister/', ['PUT'], async (ctx) => {
    const acl = await ctx.authorize();
    if (acl.enabled) acl.require('service', localServiceName(agent, ctx.suffix), 'write');
    agent.deregisterService(ctx.suffix);
    return emptyResponse();
  });
  router.register('/v1/agent/service/maintenance/', ['PUT'], async (ctx) => {
    const acl = await ctx.authorize();
    if (acl.enabled) acl.require('service', localServiceName(agent, ctx.suffix), 'write');
    agent.setServiceMaintenance(ctx.suffix, enableParam(ctx), ctx.query.get('reason') ?? '');
    return emptyResponse();
  });
  router.register('/v1/agent/service/', ['GET'], async (ctx) => {
    const id = ctx.suffix;
    if (!agent.local.services.has(id)) throw notFound(`unknown service ID: ${id}`);
    (await ctx.authorize()).require('service', localServiceName(agent, id), 'read');
    const { value, hash } = await block(ctx, () => {
      const s = agent.local.services.get(id);
      return s ? serviceJson(s, agent.datacenter) : null;
    });
    return jsonResponse(value ? { ...(value as object), ContentHash: hash } : null, { pretty: ctx.pretty, headers: { 'X-Consul-ContentHash': hash } });
  });
  // These leaked service and check data without ACL checks before Consul 1.6.3 (CVE-2020-7955).
  router.register('/v1/agent/health/service/id/', ['GET'], async (ctx) => {
    const s = agent.local.services.get(ctx.suffix);
    if (s) (await ctx.authorize()).require('service', s.Service, 'read');
    if (!s) {
      if (ctx.query.get('format') === 'text') return textResponse(404, `ServiceId ${ctx.suffix} not found`);
      return jsonResponse({ AggregatedStatus: 'critical', Checks: null, Service: null }, { pretty: ctx.pretty, status: 404, headers: { 'X-Consul-Reason': `ServiceId ${ctx.suffix} not found` } });
    }
    return serviceHealth(ctx, agent, [s], false);
  });
  router.register('/v1/agent/health/service/name/', ['GET'], async (ctx) => {
    (await ctx.authorize()).require('service', ctx.suffix, 'read');
    const matching = [...agent.local.services.values()].filter((s) => s.Service === ctx.suffix);
    if (matching.length === 0) {
      if (ctx.query.get('format') === 'text') return textResponse(404, `ServiceName ${ctx.suffix} Not Found`);
      return jsonResponse([], { pretty: ctx.pretty, status: 404 });
    }
    return serviceHealth(ctx, agent, matching, true);
  });
}

const RANK: Record<string, number> = { passing: 0, warning: 1, critical: 2, maintenance: 3 };
const CODE: Record<string, number> = { passing: 200, warning: 429, critical: 503, maintenance: 503 };

/** Aggregated local health: the worst of the service's checks and the node's checks. */
function aggregated(agent: AgentApi, s: ServiceDefinition): { status: string; checks: LocalCheck[] } {
  const checks = [...agent.local.checks.values()].filter((c) => c.definition.ServiceID === s.ID || c.definition.ServiceID === '');
  let status = 'passing';
  for (const c of checks) {
    const st = c.definition.CheckID.startsWith('_') && c.status === 'critical' ? 'maintenance' : c.status;
    if ((RANK[st] ?? 0) > (RANK[status] ?? 0)) status = st;
  }
  return { status, checks };
}

function serviceHealth(ctx: ApiContext, agent: AgentApi, services: ServiceDefinition[], asList: boolean): ApiResponse {
  const entries = services.map((s) => {
    const a = aggregated(agent, s);
    return { AggregatedStatus: a.status, Service: serviceJson(s, agent.datacenter), Checks: a.checks.map((c) => checkJson(agent, c)) };
  });
  const worst = entries.reduce((w, e) => ((RANK[e.AggregatedStatus] ?? 0) > (RANK[w] ?? 0) ? e.AggregatedStatus : w), 'passing');
  const status = CODE[worst] ?? 503;
  if (ctx.query.get('format') === 'text') return textResponse(status, worst);
  return jsonResponse(asList ? entries : entries[0], { pretty: ctx.pretty, status });
}

function registerAgentChecks(router: Router, agent: AgentApi): void {
  router.register('/v1/agent/checks', ['GET'], async (ctx) => {
    const acl = await ctx.authorize();
    const all = [...agent.local.checks.values()].map((c) => checkJson(agent, c));
    const visible = ctx.keep(all, (c) => (c.ServiceID ? acl.can('service', c.ServiceName as string, 'read') : acl.can('node', agent.nodeName, 'read')));
    const kept = applyFilter(ctx, visible);
    return jsonResponse(Object.fromEntries(kept.map((c) => [c.CheckID as string, c])), { pretty: ctx.pretty });
  });
  router.register('/v1/agent/check/register', ['PUT'], async (ctx) => {
    const body = await ctx.readJson();
    if (!isObject(body)) throw badRequest('Request decode failed: expected a JSON object');
    const acl = await ctx.authorize();
    const serviceID = body.ServiceID ?? body.service_id ?? body.serviceid;
    if (typeof serviceID === 'string' && serviceID !== '') {
      if (acl.enabled) acl.require('service', agent.local.services.get(serviceID)?.Service ?? serviceID, 'write');
    } else acl.require('node', agent.nodeName, 'write');
    agent.registerCheck(body);
    return emptyResponse();
  });
  router.register('/v1/agent/check/deregister/', ['PUT'], async (ctx) => {
    await requireCheckWrite(agent, ctx, ctx.suffix);
    agent.deregisterCheck(ctx.suffix);
    return emptyResponse();
  });
  const ttl = (status: CheckStatus) => async (ctx: ApiContext) => {
    await requireCheckWrite(agent, ctx, ctx.suffix);
    agent.updateCheck(ctx.suffix, status, ctx.query.get('note') ?? '');
    return emptyResponse();
  };
  router.register('/v1/agent/check/pass/', ['PUT'], ttl('passing'));
  router.register('/v1/agent/check/warn/', ['PUT'], ttl('warning'));
  router.register('/v1/agent/check/fail/', ['PUT'], ttl('critical'));
  router.register('/v1/agent/check/update/', ['PUT'], async (ctx) => {
    const body = await ctx.readJson();
    if (!isObject(body)) throw badRequest('Request decode failed: expected a JSON object');
    await requireCheckWrite(agent, ctx, ctx.suffix);
    const status = body.Status ?? body.status;
    if (status !== 'passing' && status !== 'warning' && status !== 'critical') throw badRequest(`Invalid check status: '${String(status)}'`);
    agent.updateCheck(ctx.suffix, status, String(body.Output ?? body.output ?? ''));
    return emptyResponse();
  });
}
