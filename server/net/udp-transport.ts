/**
 * PacketTransport over a real UDP socket (node:dgram). Addresses are `host:port`; IPv6 hosts in
 * brackets. Sends never throw for network reasons: errors are logged and the packet is lost, as a
 * datagram would be.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from '../../core/ports/logger.ts';
import { nullLogger } from '../../core/ports/logger.ts';
import type { Address, PacketHandler, PacketTransport } from '../../core/ports/transport.ts';
import { joinHostPort, splitHostPort } from '../../core/gossip/memberlist/address.ts';

/** memberlist's UDP receive buffer. */
export const UDP_MAX_PACKET = 65_536;

export class UdpTransport implements PacketTransport {
  readonly maxPacketSize = UDP_MAX_PACKET;
  private handler: PacketHandler | undefined;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    readonly localAddress: Address,
    private readonly logger: Logger,
  ) {
    socket.on('message', (msg, rinfo) => {
      if (this.closed || !this.handler) return;
      const data = new Uint8Array(msg.buffer.slice(msg.byteOffset, msg.byteOffset + msg.byteLength));
      this.handler(joinHostPort(rinfo.address, rinfo.port), data);
    });
    socket.on('error', (err) => this.logger.log('error', `udp socket error: ${err.message}`));
  }

  /** Binds `host:port` (port 0 picks a free port). */
  static bind(host: string, port: number, logger: Logger = nullLogger): Promise<UdpTransport> {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        const addr = socket.address();
        resolve(new UdpTransport(socket, joinHostPort(addr.address, addr.port), logger));
      });
    });
  }

  send(to: Address, data: Uint8Array): void {
    if (this.closed) return;
    if (data.length > this.maxPacketSize) throw new RangeError(`packet of ${data.length} bytes exceeds ${this.maxPacketSize}`);
    let target: { host: string; port: number };
    try {
      target = splitHostPort(to);
    } catch (err) {
      this.logger.log('error', `udp send to bad address ${to}: ${(err as Error).message}`);
      return;
    }
    this.socket.send(data, target.port, target.host, (err) => {
      if (err) this.logger.log('debug', `udp send to ${to} failed: ${err.message}`);
    });
  }

  onPacket(handler: PacketHandler): void {
    this.handler = handler;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
