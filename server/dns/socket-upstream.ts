/**
 * The resolver's upstream port over real sockets, using the client's transport as Consul does
 * (UDP clients are forwarded over UDP, TCP clients over TCP, so a truncated upstream answer can be
 * fetched whole).
 *
 * UDP: one ephemeral connected socket per exchange (a fresh random source port per query, which also
 * makes spoofed replies harder to land; and a connected socket hears ICMP port-unreachable, so a
 * dead recursor fails at once instead of after the timeout). TCP: one connection per exchange.
 * Either way the reply must carry the query's ID, and the timeout bounds the whole exchange.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { DnsTransport } from '../../core/dns/assemble.ts';
import type { DnsUpstream } from '../../core/dns/resolver.ts';
import { FrameReader, frame } from './frame-reader.ts';
import { parseRecursor, type RecursorAddress } from './recursor-address.ts';

type Settle = (error: Error | undefined, reply?: Uint8Array) => void;

/** Forwards queries to recursors over UDP or TCP. */
export class SocketUpstream implements DnsUpstream {
  exchange(recursor: string, query: Uint8Array, transport: DnsTransport, timeoutMs: number): Promise<Uint8Array> {
    const target = parseRecursor(recursor);
    const id = ((query[0] ?? 0) << 8) | (query[1] ?? 0);
    return new Promise((resolve, reject) => {
      let cleanup = () => {};
      let finished = false;
      const finish: Settle = (error, reply) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        cleanup();
        if (error) reject(error);
        else resolve(reply as Uint8Array);
      };
      const timer = setTimeout(() => finish(new Error(`recursor ${recursor} timed out after ${timeoutMs} ms`)), timeoutMs);
      const matches = (msg: Buffer) => msg.length >= 12 && msg.readUInt16BE(0) === id;
      cleanup = transport === 'tcp' ? overTcp(target, query, matches, finish) : overUdp(target, query, matches, finish);
    });
  }
}

function overUdp(target: RecursorAddress, query: Uint8Array, matches: (m: Buffer) => boolean, finish: Settle): () => void {
  const socket = createSocket(target.family === 6 ? 'udp6' : 'udp4');
  socket.on('error', (e) => finish(e));
  socket.on('message', (msg) => {
    if (matches(msg)) finish(undefined, new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
  });
  socket.connect(target.port, target.host, () => {
    socket.send(query, (e) => {
      if (e) finish(e);
    });
  });
  return () => socket.close();
}

function overTcp(target: RecursorAddress, query: Uint8Array, matches: (m: Buffer) => boolean, finish: Settle): () => void {
  const socket = connect(target.port, target.host);
  const reader = new FrameReader();
  socket.on('error', (e) => finish(e));
  socket.on('close', () => finish(new Error('recursor closed the connection without answering')));
  socket.on('connect', () => socket.write(frame(query)));
  socket.on('data', (chunk: Buffer) => {
    for (const msg of reader.push(chunk)) {
      if (matches(msg)) finish(undefined, new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
    }
  });
  return () => socket.destroy();
}
