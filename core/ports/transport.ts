/**
 * The network as the core sees it: a best-effort packet path (UDP, a WebRTC unreliable channel, a
 * simulated lossy link) and a reliable ordered stream path (TCP, a WebRTC reliable channel, a
 * simulated stream). Encryption and framing live at this edge, not in the protocol state machines.
 */

/**
 * A transport-level address. In Node it is `host:port` (IPv6 hosts in brackets); in the simulator
 * and the browser lab it is whatever the runtime assigns, in the same `host:port` shape. The core
 * treats it as an opaque string and compares it by equality.
 */
export type Address = string;

/** Receives one packet. `data` is owned by the receiver from then on. */
export type PacketHandler = (from: Address, data: Uint8Array) => void;

/**
 * Best-effort datagrams.
 *
 * Contract:
 * - `send` never throws for network reasons and never blocks; a packet may be lost, duplicated,
 *   delayed or reordered. It throws only for a programming error (a packet over `maxPacketSize`).
 * - Ownership of `data` passes to the transport at `send`: the caller must not mutate it afterwards.
 * - The handler is called once per delivered copy, never synchronously inside `send`, never
 *   re-entrantly. Handlers set later replace earlier ones; packets arriving with no handler are dropped.
 * - After `close()`, `send` is a no-op and nothing more is delivered.
 */
export interface PacketTransport {
  readonly localAddress: Address;
  /** Largest payload `send` accepts, in bytes (memberlist's UDP buffer is 65,536). */
  readonly maxPacketSize: number;
  send(to: Address, data: Uint8Array): void;
  onPacket(handler: PacketHandler): void;
  close(): void;
}

/** Why a stream ended. `undefined` means a clean close by either side. */
export type StreamCloseReason =
  | undefined
  | { kind: 'refused' } // nothing listening at the address, or the dial was rejected
  | { kind: 'timeout' } // connect or I/O deadline passed (e.g. a partition)
  | { kind: 'reset' } // the peer or the path broke the connection
  | { kind: 'error'; message: string };

/**
 * One reliable, ordered, bidirectional byte stream (a TCP connection).
 *
 * Contract:
 * - Bytes written with `write` arrive in order, without loss or duplication, or the stream closes
 *   with a reason. Chunk boundaries are not preserved: the reader may see writes split or merged,
 *   so protocols frame their own messages.
 * - Ownership of a written chunk passes to the stream. Received chunks are owned by the handler.
 * - `onData` and `onClose` handlers are called asynchronously (never inside `write` or `close`),
 *   never re-entrantly. `onClose` is called exactly once, after the last `onData`.
 * - `write` after close is a no-op. `close()` flushes what was written, then closes.
 */
export interface Stream {
  readonly localAddress: Address;
  readonly remoteAddress: Address;
  write(chunk: Uint8Array): void;
  onData(handler: (chunk: Uint8Array) => void): void;
  onClose(handler: (reason: StreamCloseReason) => void): void;
  close(): void;
}

/**
 * Opens and accepts streams.
 *
 * Contract: `dial` returns a Stream at once; the connection is established in the background and
 * bytes written before that are queued. If it cannot be established, the stream closes with
 * `refused` or `timeout`. Accepted streams are handed to the accept handler asynchronously.
 */
export interface StreamTransport {
  readonly localAddress: Address;
  dial(to: Address, timeoutMs?: number): Stream;
  onAccept(handler: (stream: Stream) => void): void;
  close(): void;
}
