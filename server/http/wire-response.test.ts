import { describe, expect, it } from 'vitest';
import { ApiResponse } from '../../core/http/api-response.ts';
import { isOpenEnded, WireResponse } from './wire-response.ts';

const keep = { gzip: false, conn: 'keep', head: false } as const;
const text = (b: Buffer) => b.toString('latin1').replace(/Date: .*\r\n/, '');

describe('WireResponse', () => {
  it('encodes a core answer at once, with header names spelled as Go writes them', () => {
    const wire = WireResponse.from(new ApiResponse(200, 'true', { 'Content-Type': 'application/json', 'X-Consul-KnownLeader': 'true' }), 1400);
    expect(wire).toBeInstanceOf(WireResponse);
    expect(text((wire as WireResponse).bytes(keep))).toBe('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Consul-Knownleader: true\r\nContent-Length: 4\r\n\r\ntrue');
  });

  it('writes no body for HEAD and none at all for a null body', () => {
    const wire = WireResponse.from(new ApiResponse(404, null, { 'X-Consul-Index': '3' }), 1400) as WireResponse;
    expect(text(wire.bytes(keep))).toBe('HTTP/1.1 404 Not Found\r\nX-Consul-Index: 3\r\nContent-Length: 0\r\n\r\n');
    const head = WireResponse.from(new ApiResponse(200, 'abc'), 1400) as WireResponse;
    expect(text(head.bytes({ ...keep, head: true }))).toBe('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n');
  });

  it('reads a body still in a stream (another handler’s answer) to its end', async () => {
    const wire = await WireResponse.from(ApiResponse.fromResponse(new Response('from a stream', { headers: { 'content-type': 'application/json' } })), 1400);
    expect(text(wire.bytes(keep))).toBe('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\nfrom a stream');
  });

  it('treats streamed answers and server-sent events as open-ended, nothing else', () => {
    const stream = () => new ReadableStream<Uint8Array>();
    expect(isOpenEnded(new ApiResponse(200, stream(), {}, true))).toBe(true);
    expect(isOpenEnded(new ApiResponse(200, stream(), { 'Content-Type': 'text/event-stream' }))).toBe(true);
    expect(isOpenEnded(new ApiResponse(200, 'data: x\n\n', { 'Content-Type': 'text/event-stream' }))).toBe(false);
    expect(isOpenEnded(new ApiResponse(200, stream(), { 'Content-Type': 'application/json' }))).toBe(false);
  });
});
