/**
 * The resolver's upstream port over real sockets: one ephemeral UDP socket per exchange (a fresh
 * random source port per query, which also makes spoofed replies harder to land), waiting for a reply
 * from the recursor's address with the query's ID, until the timeout.
 */
import { createSocket } from 'node:dgram';
import type { DnsTransport } from '../../core/dns/assemble.ts';
import type { DnsUpstream } from '../../core/dns/resolver.ts';
import { parseRecursor } from './recursor-address.ts';

/** Exchanges queries with recursors over UDP (also for TCP clients: a TC reply is passed back as-is). */
export class UdpUpstream implements DnsUpstream {
  exchange(recursor: string, query: Uint8Array, _transport: DnsTransport, timeoutMs: number): Promise<Uint8Array> {
    const target = parseRecursor(recursor);
    const id = ((query[0] ?? 0) << 8) | (query[1] ?? 0);
    return new Promise((resolve, reject) => {
      const socket = createSocket(target.family === 6 ? 'udp6' : 'udp4');
      const timer = setTimeout(() => finish(new Error(`recursor ${recursor} timed out after ${timeoutMs} ms`)), timeoutMs);
      let finished = false;
      const finish = (error: Error | undefined, reply?: Uint8Array) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        socket.close();
        if (error) reject(error);
        else resolve(reply as Uint8Array);
      };
      socket.on('error', (e) => finish(e));
      socket.on('message', (msg, rinfo) => {
        if (rinfo.address !== target.host || rinfo.port !== target.port || msg.length < 12) return;
        if (msg.readUInt16BE(0) !== id) return;
        finish(undefined, new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
      });
      // A connected socket hears ICMP port-unreachable as ECONNREFUSED, so a dead recursor on a
      // reachable host fails at once instead of after the timeout.
      socket.connect(target.port, target.host, () => {
        socket.send(query, (e) => {
          if (e) finish(e);
        });
      });
    });
  }
}
