/**
 * The gossip transport edge: labels and AES-GCM encryption wrapped around a PacketTransport and a
 * StreamTransport, so that memberlist's state machine stays synchronous. Outgoing data is encrypted
 * asynchronously (crypto.subtle) and then sent; incoming data is decrypted first and only then
 * handed to the state machine, in arrival order per stream.
 *
 * Wire format (memberlist): packets are `[label header][encrypted payload]` with the label as
 * additional data; each stream message is `[10][u32 length][encrypted payload]` with those five
 * bytes (then the label) as additional data. The dialer of a stream sends the label header first.
 */
import type { Logger } from '../../ports/logger.ts';
import type {
  Address,
  PacketHandler,
  PacketTransport,
  Stream,
  StreamCloseReason,
  StreamTransport,
} from '../../ports/transport.ts';
import { addLabelHeader, removeLabelHeader } from '../codec/compound.ts';
import { fromUtf8, utf8 } from '../codec/msgpack.ts';
import { decryptPayload, ENCRYPT_OVERHEAD, encryptPayload, encryptedLength, type NonceSource } from './aes-gcm.ts';
import type { Keyring } from './keyring.ts';

const ENCRYPT_MSG = 10;
const MAX_PUSH_STATE_BYTES = 20 * 1024 * 1024;

export interface EdgeOptions {
  keyring?: Keyring;
  /** memberlist's label (0.3+); empty for none. */
  label?: string;
  /** Accept unencrypted input while a keyring is set (key rollout). */
  verifyIncoming?: boolean;
  /** Encrypt output while a keyring is set. */
  verifyOutgoing?: boolean;
  nonces: NonceSource;
  logger: Logger;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Bytes the edge adds to every packet, for memberlist's room calculation. */
export function edgeOverhead(opts: Pick<EdgeOptions, 'keyring' | 'label'>): number {
  const label = opts.label ? utf8(opts.label).length + 2 : 0;
  return label + (opts.keyring?.enabled ? ENCRYPT_OVERHEAD : 0);
}

/** A PacketTransport that labels and encrypts on the way out, checks and decrypts on the way in. */
export class EdgePacketTransport implements PacketTransport {
  private handler: PacketHandler | undefined;
  private readonly label: Uint8Array;
  private readonly logger: Logger;
  private closed = false;

  constructor(
    private readonly inner: PacketTransport,
    private readonly opts: EdgeOptions,
  ) {
    this.label = utf8(opts.label ?? '');
    this.logger = opts.logger.named('memberlist');
    inner.onPacket((from, data) => this.ingest(from, data));
  }

  get localAddress(): Address {
    return this.inner.localAddress;
  }

  get maxPacketSize(): number {
    return this.inner.maxPacketSize;
  }

  send(to: Address, data: Uint8Array): void {
    if (this.closed) return;
    const keyring = this.opts.keyring;
    const key = keyring?.primary();
    if (!keyring || !key || this.opts.verifyOutgoing === false) {
      this.inner.send(to, addLabelHeader(this.label, data));
      return;
    }
    encryptPayload(keyring, key, data, this.label, this.opts.nonces).then(
      (sealed) => {
        if (!this.closed) this.inner.send(to, addLabelHeader(this.label, sealed));
      },
      (err: Error) => this.logger.log('error', `Encryption of message failed: ${err.message}`),
    );
  }

  private ingest(from: Address, data: Uint8Array): void {
    const split = removeLabelHeader(data);
    if (!split || !equalBytes(split.label, this.label)) {
      const got = split ? fromUtf8(split.label) : '<malformed>';
      this.logger.log('error', `discarding packet with unacceptable label "${got}" from=${from}`);
      return;
    }
    const keyring = this.opts.keyring;
    if (!keyring?.enabled) {
      this.handler?.(from, split.rest);
      return;
    }
    decryptPayload(keyring, split.rest, this.label).then(
      (plain) => {
        if (!this.closed) this.handler?.(from, plain);
      },
      (err: Error) => {
        if (this.opts.verifyIncoming === false) {
          if (!this.closed) this.handler?.(from, split.rest);
          return;
        }
        this.logger.log('error', `Decrypt packet failed: ${err.message} from=${from}`);
      },
    );
  }

  onPacket(handler: PacketHandler): void {
    this.handler = handler;
  }

  close(): void {
    this.closed = true;
    this.inner.close();
  }

  /** Extra bytes per packet. */
  get overhead(): number {
    return edgeOverhead(this.opts);
  }
}

/** One stream through the edge. */
class EdgeStream implements Stream {
  private dataHandler: ((chunk: Uint8Array) => void) | undefined;
  private closeHandler: ((reason: StreamCloseReason) => void) | undefined;
  private pendingData: Uint8Array[] = [];
  private pendingClose: { reason: StreamCloseReason } | undefined;
  private inBuf: Uint8Array = new Uint8Array(0);
  /** Serialises async work so that writes and deliveries keep their order. */
  private outChain: Promise<void> = Promise.resolve();
  private inChain: Promise<void> = Promise.resolve();
  private labelChecked: boolean;
  private labelSent: boolean;
  private failed = false;
  private closeDelivered = false;
  private readonly label: Uint8Array;

  constructor(
    private readonly inner: Stream,
    private readonly opts: EdgeOptions,
    dialer: boolean,
  ) {
    this.label = utf8(opts.label ?? '');
    this.labelSent = !dialer || this.label.length === 0;
    this.labelChecked = dialer;
    inner.onData((chunk) => this.ingest(chunk));
    inner.onClose((reason) => {
      this.inChain = this.inChain.then(() => this.deliverClose(reason));
    });
  }

