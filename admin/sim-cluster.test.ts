import type { ApiResponse } from '../core/http/api-response.ts';
/**
 * The same router and typed client over a simulated datacenter (core/sim, virtual time): the path
 * the browser lab takes. The cluster is `v1AdminCluster` over a simulated agent's own `/v1`
 * handler with the simulation's timers; the client's fetch calls the admin handler in-process, and
 * virtual time advances only while the test waits for an answer.
 */
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { KvEvent, LeaderEvent, MemberEvent } from '../core/admin/admin-cluster.ts';
import { v1AdminCluster } from '../core/admin/v1-cluster.ts';
import { simDatacenter } from '../core/http/testing/sim-datacenter.ts';
import type { Timers } from '../core/ports/clock.ts';
import { createAdminClient } from './client.ts';
import { createAdminHandler } from './handler.ts';
import type { AdminRouter } from './router.ts';

type ApiProc = { api: { fetch(request: Request, remoteAddress?: string): Promise<ApiResponse> } };

async function simAdmin(seed: number) {
  const dc = await simDatacenter(seed, ['c1', 'c2']);
  const timers: Timers = {
    setTimer(delayMs, callback) {
      let live = true;
      dc.sim.schedule(Math.max(0, delayMs || 0), () => {
        if (live) callback();
      });
      return { cancel: () => (live = false) };
    },
  };
  // The client agent c1 serves the admin API over its own /v1 handler.
  const c1 = dc.sim.node<ApiProc>('c1').process as ApiProc;
  const handler = createAdminHandler({ cluster: v1AdminCluster({ fetch: (r) => c1.api.fetch(r, '127.0.0.1').then((a) => a.toResponse()), timers, pollMs: 200, blockingWait: '5s' }) });
  const client = createAdminClient({ baseUrl: 'http://lab', fetch: (input, init) => handler(new Request(input, init)) });
  /** Advances virtual time in 5 ms steps, letting the event loop run between them, until `ready`. */
  const until = async <T>(what: string, ready: () => T | undefined): Promise<T> => {
    for (let i = 0; i < 20_000; i++) {
      const v = ready();
      if (v !== undefined) return v;
      dc.sim.runFor(5);
      await new Promise((r) => setImmediate(r));
    }
    throw new Error(`no ${what} after 100 s of virtual time`);
  };
  const settle = async <T>(p: Promise<T>): Promise<T> => {
    let out: { v: T } | { e: unknown } | undefined;
    p.then(
      (v) => (out = { v }),
      (e) => (out = { e }),
    );
    const r = await until('answer', () => out);
    if ('e' in r) throw r.e;
    return r.v;
  };
  return { dc, client, settle, until };
}

describe('the admin API over a simulated datacenter', () => {
  it('answers queries and mutations, maps a refused CAS, and streams KV, leader and member events in virtual time', async () => {
    const { dc, client, settle, until } = await simAdmin(7);
    const overview = await settle(client.cluster.overview.query());
    expect(overview.agent).toEqual({ node: 'c1', datacenter: 'dc1', server: false });
    expect(overview.leader).toBe('s1:8300');
    expect(overview.servers.map((s) => `${s.node}:${s.suffrage}:${s.leader}`)).toEqual(['s1:voter:true']);
    expect(overview.members.lan.map((m) => `${m.name}:${m.status}`).sort()).toEqual(['c1:alive', 'c2:alive', 's1:alive']);

    const kvEvents: KvEvent[] = [];
    const leaderEvents: LeaderEvent[] = [];
    const memberEvents: MemberEvent[] = [];
    const subs = [
      client.events.kv.subscribe({ prefix: 'lab/' }, { onData: (e) => kvEvents.push(e) }),
      client.events.leader.subscribe(undefined, { onData: (e) => leaderEvents.push(e) }),
      client.events.members.subscribe({ pool: 'lan' }, { onData: (e) => memberEvents.push(e) }),
    ];
    await until('the first events', () => (kvEvents.length && leaderEvents.length && memberEvents.length ? true : undefined));
    expect(kvEvents[0]).toMatchObject({ type: 'snapshot', entries: [] });
    expect(leaderEvents[0]).toEqual({ leader: 's1:8300', previous: null });

    await settle(client.kv.put.mutate({ key: 'lab/a', value: 'one' }));
    const entry = await settle(client.kv.get.query({ key: 'lab/a' }));
    expect(entry?.value).toBe('one');
    const refused = await settle(client.kv.put.mutate({ key: 'lab/a', value: 'two', cas: entry!.modifyIndex + 1 })).catch((e: TRPCClientError<AdminRouter>) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<AdminRouter>).data?.code).toBe('PRECONDITION_FAILED');
    await until('the put event', () => kvEvents.find((e) => e.type === 'put' && e.entry.key === 'lab/a'));

    dc.sim.crash('c2');
    const failed = await until('c2 failing', () => memberEvents.find((e) => e.type === 'fail'));
    expect(failed).toMatchObject({ type: 'fail', pool: 'lan', member: { name: 'c2', status: 'failed' } });
    for (const s of subs) s.unsubscribe();
  }, 60_000);
});
