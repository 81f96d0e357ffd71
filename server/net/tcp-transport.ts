/**
 * StreamTransport over real TCP (node:net). Dialled streams queue writes until connected; close
 * reasons map socket errors to the port's kinds (refused, timeout, reset, error).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../../core/ports/logger.ts';
import { nullLogger } from '../../core/ports/logger.ts';
import type { Address, Stream, StreamCloseReason, StreamTransport } from '../../core/ports/transport.ts';
import { joinHostPort, splitHostPort } from '../../core/gossip/memberlist/address.ts';

function reasonOf(err: NodeJS.ErrnoException): StreamCloseReason {
  switch (err.code) {
    case 'ECONNREFUSED':
      return { kind: 'refused' };
    case 'ETIMEDOUT':
      return { kind: 'timeout' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'reset' };
    default:
      return { kind: 'error', message: err.message };
  }
}

class TcpStream implements Stream {
  private dataHandler: ((chunk: Uint8Array) => void) | undefined;
  private closeHandler: ((reason: StreamCloseReason) => void) | undefined;
  private buffered: Uint8Array[] = [];
  private closeReason: { reason: StreamCloseReason } | undefined;
  private closed = false;
  private reason: StreamCloseReason;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    readonly localAddress: Address,
    readonly remoteAddress: Address,
    connectTimeoutMs?: number,
  ) {
    socket.setNoDelay(true);
    if (connectTimeoutMs !== undefined && connectTimeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.reason = { kind: 'timeout' };
        socket.destroy();
      }, connectTimeoutMs);
      socket.once('connect', () => clearTimeout(this.timer));
      // A TLS-wrapped dial is connected once its handshake is done.
      socket.once('secureConnect', () => clearTimeout(this.timer));
    }
    socket.on('data', (buf: Buffer) => {
      // A plain socket read has its own ArrayBuffer of exactly the chunk's size: hand it over
      // as is. Anything else (a pooled or TLS buffer) is copied, so the chunk is always ours.
      const owned = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength;
      const chunk = owned ? new Uint8Array(buf.buffer) : new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      if (this.dataHandler) this.dataHandler(chunk);
      else this.buffered.push(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.reason ??= reasonOf(err);
    });
    socket.on('close', () => {
      clearTimeout(this.timer);
      this.closed = true;
      if (this.closeHandler) this.closeHandler(this.reason);
      else this.closeReason = { reason: this.reason };
    });
  }

  write(chunk: Uint8Array): void {
    if (this.closed || this.socket.destroyed || this.socket.writableEnded) return;
    // Writes made in one turn of the event loop go out together (one writev, not one syscall and
    // TCP segment each): a leader answering a batch of forwarded writes, or a server sending a
    // frame per peer, queues many small frames at once. Uncorked before the loop moves on, so no
    // write waits for a timer.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.socket.write(chunk);
  }

  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  onData(handler: (chunk: Uint8Array) => void): void {
    this.dataHandler = handler;
    const pending = this.buffered;
    this.buffered = [];
    if (pending.length > 0) {
      queueMicrotask(() => {
        for (const c of pending) handler(c);
      });
    }
  }

  onClose(handler: (reason: StreamCloseReason) => void): void {
    this.closeHandler = handler;
    if (this.closeReason) {
      const { reason } = this.closeReason;
      this.closeReason = undefined;
      queueMicrotask(() => handler(reason));
    }
  }

  close(): void {
    if (this.closed) return;
    this.socket.end();
  }
}

/**
 * What happens to a connection between the socket and the stream handed to the core: the server
 * RPC port uses it for Consul's RPCTLS first byte (see server/net/rpc-tls.ts).
 */
export interface TcpHooks {
  /**
   * Decides what an accepted socket becomes: calls `deliver` with the socket to read and write
   * (possibly a TLS socket over it, possibly after putting back bytes it peeked), or destroys it.
   */
  accept?(socket: Socket, deliver: (s: Socket) => void): void;
  /** Prepares a freshly dialled socket (e.g. announces TLS and starts the handshake). */
  dial?(socket: Socket, to: Address): Socket;
}

export class TcpTransport implements StreamTransport {
  private acceptHandler: ((s: Stream) => void) | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly localAddress: Address,
    private readonly logger: Logger,
    private readonly hooks: TcpHooks,
  ) {
    server.on('connection', (socket) => {
      this.track(socket);
      const local = joinHostPort(socket.localAddress ?? '', socket.localPort ?? 0);
      const remote = joinHostPort(socket.remoteAddress ?? '', socket.remotePort ?? 0);
      const deliver = (use: Socket) => {
        if (use !== socket) this.track(use);
        const s = new TcpStream(use, local, remote);
        if (this.acceptHandler) this.acceptHandler(s);
        else s.close();
      };
      if (this.hooks.accept) this.hooks.accept(socket, deliver);
      else deliver(socket);
    });
    server.on('error', (err) => this.logger.log('error', `tcp listener error: ${err.message}`));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Listens on `host:port` (port 0 picks a free port). */
  static listen(host: string, port: number, logger: Logger = nullLogger, hooks: TcpHooks = {}): Promise<TcpTransport> {
    const server = createServer();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const addr = server.address();
        if (addr === null || typeof addr === 'string') {
          reject(new Error('unexpected listener address'));
          return;
        }
        resolve(new TcpTransport(server, joinHostPort(addr.address, addr.port), logger, hooks));
      });
    });
  }

  dial(to: Address, timeoutMs = 10_000): Stream {
    const { host, port } = splitHostPort(to);
    const raw = connect({ host, port });
    this.track(raw);
    const socket = this.hooks.dial ? this.hooks.dial(raw, to) : raw;
    if (socket !== raw) this.track(socket);
    return new TcpStream(socket, this.localAddress, to, timeoutMs);
  }

  onAccept(handler: (stream: Stream) => void): void {
    this.acceptHandler = handler;
  }

  close(): void {
    this.server.close();
    for (const s of this.sockets) s.destroy();
  }
}