  get localAddress(): Address {
    return this.inner.localAddress;
  }

  get remoteAddress(): Address {
    return this.inner.remoteAddress;
  }

  private get logger(): Logger {
    return this.opts.logger.named('memberlist');
  }

  write(chunk: Uint8Array): void {
    if (!this.labelSent) {
      this.labelSent = true;
      this.inner.write(addLabelHeader(this.label, new Uint8Array(0)));
    }
    const keyring = this.opts.keyring;
    const key = keyring?.primary();
    if (!keyring || !key || this.opts.verifyOutgoing === false) {
      this.outChain = this.outChain.then(() => this.inner.write(chunk));
      return;
    }
    const header = new Uint8Array(5);
    header[0] = ENCRYPT_MSG;
    new DataView(header.buffer).setUint32(1, encryptedLength(1, chunk.length));
    const aad = concat(header, this.label);
    const sealed = encryptPayload(keyring, key, chunk, aad, this.opts.nonces);
    this.outChain = this.outChain.then(async () => {
      try {
        const body = await sealed;
        this.inner.write(concat(header, body));
      } catch (err) {
        this.logger.log('error', `Failed to encrypt local state: ${(err as Error).message}`);
        this.fail();
      }
    });
  }

  private fail(): void {
    this.failed = true;
    this.inner.close();
  }

  private ingest(chunk: Uint8Array): void {
    if (this.failed) return;
    this.inBuf = concat(this.inBuf, chunk);
    if (!this.labelChecked) {
      if (this.inBuf.length < 2 && this.inBuf[0] === 244) return;
      const split = removeLabelHeader(this.inBuf);
      if (!split) return;
      if (!equalBytes(split.label, this.label)) {
        this.logger.log('error', `discarding stream with unacceptable label "${fromUtf8(split.label)}" from=${this.remoteAddress}`);
        this.fail();
        return;
      }
      this.labelChecked = true;
      this.inBuf = split.rest;
    }
    const keyring = this.opts.keyring;
    if (!keyring?.enabled) {
      if (this.inBuf.length > 0 && this.inBuf[0] === ENCRYPT_MSG) {
        this.logger.log('error', `Remote state is encrypted and encryption is not configured from=${this.remoteAddress}`);
        this.fail();
        return;
      }
      const data = this.inBuf;
      this.inBuf = new Uint8Array(0);
      if (data.length > 0) this.inChain = this.inChain.then(() => this.deliver(data));
      return;
    }
    while (this.inBuf.length > 0) {
      if (this.inBuf[0] !== ENCRYPT_MSG) {
        if (this.opts.verifyIncoming === false) {
          const data = this.inBuf;
          this.inBuf = new Uint8Array(0);
          this.inChain = this.inChain.then(() => this.deliver(data));
          return;
        }
        this.logger.log('error', `Encryption is configured but remote state is not encrypted from=${this.remoteAddress}`);
        this.fail();
        return;
      }
      if (this.inBuf.length < 5) return;
      const len = new DataView(this.inBuf.buffer, this.inBuf.byteOffset).getUint32(1);
      if (len > MAX_PUSH_STATE_BYTES) {
        this.logger.log('error', `Remote node state is larger than limit (${len})`);
        this.fail();
        return;
      }
      if (this.inBuf.length < 5 + len) return;
      const header = this.inBuf.slice(0, 5);
      const body = this.inBuf.slice(5, 5 + len);
      this.inBuf = this.inBuf.slice(5 + len);
      const plain = decryptPayload(keyring, body, concat(header, this.label));
      this.inChain = this.inChain.then(async () => {
        try {
          this.deliver(await plain);
        } catch (err) {
          this.logger.log('error', `failed to decrypt stream from=${this.remoteAddress}: ${(err as Error).message}`);
          this.fail();
        }
      });
    }
  }

  private deliver(data: Uint8Array): void {
    if (this.failed) return;
    if (this.dataHandler) this.dataHandler(data);
    else this.pendingData.push(data);
  }

  private deliverClose(reason: StreamCloseReason): void {
    if (this.closeDelivered) return;
    if (!this.closeHandler) {
      this.pendingClose = { reason };
      return;
    }
    this.closeDelivered = true;
    this.closeHandler(reason);
  }

  onData(handler: (chunk: Uint8Array) => void): void {
    this.dataHandler = handler;
    const pending = this.pendingData;
    this.pendingData = [];
    for (const d of pending) handler(d);
  }

  onClose(handler: (reason: StreamCloseReason) => void): void {
    this.closeHandler = handler;
    if (this.pendingClose) {
      const { reason } = this.pendingClose;
      this.pendingClose = undefined;
      this.deliverClose(reason);
    }
  }

  close(): void {
    this.outChain = this.outChain.then(() => this.inner.close());
  }
}

/** A StreamTransport whose streams carry memberlist's label and encryption. */
export class EdgeStreamTransport implements StreamTransport {
  constructor(
    private readonly inner: StreamTransport,
    private readonly opts: EdgeOptions,
  ) {}

  get localAddress(): Address {
    return this.inner.localAddress;
  }

  dial(to: Address, timeoutMs?: number): Stream {
    return new EdgeStream(this.inner.dial(to, timeoutMs), this.opts, true);
  }

  onAccept(handler: (stream: Stream) => void): void {
    this.inner.onAccept((s) => handler(new EdgeStream(s, this.opts, false)));
  }

  close(): void {
    this.inner.close();
  }
}
