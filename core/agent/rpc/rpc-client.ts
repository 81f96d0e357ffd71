import { FrameDecoder, encodeFrame } from '../../lib/framing.ts';
import type { TimerHandle, Timers } from '../../ports/clock.ts';
import type { Stream, StreamTransport } from '../../ports/transport.ts';
import { RpcType, decodeRpc, encodeRpc } from './codec.ts';
import { RpcError } from './rpc-errors.ts';
import type { RpcResponseFrame } from './rpc-server.ts';
import { dialTyped } from './stream-mux.ts';

/** Completion of a call: an RpcError, or the reply. */
export type RpcCallback = (error: RpcError | undefined, reply?: unknown) => void;

interface Pending {
  callback: RpcCallback;
  timer: TimerHandle;
}

/** One pooled connection to a server, multiplexing calls by id. */
class Connection {
  readonly pending = new Map<number, Pending>();
  closed = false;
  /** Request frames waiting for the end of this instant (see `send`). */
  private queued: Uint8Array[] = [];
  private flushTimer: TimerHandle | undefined;

  constructor(
    readonly stream: Stream,
    private readonly timers: Timers,
    onClosed: (conn: Connection) => void,
  ) {
    const decoder = new FrameDecoder();
    stream.onData((chunk) => {
      try {
        for (const frame of decoder.push(chunk)) this.complete(frame);
      } catch {
        stream.close();
      }
    });
    stream.onClose((reason) => {
      this.closed = true;
      onClosed(this);
      // A transport error keeps its text (a TLS verification failure says which name it expected).
      const detail = reason?.kind === 'error' && reason.message ? `: ${reason.message}` : '';
      this.failAll(reason ? `rpc error: connection ${reason.kind}${detail}` : 'rpc error: connection closed');
    });
  }

  /**
   * Sends a request frame at the end of this instant, together with every other request made in
   * the meantime: a follower forwarding writes from many HTTP clients makes one socket write per
   * event-loop turn instead of one per write (each write syscall on loopback costs tens of
   * microseconds, and the leader then reads them in one chunk too). In Node the timer is
   * setImmediate, which runs right after the I/O callbacks that made the requests.
   */
  send(frame: Uint8Array): void {
    this.queued.push(frame);
    this.flushTimer ??= this.timers.setTimer(0, () => {
      this.flushTimer = undefined;
      const frames = this.queued;
      this.queued = [];
      for (const f of frames) this.stream.write(f);
    });
  }

  /** Fails every call in flight with a connection error (they may be retried on another server). */
  failAll(message: string): void {
    for (const [, p] of this.pending) {
      p.timer.cancel();
      p.callback(new RpcError(message, 'connection'));
    }
    this.pending.clear();
  }

  private complete(frame: Uint8Array): void {
    const res = decodeRpc(frame) as RpcResponseFrame;
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    p.timer.cancel();
    if (res.error !== undefined) p.callback(new RpcError(res.error, 'remote'));
    else p.callback(undefined, res.reply);
  }
}

/**
 * Calls Consul RPC methods on servers: one pooled connection per address (Consul's connection
 * reuse), many calls in flight on it, a timeout per call. Callback-based so that it runs in
 * virtual time under the simulator; `callAsync` wraps it for async callers such as HTTP handlers.
 */
export class RpcClient {
  private readonly pool = new Map<string, Connection>();
  private nextId = 1;

  constructor(
    private readonly transport: StreamTransport,
    private readonly timers: Timers,
    private readonly defaultTimeoutMs = 30_000,
  ) {}

  call(address: string, method: string, args: unknown, callback: RpcCallback, timeoutMs = this.defaultTimeoutMs): void {
    const conn = this.connection(address);
    const id = this.nextId++;
    const timer = this.timers.setTimer(timeoutMs, () => {
      if (conn.pending.delete(id)) callback(new RpcError(`rpc error: timeout calling ${method}`, 'timeout'));
    });
    conn.pending.set(id, { callback, timer });
    conn.send(encodeFrame(encodeRpc({ id, method, args })));
  }

  callAsync(address: string, method: string, args: unknown, timeoutMs?: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.call(address, method, args, (err, reply) => (err ? reject(err) : resolve(reply)), timeoutMs);
    });
  }

  /** Closes the pooled connection to `address`, failing its calls in flight as connection errors. */
  drop(address: string): void {
    const conn = this.pool.get(address);
    if (!conn) return;
    this.pool.delete(address);
    conn.closed = true;
    // Fail the calls now: closing a stream to an unreachable peer can take as long as TCP does.
    conn.failAll('rpc error: connection closed: the server failed');
    conn.stream.close();
  }

  /** Drops every pooled connection (on shutdown). */
  close(): void {
    for (const conn of this.pool.values()) conn.stream.close();
    this.pool.clear();
  }

  private connection(address: string): Connection {
    const existing = this.pool.get(address);
    if (existing && !existing.closed) return existing;
    const stream = dialTyped(this.transport, address, RpcType.Consul);
    const conn = new Connection(stream, this.timers, (c) => {
      if (this.pool.get(address) === c) this.pool.delete(address);
    });
    this.pool.set(address, conn);
    return conn;
  }
}
