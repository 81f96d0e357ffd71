/**
 * The wire format between two lab tabs. Every message on a tab-to-tab link (a WebRTC data channel
 * or the WebSocket relay) is one frame: a datagram for a virtual port, or one step of a virtual
 * stream (open, accept, data, close). Streams are multiplexed over one reliable ordered channel,
 * so a frame never needs a length prefix: the channel preserves message boundaries.
 *
 * Layout (big-endian):
 *   packet: [1][srcPort u16][dstPort u16][payload...]
 *   open:   [2][flags][id u32][srcPort u16][dstPort u16]
 *   accept: [3][flags][id u32]
 *   data:   [4][flags][id u32][payload...]
 *   close:  [5][flags][id u32][reason u8][message utf-8...]
 * `flags` bit 0 is set when the sender of the frame is the side that dialed the stream, so that
 * the two ends' stream ids never collide.
 */
import type { StreamCloseReason } from '../../core/ports/transport.ts';

export const FRAME = { packet: 1, open: 2, accept: 3, data: 4, close: 5 } as const;

export type Frame =
  | { kind: 'packet'; srcPort: number; dstPort: number; payload: Uint8Array }
  | { kind: 'open'; fromDialer: boolean; id: number; srcPort: number; dstPort: number }
  | { kind: 'accept'; fromDialer: boolean; id: number }
  | { kind: 'data'; fromDialer: boolean; id: number; payload: Uint8Array }
  | { kind: 'close'; fromDialer: boolean; id: number; reason: StreamCloseReason };

/** Bytes of header before a packet's payload. */
export const PACKET_HEADER = 5;
/** Bytes of header before a data frame's payload. */
export const DATA_HEADER = 6;

const REASON_CODE = { clean: 0, refused: 1, timeout: 2, reset: 3, error: 4 } as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new Error(`frame: port ${port} is not a u16`);
}

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new Error(`frame: stream id ${id} is not a u32`);
}

/** Encodes one frame into a fresh buffer (the payload is copied after the header). */
export function encodeFrame(f: Frame): Uint8Array {
  switch (f.kind) {
    case 'packet': {
      checkPort(f.srcPort);
      checkPort(f.dstPort);
      const out = new Uint8Array(PACKET_HEADER + f.payload.length);
      const v = new DataView(out.buffer);
      out[0] = FRAME.packet;
      v.setUint16(1, f.srcPort);
      v.setUint16(3, f.dstPort);
      out.set(f.payload, PACKET_HEADER);
      return out;
    }
    case 'open': {
      checkPort(f.srcPort);
      checkPort(f.dstPort);
      const out = streamHeader(FRAME.open, f.fromDialer, f.id, 4);
      const v = new DataView(out.buffer);
      v.setUint16(6, f.srcPort);
      v.setUint16(8, f.dstPort);
      return out;
    }
    case 'accept':
      return streamHeader(FRAME.accept, f.fromDialer, f.id, 0);
    case 'data': {
      const out = streamHeader(FRAME.data, f.fromDialer, f.id, f.payload.length);
      out.set(f.payload, DATA_HEADER);
      return out;
    }
    case 'close': {
      const message = f.reason?.kind === 'error' ? encoder.encode(f.reason.message) : new Uint8Array(0);
      const out = streamHeader(FRAME.close, f.fromDialer, f.id, 1 + message.length);
      out[6] = f.reason === undefined ? REASON_CODE.clean : REASON_CODE[f.reason.kind];
      out.set(message, 7);
      return out;
    }
  }
}

function streamHeader(kind: number, fromDialer: boolean, id: number, extra: number): Uint8Array {
  checkId(id);
  const out = new Uint8Array(DATA_HEADER + extra);
  out[0] = kind;
  out[1] = fromDialer ? 1 : 0;
  new DataView(out.buffer).setUint32(2, id);
  return out;
}

/**
 * Decodes one frame. Payloads are views into `buf` (which the caller hands over). Throws a clear
 * error on a truncated or unknown frame; the link drops such frames.
 */
export function decodeFrame(buf: Uint8Array): Frame {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const need = (n: number, what: string) => {
    if (buf.length < n) throw new Error(`frame: truncated ${what} frame (${buf.length} bytes, need ${n})`);
  };
  need(1, 'empty');
  const kind = buf[0];
  if (kind === FRAME.packet) {
    need(PACKET_HEADER, 'packet');
    return { kind: 'packet', srcPort: v.getUint16(1), dstPort: v.getUint16(3), payload: buf.subarray(PACKET_HEADER) };
  }
  need(DATA_HEADER, 'stream');
  const fromDialer = (buf[1]! & 1) === 1;
  const id = v.getUint32(2);
  switch (kind) {
    case FRAME.open:
      need(DATA_HEADER + 4, 'open');
      return { kind: 'open', fromDialer, id, srcPort: v.getUint16(6), dstPort: v.getUint16(8) };
    case FRAME.accept:
      return { kind: 'accept', fromDialer, id };
    case FRAME.data:
      return { kind: 'data', fromDialer, id, payload: buf.subarray(DATA_HEADER) };
    case FRAME.close:
      need(DATA_HEADER + 1, 'close');
      return { kind: 'close', fromDialer, id, reason: decodeReason(buf[6]!, buf.subarray(7)) };
    default:
      throw new Error(`frame: unknown frame kind ${kind}`);
  }
}

function decodeReason(code: number, message: Uint8Array): StreamCloseReason {
  switch (code) {
    case REASON_CODE.clean:
      return undefined;
    case REASON_CODE.refused:
      return { kind: 'refused' };
    case REASON_CODE.timeout:
      return { kind: 'timeout' };
    case REASON_CODE.reset:
      return { kind: 'reset' };
    case REASON_CODE.error:
      return { kind: 'error', message: decoder.decode(message) };
    default:
      throw new Error(`frame: unknown close reason ${code}`);
  }
}
