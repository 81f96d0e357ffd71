import { describe, expect, it } from 'vitest';
import { type ChangeWatch, runBlocking } from '../lib/blocking.ts';
import { Prng } from '../lib/prng.ts';
import { HttpError } from './errors.ts';
import { encodeJson, field, Uint64 } from './json.ts';
import { parseQueryOptions } from './query.ts';
import { jsonResponse } from './response.ts';
import { Router } from './router.ts';

function router(devMode = false) {
  const r = new Router({ defaultAclPolicy: () => 'allow', devMode, uiEnabled: true });
  r.register('/v1/kv/', ['GET', 'PUT', 'DELETE'], (ctx) => jsonResponse({ key: ctx.suffix }, { pretty: ctx.pretty }));
  r.register('/v1/status/leader', ['GET'], () => jsonResponse('127.0.0.1:8300', { pretty: false }));
  r.register('/v1/fail', ['GET'], () => {
    throw new Error('Permission denied');
  });
  r.register('/v1/teapot', ['GET'], () => {
    throw new HttpError(418, 'short and stout');
  });
  r.register('/v1/q', ['GET'], (ctx) => jsonResponse(parseQueryOptions(ctx), { pretty: false }));
  return r;
}
const req = (path: string, init?: RequestInit) => new Request(`http://127.0.0.1:8500${path}`, init);

describe('Router', () => {
  it('routes prefix patterns and passes the decoded remainder', async () => {
    const res = await router().handle(req('/v1/kv/a/b%20c'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ key: 'a/b c' });
    expect(res.headers.get('X-Consul-Default-ACL-Policy')).toBe('allow');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('answers unknown paths with Consul’s 404 texts', async () => {
    const a = await router().handle(req('/v1/nope'));
    expect(a.status).toBe(404);
    expect(await a.text()).toBe('Invalid URL path: not a recognized HTTP API endpoint\n');
    const b = await router().handle(req('/nope'));
    expect(await b.text()).toBe("Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'\n");
  });

  it('answers a wrong method with 405 and Allow, and OPTIONS with 200', async () => {
    const res = await router().handle(req('/v1/status/leader', { method: 'PATCH' }));
    expect(res.status).toBe(405);
    expect(await res.text()).toBe('method PATCH not allowed');
    expect(res.headers.get('Allow')).toBe('OPTIONS,GET');
    const opt = await router().handle(req('/v1/kv/x', { method: 'OPTIONS' }));
    expect(opt.status).toBe(200);
    expect(opt.headers.get('Allow')).toBe('OPTIONS,GET,PUT,DELETE');
  });

  it('maps errors to Consul’s statuses with plain-text bodies', async () => {
    const denied = await router().handle(req('/v1/fail'));
    expect(denied.status).toBe(403);
    expect(await denied.text()).toBe('Permission denied');
    const teapot = await router().handle(req('/v1/teapot'));
    expect(teapot.status).toBe(418);
  });

  it('redirects / to the UI', async () => {
    const res = await router().handle(req('/'));
    expect(res.status).toBe(301);
    expect(res.headers.get('Location')).toBe('/ui/');
  });

  it('pretty-prints with four spaces and a newline under ?pretty or dev mode', async () => {
    const res = await router().handle(req('/v1/kv/k?pretty'));
    expect(await res.text()).toBe('{\n    "key": "k"\n}\n');
    const dev = await router(true).handle(req('/v1/kv/k'));
    expect(await dev.text()).toBe('{\n    "key": "k"\n}\n');
  });

  it('parses query options with Consul’s rules and errors', async () => {
    const ok = await (await router().handle(req('/v1/q?stale&index=5&wait=10s&node-meta=a:b&tag=x&tag=y&dc=dc2'))).json();
    expect(ok).toMatchObject({ consistency: 'stale', minIndex: 5, waitMs: 10000, nodeMeta: { a: 'b' }, tags: ['x', 'y'], datacenter: 'dc2' });
    const both = await router().handle(req('/v1/q?stale&consistent'));
    expect(both.status).toBe(400);
    expect(await both.text()).toBe('Cannot specify ?stale with ?consistent, conflicting semantics.');
    expect(await (await router().handle(req('/v1/q?wait=abc'))).text()).toBe('Invalid wait time');
    expect(await (await router().handle(req('/v1/q?index=-1'))).text()).toBe('Invalid index');
  });
});

describe('JSON like Go', () => {
  it('escapes HTML characters and prints uint64 exactly', () => {
    expect(encodeJson({ a: '<&>' })).toBe('{"a":"\\u003c\\u0026\\u003e"}');
    expect(encodeJson({ Flags: new Uint64(3304740253564472344n) })).toBe('{"Flags":3304740253564472344}');
    expect(encodeJson({ Flags: 18446744073709551615n })).toBe('{"Flags":18446744073709551615}');
  });

  it('finds fields case-insensitively', () => {
    expect(field({ name: 'web' }, 'Name')).toBe('web');
    expect(field({ deregister_critical_service_after: '1m' }, 'DeregisterCriticalServiceAfter', 'deregister_critical_service_after')).toBe('1m');
  });
});

describe('runBlocking', () => {
  /** A manual clock for timers and a single-change watch. */
  function harness() {
    const timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
    let listeners: Array<() => void> = [];
    const watch: ChangeWatch = {
      onChange(cb) {
        listeners.push(cb);
        return () => (listeners = listeners.filter((l) => l !== cb));
      },
    };
    return {
      timers: {
        setTimer(delay: number, fn: () => void) {
          const t = { at: delay, fn, cancelled: false };
          timers.push(t);
          return { cancel: () => (t.cancelled = true) };
        },
      },
      fire: () => {
        const ls = listeners;
        listeners = [];
        for (const l of ls) l();
      },
      expire: () => {
        for (const t of timers) if (!t.cancelled) t.fn();
      },
      watch,
      listenerCount: () => listeners.length,
      timers_: timers,
    };
  }

  it('returns at once without an index, or when the index is already above it', async () => {
    const h = harness();
    const opts = { minIndex: 0, waitMs: 0, timers: h.timers, random: new Prng(1) };
    expect((await runBlocking(opts, () => ({ index: 3, value: 'a', watch: h.watch }))).value).toBe('a');
    expect((await runBlocking({ ...opts, minIndex: 2 }, () => ({ index: 3, value: 'b', watch: h.watch }))).value).toBe('b');
  });

  it('waits for a change that moves the index, ignoring changes that do not', async () => {
    const h = harness();
    let index = 5;
    const p = runBlocking({ minIndex: 5, waitMs: 1000, timers: h.timers, random: new Prng(1) }, () => ({ index, value: index, watch: h.watch }));
    h.fire(); // woken, but nothing this read cares about moved: re-arm
    expect(h.listenerCount()).toBe(1);
    index = 6;
    h.fire();
    expect((await p).value).toBe(6);
    expect(h.listenerCount()).toBe(0);
    expect(h.timers_.every((t) => t.cancelled)).toBe(true);
  });

  it('returns the current result when the wait expires, with jitter up to wait/16', async () => {
    const h = harness();
    const p = runBlocking({ minIndex: 5, waitMs: 1600, timers: h.timers, random: new Prng(1) }, () => ({ index: 5, value: 'same', watch: h.watch }));
    const at = h.timers_[0]?.at ?? 0;
    expect(at).toBeGreaterThanOrEqual(1600);
    expect(at).toBeLessThanOrEqual(1700);
    h.expire();
    expect((await p).value).toBe('same');
    expect(h.listenerCount()).toBe(0);
  });
});
