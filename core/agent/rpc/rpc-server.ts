import { FrameDecoder, encodeFrame } from '../../lib/framing.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Stream } from '../../ports/transport.ts';
import { decodeRpc, encodeRpc } from './codec.ts';

/** A request on the wire. */
export interface RpcRequestFrame {
  id: number;
  method: string;
  args: unknown;
}

/** A response on the wire: `error` set, or `reply`. */
export interface RpcResponseFrame {
  id: number;
  error?: string;
  reply?: unknown;
}

/** Completes one RPC: an error message, or the reply. Calling it twice is ignored. */
export type RpcRespond = (error: string | undefined, reply?: unknown) => void;

/** Serves one method call. `from` is the caller's address. */
export type RpcHandler = (method: string, args: unknown, respond: RpcRespond, from: string) => void;

/**
 * Serves Consul RPC on accepted streams: length-prefixed msgpack frames, many requests in flight
 * per connection (answered in completion order, matched by id). A malformed frame closes the
 * connection: the peer is broken or hostile, and nothing it sent is applied.
 */
export class RpcServer {
  constructor(
    private readonly handler: RpcHandler,
    private readonly logger: Logger,
  ) {}

  serve(stream: Stream): void {
    const decoder = new FrameDecoder();
    let open = true;
    stream.onClose(() => {
      open = false;
    });
    stream.onData((chunk) => {
      let frames: Uint8Array[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        this.reject(stream, err);
        return;
      }
      for (const frame of frames) {
        const request = parseRequest(frame);
        if (!request) {
          this.reject(stream, new Error('malformed RPC request'));
          return;
        }
        this.dispatch(request, stream, () => open);
      }
    });
  }

  private dispatch(request: RpcRequestFrame, stream: Stream, isOpen: () => boolean): void {
    let done = false;
    const respond: RpcRespond = (error, reply) => {
      if (done || !isOpen()) return;
      done = true;
      const frame: RpcResponseFrame = error === undefined ? { id: request.id, reply } : { id: request.id, error };
      stream.write(encodeFrame(encodeRpc(frame)));
    };
    try {
      this.handler(request.method, request.args, respond, stream.remoteAddress);
    } catch (err) {
      respond(err instanceof Error ? err.message : String(err));
    }
  }

  private reject(stream: Stream, err: unknown): void {
    this.logger.log('warn', 'closing RPC connection after a bad frame', {
      from: stream.remoteAddress,
      error: err instanceof Error ? err.message : String(err),
    });
    stream.close();
  }
}

function parseRequest(frame: Uint8Array): RpcRequestFrame | undefined {
  let value: unknown;
  try {
    value = decodeRpc(frame);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'number' || typeof r.method !== 'string') return undefined;
  return { id: r.id, method: r.method, args: r.args };
}
