/**
 * The DNS server: the core resolver behind real UDP and TCP sockets (default 127.0.0.1:8600).
 * UDP replies go back to the sender; TCP uses 2-byte length framing (RFC 1035 4.2.2) with a
 * connection cap, an idle timeout, and a cap on queries in flight per connection.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import type { DnsResolver } from '../../core/dns/resolver.ts';
import { FrameReader, frame } from './frame-reader.ts';
import { respondOnUdp } from './udp-responder.ts';

/** Server options. */
export interface DnsServerOptions {
  resolver: DnsResolver;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Port for both UDP and TCP (default 8600; 0 picks a free port, the same for both). */
  port?: number;
  /** Concurrent TCP connections (default 512); more are closed at once. */
  maxTcpConnections?: number;
  /** A TCP connection with no traffic for this long is closed (default 10 s). */
  tcpIdleTimeoutMs?: number;
  /** Unanswered queries allowed per TCP connection before reading pauses (default 64). */
  maxTcpInFlight?: number;
  /** Kernel receive buffer for the UDP socket, to absorb bursts (default 4 MiB). */
  udpRecvBufferBytes?: number;
  /** Called with errors that don't stop the server (socket errors, failed sends). */
  onError?: (error: Error) => void;
}

/** Running DNS listeners. */
export class DnsServer {
  private udp: UdpSocket | undefined;
  private tcp: Server | undefined;
  private readonly connections = new Set<Socket>();
  private boundPort = 0;

  constructor(private readonly opts: DnsServerOptions) {}

  /** The UDP socket (after `start`), to share with DNS worker processes. */
  get udpSocket(): UdpSocket | undefined {
    return this.udp;
  }

  /** The bound port (after `start`). */
  get port(): number {
    return this.boundPort;
  }

  /** Binds UDP and TCP on the same port. With port 0, retries until both get the same free port. */
  async start(): Promise<number> {
    const host = this.opts.host ?? '127.0.0.1';
    const wanted = this.opts.port ?? 8600;
    for (let attempt = 0; ; attempt++) {
      const udp = await this.bindUdp(host, wanted);
      const port = udp.address().port;
      try {
        this.tcp = await this.listenTcp(host, port);
        this.udp = udp;
        this.boundPort = port;
        return port;
      } catch (e) {
        udp.close();
        if (wanted !== 0 || attempt >= 20 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
  }

  private bindUdp(host: string, port: number): Promise<UdpSocket> {
    return new Promise((resolve, reject) => {
      // Replies go to the IP the query came from: skip dns.lookup, which defers every send by a tick.
      const family = isIPv6(host) ? 6 : 4;
      const socket = createSocket({
        type: family === 6 ? 'udp6' : 'udp4',
        lookup: ((address: string, _opts: unknown, cb: (e: Error | null, a: string, f: number) => void) => cb(null, address, family)) as never,
      });
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        socket.on('error', (e) => this.opts.onError?.(e));
        try {
          socket.setRecvBufferSize(this.opts.udpRecvBufferBytes ?? 4 * 1024 * 1024);
        } catch {
          // The kernel may cap it (net.core.rmem_max); the default buffer still works.
        }
        respondOnUdp(socket, this.opts.resolver, (e) => this.opts.onError?.(e), () => this.udp === socket);
        resolve(socket);
      });
    });
  }

  private listenTcp(host: string, port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true }, (socket) => this.onTcp(socket));
      server.maxConnections = this.opts.maxTcpConnections ?? 512;
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (e) => this.opts.onError?.(e));
        resolve(server);
      });
    });
  }

  private onTcp(socket: Socket): void {
    this.connections.add(socket);
    socket.setTimeout(this.opts.tcpIdleTimeoutMs ?? 10_000, () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    const maxInFlight = this.opts.maxTcpInFlight ?? 64;
    const address = socket.remoteAddress;
    const reader = new FrameReader();
    let inFlight = 0;
    const send = (bytes: Uint8Array | undefined) => {
      if (bytes && !socket.destroyed) socket.write(frame(bytes));
    };
    const settle = () => {
      inFlight--;
      if (socket.isPaused() && inFlight < maxInFlight) socket.resume();
    };
    socket.on('data', (chunk: Buffer) => {
      for (const message of reader.push(chunk)) {
        let reply: ReturnType<DnsResolver['handle']>;
        try {
          reply = this.opts.resolver.handle(message, { transport: 'tcp', ...(address ? { address } : {}) });
        } catch (e) {
          this.opts.onError?.(e as Error);
          socket.destroy();
          return;
        }
        if (reply === undefined || reply instanceof Uint8Array) {
          send(reply);
          continue;
        }
        inFlight++;
        if (inFlight >= maxInFlight) socket.pause();
        reply.then(
          (bytes) => {
            send(bytes);
            settle();
          },
          (e: Error) => {
            this.opts.onError?.(e);
            settle();
          },
        );
      }
    });
  }

  /** Stops listening and closes every TCP connection. */
  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    await Promise.all([
      udp ? new Promise<void>((r) => udp.close(() => r())) : undefined,
      tcp ? new Promise<void>((r) => tcp.close(() => r())) : undefined,
    ]);
  }
}
