import type { ApiResponse } from '../api-response.ts';
import { describe, expect, it } from 'vitest';
import { filterInstances, renderTemplate, resolveQuery, validateQuery } from '../../agent/server/query/prepared-query.ts';
import type { PreparedQuery } from '../../state/types.ts';
import { type SimDatacenter, simDatacenter } from '../testing/sim-datacenter.ts';

const json = async (r: ApiResponse) => (await r.json()) as Record<string, unknown>;

async function register(dc: SimDatacenter, node: string, id: string, tags: string[], status = 'passing') {
  const body = {
    Node: node,
    Address: `10.0.0.${node.length}`,
    Service: { ID: id, Service: 'web', Tags: tags, Port: 80 },
    Check: { CheckID: `chk-${id}`, Name: 'c', Status: status, ServiceID: id },
  };
  const r = await dc.http('s1', '/v1/catalog/register', { method: 'PUT', body: JSON.stringify(body) });
  expect(r.status).toBe(200);
}

describe('prepared-query rules', () => {
  it('validates like parseQuery', () => {
    expect(validateQuery({ Service: {} })).toBe('Must provide a Service name to query');
    expect(validateQuery({ Service: { Service: 'a', Failover: { NearestN: -1 } } })).toBe("Bad NearestN '-1', must be >= 0");
    expect(validateQuery({ Service: { Service: 'a' }, Template: { Type: 'nope' } })).toBe("Bad Template.Type 'nope'");
    expect(validateQuery({ Service: { Service: 'a' }, DNS: { TTL: 'x' } })).toMatch(/^Bad DNS TTL 'x'/);
    expect(validateQuery({ Service: { Service: 'a' }, DNS: { TTL: '10s' } })).toBeUndefined();
  });

  it('resolves ID, then exact name, then the longest template prefix, and renders the template', () => {
    const base = { Session: '', Token: '', DNS: { TTL: '' }, RaftIndex: { CreateIndex: 1, ModifyIndex: 1 } };
    const all: PreparedQuery[] = [
      { ...base, ID: 'id-1', Name: 'web', Service: { Service: 'web' } },
      { ...base, ID: 'id-2', Name: 'geo-', Service: { Service: '${name.suffix}', Tags: ['${match(1)}', ''] }, Template: { Type: 'name_prefix_match', Regexp: '^geo-(\\w+)$', RemoveEmptyTags: true } },
      { ...base, ID: 'id-3', Name: '', Service: { Service: 'x' }, Template: { Type: 'name_prefix_match', Regexp: '', RemoveEmptyTags: false } },
    ];
    expect(resolveQuery(all, 'id-1')?.ID).toBe('id-1');
    expect(resolveQuery(all, 'WEB')?.ID).toBe('id-1');
    expect(resolveQuery(all, 'geo-db')?.ID).toBe('id-2');
    expect(resolveQuery(all, 'other')?.ID).toBe('id-3');
    const q = resolveQuery(all, 'geo-db') as PreparedQuery;
    expect(renderTemplate(q, 'geo-db').Service).toEqual({ Service: 'db', Tags: ['db'] });
  });

  it('filters critical instances, OnlyPassing, !tags and meta', () => {
    const node = { ID: '', Node: 'n', Address: '', Datacenter: 'dc1', TaggedAddresses: {}, Meta: { rack: 'a' }, CreateIndex: 1, ModifyIndex: 1 };
    const entry = (tags: string[], status: string) => ({
      Node: node,
      Service: { ID: tags.join(), Service: 'web', Tags: tags, Meta: {} },
      Checks: [{ CheckID: 'c', Status: status }],
    });
    const rows = [entry(['v1'], 'passing'), entry(['v2'], 'warning'), entry(['v1'], 'critical')] as never[];
    expect(filterInstances(rows, {}).length).toBe(2);
    expect(filterInstances(rows, { OnlyPassing: true }).length).toBe(1);
    expect(filterInstances(rows, { Tags: ['!V1'] }).length).toBe(1);
    expect(filterInstances(rows, { IgnoreCheckIDs: ['c'] }).length).toBe(3);
    expect(filterInstances(rows, { NodeMeta: { rack: 'b' } }).length).toBe(0);
  });
});

