import type { Stream, StreamCloseReason, StreamTransport } from '../../ports/transport.ts';

/**
 * Several protocols on one listening port, told apart by the connection's first byte (Consul
 * multiplexes Raft and RPC on 8300 this way). Accepted connections are handed to the protocol's
 * handler as a Stream that starts after the type byte. Unknown types are closed.
 */
export class StreamMux {
  private readonly handlers = new Map<number, (stream: Stream) => void>();

  constructor(transport: StreamTransport) {
    transport.onAccept((stream) => this.accept(stream));
  }

  /** Routes connections whose first byte is `type` to `handler`. */
  handle(type: number, handler: (stream: Stream) => void): void {
    this.handlers.set(type, handler);
  }

  private accept(stream: Stream): void {
    const wrapped = new PrefixedStream(stream);
    wrapped.onFirstByte((type) => {
      const handler = this.handlers.get(type);
      if (handler) handler(wrapped);
      else stream.close();
    });
  }
}

/** Dials `to` and announces protocol `type` as the first byte. */
export function dialTyped(transport: StreamTransport, to: string, type: number, timeoutMs?: number): Stream {
  const stream = transport.dial(to, timeoutMs);
  stream.write(new Uint8Array([type]));
  return stream;
}

/**
 * A stream whose first byte is consumed as a protocol type; the rest of that chunk and everything
 * after is delivered to the data handler set by the protocol.
 */
class PrefixedStream implements Stream {
  private typeHandler: ((type: number) => void) | undefined;
  private dataHandler: ((chunk: Uint8Array) => void) | undefined;
  private leftover: Uint8Array[] = [];
  private typed = false;
  private inTypeHandler = false;

  constructor(private readonly inner: Stream) {
    inner.onData((chunk) => this.receive(chunk));
  }

  get localAddress() {
    return this.inner.localAddress;
  }

  get remoteAddress() {
    return this.inner.remoteAddress;
  }

  onFirstByte(handler: (type: number) => void): void {
    this.typeHandler = handler;
  }

  private receive(chunk: Uint8Array): void {
    if (!this.typed) {
      if (chunk.length === 0) return;
      this.typed = true;
      const rest = chunk.subarray(1);
      if (rest.length > 0) this.leftover.push(rest);
      this.inTypeHandler = true;
      this.typeHandler?.(chunk[0] as number);
      this.inTypeHandler = false;
      this.flush();
      return;
    }
    if (this.dataHandler) this.dataHandler(chunk);
    else this.leftover.push(chunk);
  }

  private flush(): void {
    if (!this.dataHandler) return;
    const pending = this.leftover;
    this.leftover = [];
    for (const c of pending) this.dataHandler(c);
  }

  write(chunk: Uint8Array): void {
    this.inner.write(chunk);
  }

  onData(handler: (chunk: Uint8Array) => void): void {
    this.dataHandler = handler;
    // Data that came with the type byte is delivered once the protocol's accept handler returns.
    if (!this.inTypeHandler) this.flush();
  }

  onClose(handler: (reason: StreamCloseReason) => void): void {
    this.inner.onClose(handler);
  }

  close(): void {
    this.inner.close();
  }
}

/**
 * One protocol's view of a multiplexed port, as a StreamTransport: dials announce `type`, and
 * accepted connections are those whose first byte was `type`. Lets Raft's stream transport share
 * the server RPC port with Consul RPC, as in Consul.
 */
export function typedTransport(inner: StreamTransport, mux: StreamMux, type: number): StreamTransport {
  return {
    get localAddress() {
      return inner.localAddress;
    },
    dial: (to, timeoutMs) => dialTyped(inner, to, type, timeoutMs),
    onAccept: (handler) => mux.handle(type, handler),
    close: () => {},
  };
}
