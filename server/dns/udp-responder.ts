/**
 * Answers DNS queries arriving on a UDP socket with a resolver: the agent's own sockets and, in a
 * DNS worker, the same sockets shared from the agent.
 */
import type { Socket as UdpSocket } from 'node:dgram';
import type { DnsResolver } from '../../core/dns/resolver.ts';

/**
 * Starts answering on `socket`. `current()` says whether the socket is still in service, so late
 * asynchronous replies are not sent on a socket being closed.
 */
export function respondOnUdp(socket: UdpSocket, resolver: DnsResolver, onError: (e: Error) => void, current: () => boolean = () => true): void {
  socket.on('message', (msg, rinfo) => {
    const address = rinfo.address;
    const port = rinfo.port;
    let reply: ReturnType<DnsResolver['handle']>;
    try {
      reply = resolver.handle(msg, { transport: 'udp', address });
    } catch (e) {
      onError(e as Error);
      return;
    }
    if (reply === undefined) return;
    // No send callback: Node would schedule a tick per datagram just to report success. A failed
    // UDP send (e.g. an ICMP error) is not actionable for a DNS reply anyway.
    if (reply instanceof Uint8Array) {
      socket.send(reply, port, address);
      return;
    }
    reply.then(
      (bytes) => {
        if (bytes && current()) socket.send(bytes, port, address);
      },
      (e: Error) => onError(e),
    );
  });
}
