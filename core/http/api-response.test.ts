import { describe, expect, it } from 'vitest';
import { ApiHeaders, ApiResponse } from './api-response.ts';

describe('ApiHeaders', () => {
  it('compares names case-insensitively and iterates them lower-cased in insertion order', () => {
    const h = new ApiHeaders({ 'X-Consul-Index': '7', 'Content-Type': 'application/json' });
    expect(h.get('x-consul-index')).toBe('7');
    expect(h.has('CONTENT-TYPE')).toBe(true);
    h.set('x-consul-INDEX', '8');
    h.append('Vary', 'Accept-Encoding');
    h.append('vary', 'Origin');
    expect([...h]).toEqual([
      ['x-consul-index', '8'],
      ['content-type', 'application/json'],
      ['vary', 'Accept-Encoding, Origin'],
    ]);
    h.delete('Content-Type');
    expect(h.get('content-type')).toBeNull();
  });
});

describe('ApiResponse', () => {
  it('reads string, byte and stream bodies like a Response, once', async () => {
    const r = new ApiResponse(200, '{"a":1}', { 'Content-Type': 'application/json' });
    expect(r.ok).toBe(true);
    expect(await r.json()).toEqual({ a: 1 });
    await expect(r.text()).rejects.toThrow(/already been read/);
    expect(await new ApiResponse(200, new Uint8Array([104, 105])).text()).toBe('hi');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2]));
        c.enqueue(new Uint8Array([3]));
        c.close();
      },
    });
    expect([...new Uint8Array(await new ApiResponse(200, stream).arrayBuffer())]).toEqual([1, 2, 3]);
    expect(await new ApiResponse(404, null).text()).toBe('');
    expect(new ApiResponse(404, null).ok).toBe(false);
  });

  it('converts to and from a WHATWG Response with the same status, headers and body', async () => {
    const web = new ApiResponse(404, 'nope', { 'X-Consul-Index': '3', 'Content-Type': 'text/plain' }).toResponse();
    expect(web.status).toBe(404);
    expect(web.headers.get('X-Consul-Index')).toBe('3');
    expect(await web.text()).toBe('nope');
    expect(new ApiResponse(204, '').toResponse().body).toBeNull();
    const back = ApiResponse.fromResponse(new Response('back', { status: 201, headers: { 'X-A': 'b' } }));
    expect(back.status).toBe(201);
    expect(back.headers.get('x-a')).toBe('b');
    expect(back.body).toBeInstanceOf(ReadableStream);
    expect(await back.text()).toBe('back');
  });
});
