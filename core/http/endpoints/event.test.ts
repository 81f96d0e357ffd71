import type { ApiResponse } from '../api-response.ts';
import { describe, expect, it } from 'vitest';
import { decodeUserEvent, encodeUserEvent, eventIndex, shouldProcessUserEvent, type UserEvent } from '../../agent/user-events.ts';
import { simDatacenter } from '../testing/sim-datacenter.ts';

const ev = (over: Partial<UserEvent> = {}): UserEvent => ({
  ID: 'b54fe110-7af5-cafc-d1fb-afc8ba432b1c',
  Name: 'deploy',
  Payload: null,
  NodeFilter: '',
  ServiceFilter: '',
  TagFilter: '',
  Version: 1,
  LTime: 0,
  ...over,
});

describe('user events (codec and filters)', () => {
  it('round-trips Consul’s msgpack payload with short keys and derives the uint64 index', () => {
    const e = ev({ Payload: new TextEncoder().encode('v2'), NodeFilter: 'web' });
    const back = decodeUserEvent(encodeUserEvent(e), 7);
    expect(back).toEqual({ ...e, LTime: 7 });
    // (0xb54fe1107af5cafc) XOR (0xd1fbafc8ba432b1c), as Consul's uuidToUint64.
    expect(eventIndex(e.ID)).toBe(0xb54fe1107af5cafcn ^ 0xd1fbafc8ba432b1cn);
  });

  it('applies node, service and tag regexes like shouldProcessUserEvent', () => {
    const svcs = [{ Service: 'redis', Tags: ['primary'] }];
    expect(shouldProcessUserEvent(ev({ NodeFilter: '^web' }), 'web-1', svcs)).toBe(true);
    expect(shouldProcessUserEvent(ev({ NodeFilter: '^db' }), 'web-1', svcs)).toBe(false);
    expect(shouldProcessUserEvent(ev({ ServiceFilter: 'red' }), 'n', svcs)).toBe(true);
    expect(shouldProcessUserEvent(ev({ ServiceFilter: 'red', TagFilter: 'replica' }), 'n', svcs)).toBe(false);
    expect(shouldProcessUserEvent(ev({ Version: 2 }), 'n', svcs)).toBe(false);
  });
});

describe('/v1/event', () => {
  it('fires an event that every agent lists, with the index from its ID, and blocks until the next', async () => {
    const dc = await simDatacenter(31, ['c1']);
    const fired = await dc.http('c1', '/v1/event/fire/deploy?node=.*', { method: 'PUT', body: 'v1.2' });
    expect(fired.status).toBe(200);
    const event = (await fired.json()) as Record<string, unknown>;
    expect(event).toMatchObject({ Name: 'deploy', Payload: btoa('v1.2'), NodeFilter: '.*', ServiceFilter: '', TagFilter: '', Version: 1, LTime: 0 });
    expect(String(event.ID)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await dc.advance(1000);
    const list = await dc.http('s1', '/v1/event/list?name=deploy');
    const rows = (await list.json()) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.ID)).toEqual([event.ID]);
    expect(Number(rows[0]?.LTime)).toBeGreaterThan(0);
    const index = list.headers.get('X-Consul-Index') ?? '';
    expect(index).toBe(eventIndex(String(event.ID)).toString());

    // Blocking: a second event wakes the waiter; one for another name does not change its index.
    let answered: ApiResponse | undefined;
    void dc.http('s1', `/v1/event/list?name=deploy&index=${index}&wait=30s`).then((r) => (answered = r));
    await dc.http('c1', '/v1/event/fire/other', { method: 'PUT' });
    await dc.advance(1000);
    expect(answered).toBeUndefined();
    await dc.http('c1', '/v1/event/fire/deploy', { method: 'POST', body: 'v2' });
    await dc.advance(1000);
    expect(answered?.status).toBe(200);
    expect(((await (answered as ApiResponse).json()) as unknown[]).length).toBe(2);
  });

  it('answers an empty list with index 1 and refuses bad input', async () => {
    const dc = await simDatacenter(32);
    const empty = await dc.http('s1', '/v1/event/list');
    expect(await empty.json()).toEqual([]);
    expect(empty.headers.get('X-Consul-Index')).toBe('1');
    const big = await dc.http('s1', '/v1/event/fire/x', { method: 'PUT', body: 'a'.repeat(600) });
    expect(big.status).toBe(413);
    const noName = await dc.http('s1', '/v1/event/fire/', { method: 'PUT' });
    expect(noName.status).toBe(400);
    expect(await noName.text()).toBe('Missing name');
    const tagOnly = await dc.http('s1', '/v1/event/fire/x?tag=a', { method: 'PUT' });
    expect(tagOnly.status).toBe(500);
    expect(await tagOnly.text()).toBe('Cannot provide tag filter without service filter');
    const badIndex = await dc.http('s1', '/v1/event/list?index=abc');
    expect(badIndex.status).toBe(400);
    expect((await dc.http('s1', '/v1/event/list', { method: 'PUT' })).status).toBe(405);
  });

  it('delivers an event with a service/tag filter only to agents running a matching service', async () => {
    const dc = await simDatacenter(33, ['c1', 'c2']);
    const reg = await dc.http('c1', '/v1/agent/service/register', { method: 'PUT', body: JSON.stringify({ Name: 'redis', Tags: ['primary'], Port: 6379 }) });
    expect(reg.status).toBe(200);
    await dc.http('s1', '/v1/event/fire/flush?service=^redis$&tag=prim', { method: 'PUT' });
    await dc.advance(1500);
    const names = async (id: string) => ((await (await dc.http(id, '/v1/event/list')).json()) as Array<{ Name: string }>).map((e) => e.Name);
    expect(await names('c1')).toEqual(['flush']);
    expect(await names('c2')).toEqual([]);
    expect(await names('s1')).toEqual([]);
  });
});
