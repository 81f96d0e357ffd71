/**
 * The handler's token and error plumbing, in-process: the typed client's fetch goes straight to
 * the admin handler, whose cluster talks to a stand-in `/v1` handler that records what it was
 * sent and answers as an ACL-enforcing agent would.
 */
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { Timers } from '../core/ports/clock.ts';
import { v1AdminCluster } from '../core/admin/v1-cluster.ts';
import { createAdminClient } from './client.ts';
import { createAdminHandler } from './handler.ts';
import type { AdminRouter } from './router.ts';

const timers: Timers = {
  setTimer(ms, cb) {
    const t = setTimeout(cb, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

/** A `/v1` stand-in: `answer` decides per request; every request's path and token are recorded. */
function stubAgent(answer: (path: string, token: string | null) => Response) {
  const seen: Array<{ path: string; token: string | null }> = [];
  const v1 = async (req: Request) => {
    const url = new URL(req.url);
    const token = req.headers.get('x-consul-token');
    seen.push({ path: `${req.method} ${url.pathname}${url.search}`, token });
    return answer(url.pathname, token);
  };
  const handler = createAdminHandler({ cluster: v1AdminCluster({ fetch: v1, timers, pollMs: 20 }) });
  const client = (token?: string) => createAdminClient({ baseUrl: 'http://agent', token, fetch: (input, init) => handler(new Request(input, init)) });
  return { seen, handler, client };
}

async function failure(p: Promise<unknown>): Promise<{ code: string | undefined; message: string; consulStatus: unknown }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCClientError)) throw e;
    const data = (e as TRPCClientError<AdminRouter>).data;
    return { code: data?.code, message: e.message, consulStatus: data?.consulStatus };
  }
  throw new Error('expected a failure');
}

describe('admin handler', () => {
  it('passes the token from X-Consul-Token, Authorization: Bearer and connection params to /v1', async () => {
    const agent = stubAgent(() => Response.json(['dc1']));
    await agent.client('secret-1').catalog.nodes.query();
    expect(agent.seen.at(-1)).toEqual({ path: 'GET /v1/catalog/nodes', token: 'secret-1' });
    await agent.handler(new Request('http://agent/api/trpc/catalog.services', { headers: { Authorization: 'Bearer secret-2' } }));
    expect(agent.seen.at(-1)).toEqual({ path: 'GET /v1/catalog/services', token: 'secret-2' });
    // A browser EventSource cannot set headers: tRPC sends connection params in the query instead.
    const params = encodeURIComponent(JSON.stringify({ token: 'secret-3' }));
    const sse = await agent.handler(new Request(`http://agent/api/trpc/events.leader?connectionParams=${params}`));
    const reader = sse.body!.getReader();
    const text = new TextDecoder();
    let got = '';
    while (!got.includes('"leader"')) got += text.decode((await reader.read()).value);
    await reader.cancel();
    expect(agent.seen.at(-1)).toEqual({ path: 'GET /v1/status/leader', token: 'secret-3' });
  });

  it('maps Consul failures to tRPC codes with the agent text', async () => {
    const agent = stubAgent((path, token) => {
      if (token === 'bad') return new Response('ACL not found', { status: 403 });
      if (path === '/v1/catalog/nodes') return new Response('Permission denied: token with AccessorID abc lacks permission node:read', { status: 403 });
      if (path === '/v1/operator/raft/configuration') return new Response('No cluster leader', { status: 500 });
      if (path === '/v1/catalog/services') return new Response('rpc error: boom', { status: 500 });
      return new Response('Invalid URL path: not a recognized HTTP API endpoint', { status: 404 });
    });
    expect(await failure(agent.client().catalog.nodes.query())).toEqual({ code: 'FORBIDDEN', message: 'Permission denied: token with AccessorID abc lacks permission node:read', consulStatus: 403 });
    expect(await failure(agent.client('bad').kv.list.query({ prefix: '' }))).toEqual({ code: 'FORBIDDEN', message: 'ACL not found', consulStatus: 403 });
    expect(await failure(agent.client().raft.configuration.query())).toEqual({ code: 'PRECONDITION_FAILED', message: 'No cluster leader', consulStatus: 500 });
    expect(await failure(agent.client().catalog.services.query())).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'rpc error: boom', consulStatus: 500 });
    expect(await failure(agent.client().keyring.list.query())).toEqual({ code: 'NOT_FOUND', message: 'Invalid URL path: not a recognized HTTP API endpoint', consulStatus: 404 });
    // Refused before any request: invalid input never reaches the agent.
    const before = agent.seen.length;
    expect((await failure(agent.client().sessions.destroy.mutate({ id: '' }))).code).toBe('BAD_REQUEST');
    expect((await failure(agent.client().kv.put.mutate({ key: 'a/../b', value: 'x' }))).message).toBe('URL path contains invalid traversal sequence');
    expect(agent.seen.length).toBe(before);
  });

  it('answers GET /api/trpc/cluster.overview from the agent view even without a leader', async () => {
    const agent = stubAgent((path) => {
      if (path === '/v1/agent/self') return Response.json({ Config: { NodeName: 'n1', Datacenter: 'dc1', Server: true } });
      if (path === '/v1/catalog/datacenters') return Response.json(['dc1']);
      if (path === '/v1/agent/members') return Response.json([{ Name: 'n1', Addr: '10.0.0.1', Port: 8301, Tags: { role: 'consul', dc: 'dc1' }, Status: 4 }]);
      return new Response('No cluster leader', { status: 500 });
    });
    const res = await agent.handler(new Request('http://agent/api/trpc/cluster.overview'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: unknown } };
    const failed = { name: 'n1', address: '10.0.0.1:8301', status: 'failed', role: 'server', datacenter: 'dc1', tags: { role: 'consul', dc: 'dc1' } };
    expect(body.result.data).toEqual({ agent: { node: 'n1', datacenter: 'dc1', server: true }, datacenters: ['dc1'], leader: '', servers: [], members: { lan: [failed], wan: [failed] } });
  });
});
