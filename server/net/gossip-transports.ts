/**
 * Binds the UDP and TCP transports of one gossip endpoint on the same host and port, as memberlist
 * does (port 0 picks one free for both).
 */
import type { Logger } from '../../core/ports/logger.ts';
import { nullLogger } from '../../core/ports/logger.ts';
import { splitHostPort } from '../../core/gossip/memberlist/address.ts';
import { TcpTransport } from './tcp-transport.ts';
import { UdpTransport } from './udp-transport.ts';

export interface GossipTransports {
  packet: UdpTransport;
  stream: TcpTransport;
  address: string;
}

export async function bindGossipTransports(host: string, port: number, logger: Logger = nullLogger): Promise<GossipTransports> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const stream = await TcpTransport.listen(host, port, logger);
    const bound = splitHostPort(stream.localAddress).port;
    try {
      const packet = await UdpTransport.bind(host, bound, logger);
      return { packet, stream, address: stream.localAddress };
    } catch (err) {
      stream.close();
      if (port !== 0) throw err;
    }
  }
  throw new Error(`could not bind UDP and TCP on the same port at ${host}`);
}