describe('/v1/query', () => {
  it('creates, lists, reads, executes, explains, updates and deletes', async () => {
    const dc = await simDatacenter(51);
    await register(dc, 'n1', 'web-1', ['v1']);
    await register(dc, 'n2', 'web-2', ['v2']);
    await register(dc, 'n3', 'web-3', ['v1'], 'critical');
    const created = await dc.http('s1', '/v1/query', { method: 'POST', body: JSON.stringify({ name: 'web-q', service: { service: 'web', tags: ['v1'] }, dns: { ttl: '10s' } }) });
    expect(created.status).toBe(200);
    const { ID } = (await json(created)) as { ID: string };
    expect(ID).toMatch(/^[0-9a-f-]{36}$/);

    const list = (await (await dc.http('s1', '/v1/query')).json()) as Array<Record<string, unknown>>;
    expect(list.length).toBe(1);
    expect(list[0]).toMatchObject({ ID, Name: 'web-q', DNS: { TTL: '10s' } });
    expect(((list[0] ?? {}).Service as Record<string, unknown>).Failover).toEqual({ NearestN: 0, Datacenters: null, Targets: null });
    expect(list[0]?.RaftIndex).toMatchObject({ CreateIndex: expect.any(Number), ModifyIndex: expect.any(Number) });

    const one = (await (await dc.http('s1', `/v1/query/${ID}`)).json()) as unknown[];
    expect(one.length).toBe(1);

    const exec = await dc.http('s1', '/v1/query/web-q/execute');
    expect(exec.status).toBe(200);
    const result = await json(exec);
    expect(result).toMatchObject({ Service: 'web', DNS: { TTL: '10s' }, Datacenter: 'dc1', Failovers: 0 });
    expect((result.Nodes as Array<{ Service: { ID: string } }>).map((n) => n.Service.ID)).toEqual(['web-1']);
    expect(Number(exec.headers.get('X-Consul-Index'))).toBeGreaterThan(1);

    const explain = await json(await dc.http('s1', `/v1/query/${ID}/explain`));
    expect((explain.Query as Record<string, unknown>).ID).toBe(ID);

    const upd = await dc.http('s1', `/v1/query/${ID}`, { method: 'PUT', body: JSON.stringify({ Name: 'web-q', Service: { Service: 'web' } }) });
    expect(upd.status).toBe(200);
    const all = await json(await dc.http('s1', `/v1/query/${ID}/execute?limit=1`));
    expect((all.Nodes as unknown[]).length).toBe(1);
    const unlimited = await json(await dc.http('s1', `/v1/query/${ID}/execute`));
    expect((unlimited.Nodes as unknown[]).length).toBe(2);

    expect((await dc.http('s1', `/v1/query/${ID}`, { method: 'DELETE' })).status).toBe(200);
    const gone = await dc.http('s1', `/v1/query/${ID}`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe('Query not found');
    expect((await dc.http('s1', '/v1/query/nope/execute')).status).toBe(404);
  });

  it('refuses bad definitions and unknown IDs with Consul’s texts', async () => {
    const dc = await simDatacenter(52);
    const noService = await dc.http('s1', '/v1/query', { method: 'POST', body: JSON.stringify({ Name: 'x' }) });
    expect(noService.status).toBe(500);
    expect(await noService.text()).toBe('Failed prepared query parsing: Must provide a Service name to query');
    const bad = await dc.http('s1', '/v1/query', { method: 'POST', body: '{"Name":' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^Request decode failed: /);
    const upd = await dc.http('s1', '/v1/query/abc', { method: 'PUT', body: JSON.stringify({ Service: { Service: 'a' } }) });
    expect(await upd.text()).toBe("Cannot modify non-existent prepared query: 'abc'");
    expect((await dc.http('s1', '/v1/query/abc/execute', { method: 'PUT' })).status).toBe(405);
    const dup1 = await dc.http('s1', '/v1/query', { method: 'POST', body: JSON.stringify({ Name: 'same', Service: { Service: 'a' } }) });
    expect(dup1.status).toBe(200);
    const dup2 = await dc.http('s1', '/v1/query', { method: 'POST', body: JSON.stringify({ Name: 'same', Service: { Service: 'a' } }) });
    expect(dup2.status).toBe(500);
    expect((await (await dc.http('s1', '/v1/query')).json() as unknown[]).length).toBe(1);
  });
});

describe('prepared-query failover', () => {
  it('orders NearestN first, then listed known datacenters, skipping unknown ones', async () => {
    const { failoverTargets } = await import('../../agent/server/query/prepared-query.ts');
    const known = ['dc1', 'dc3', 'dc2', 'dc4'];
    expect(failoverTargets(known, 'dc1', { NearestN: 2, Datacenters: ['dc4', 'dc9', 'dc3'] })).toEqual(['dc3', 'dc2', 'dc4']);
    expect(failoverTargets(known, 'dc1', {})).toEqual([]);
  });

  it('asks the failover datacenters in order when nothing is left here', async () => {
    const { createHttpApi } = await import('../http-api.ts');
    const { DEFAULT_HTTP_API_OPTIONS } = await import('../api.ts');
    const asked: string[] = [];
    const query = { ID: 'q', Name: 'q', Service: { Service: 'db', Failover: { Datacenters: ['dc2', 'dc3'] } }, DNS: { TTL: '' } };
    const rpc = async (method: string, args: Record<string, unknown>) => {
      if (method === 'PreparedQuery.Execute') return { Index: 5, KnownLeader: true, LastContact: 0, Mode: 'default', Value: { Service: 'db', Nodes: [], DNS: { TTL: '' }, Datacenter: 'dc1', Failovers: 0 } };
      if (method === 'PreparedQuery.Explain') return { Index: 5, Value: { Query: query } };
      if (method === 'Catalog.ListDatacenters') return ['dc1', 'dc2', 'dc3'];
      if (method === 'PreparedQuery.ExecuteRemote') {
        asked.push(String(args.Datacenter));
        const nodes = args.Datacenter === 'dc3' ? [{ Node: { Node: 'far' }, Service: {}, Checks: [] }] : [];
        return { Index: 9, Value: { Service: 'db', Nodes: nodes, DNS: { TTL: '' }, Datacenter: args.Datacenter, Failovers: 0 } };
      }
      throw new Error(`unexpected ${method}`);
    };
    const agent = { nodeName: 'n1', datacenter: 'dc1', rpc, self: () => ({}) } as unknown as Parameters<typeof createHttpApi>[0];
    const api = createHttpApi(agent, DEFAULT_HTTP_API_OPTIONS, { setTimer: () => ({ cancel: () => {} }) });
    const r = await api.fetch(new Request('http://127.0.0.1:8500/v1/query/q/execute'));
    const body = (await r.json()) as { Datacenter: string; Failovers: number; Nodes: Array<{ Node: { Node: string } }> };
    expect(asked).toEqual(['dc2', 'dc3']);
    expect(body.Datacenter).toBe('dc3');
    expect(body.Failovers).toBe(2);
    expect(body.Nodes.map((n) => n.Node.Node)).toEqual(['far']);
  });
});
