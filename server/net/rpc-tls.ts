/**
 * TLS on the server RPC port, as Consul's pool does it: a connection whose first byte is RPCTLS
 * (0x03) continues as a TLS handshake, and the real protocol byte (Consul RPC, Raft, snapshot)
 * follows inside TLS. Rules:
 *
 * - `verify_incoming`: a connection that does not start with RPCTLS is closed (never served in
 *   plaintext), and a TLS client must present a certificate signed by the CA.
 * - `verify_outgoing` (implied by `verify_server_hostname`, CVE-2018-19653): every dial announces
 *   RPCTLS and verifies the server's chain against the CA.
 * - `verify_server_hostname`: the server's certificate must name `server.<dc>.<domain>` (the dc of
 *   the server dialled, as gossip knows it); and on the
 *   server side, Raft over TLS is accepted only from peers whose certificate is a server certificate,
 *   so a client certificate cannot reach server-only functionality (CVE-2021-37219).
 * - The first byte and the TLS handshake must arrive within `rpc_handshake_timeout` (CVE-2020-7219).
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, createSecureContext, type PeerCertificate, type SecureContext, TLSSocket } from 'node:tls';
import type { Logger } from '../../core/ports/logger.ts';
import type { TlsMaterial } from '../tls/tls-material.ts';
import type { TcpHooks } from './tcp-transport.ts';

/** Consul's pool.RPCTLS. */
export const RPC_TLS = 0x03;
/** Consul's pool.RPCRaft, the one server-only protocol on the port. */
const RPC_RAFT = 0x01;

export interface RpcTlsOptions {
  material: TlsMaterial;
  datacenter: string;
  /** Consul's `domain` (default `consul`). */
  domain: string;
  /** limits.rpc_handshake_timeout (5 s). */
  handshakeTimeoutMs: number;
  logger: Logger;
  /**
   * The datacenter of the server at an RPC address (from gossip), so that verify_server_hostname
   * expects `server.<its dc>.<domain>` when forwarding to another datacenter; this one's otherwise.
   */
  datacenterOf?: (address: string) => string | undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `cert` names a Consul server of any datacenter (`server.<dc>.<domain>`). */
export function isServerCert(cert: PeerCertificate | undefined, domain: string, dc?: string): boolean {
  const sans = (cert?.subjectaltname ?? '').split(/,\s*/);
  const re = new RegExp(`^DNS:server\\.${dc ? escapeRe(dc) : '[^.]+'}\\.${escapeRe(domain)}\\.?$`, 'i');
  return sans.some((s) => re.test(s));
}

/** A Duplex over `socket` that first yields `head` (bytes already read off the socket). */
function replayDuplex(socket: Socket, head: Uint8Array): Duplex {
  const d = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, _enc, cb) {
      socket.write(chunk, cb);
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  if (head.length > 0) d.push(head);
  socket.on('data', (chunk: Buffer) => {
    if (!d.push(chunk)) socket.pause();
  });
  socket.on('end', () => d.push(null));
  socket.on('close', () => d.destroy());
  socket.on('error', (e) => d.destroy(e));
  return d;
}

/** The hooks that put TLS on a server RPC port (and on every RPC dial) per `o`. */
export function rpcTlsHooks(o: RpcTlsOptions): TcpHooks {
  const m = o.material;
  const log = o.logger;
  const serve = m.cert !== undefined && m.key !== undefined;
  const context: SecureContext | undefined = serve ? createSecureContext({ cert: m.cert, key: m.key, ca: m.ca, minVersion: m.minVersion }) : undefined;

  const startTls = (socket: Socket, head: Uint8Array, deliver: (s: Socket) => void, timer: NodeJS.Timeout) => {
    if (!context) {
      log.log('error', 'TLS connection attempted, server not configured for TLS', { from: socket.remoteAddress });
      clearTimeout(timer);
      socket.destroy();
      return;
    }
    const tls = new TLSSocket(replayDuplex(socket, head), {
      isServer: true,
      secureContext: context,
      requestCert: m.verifyIncoming,
      rejectUnauthorized: m.verifyIncoming,
    });
    tls.on('error', (e) => {
      log.log('error', 'failed TLS handshake', { from: socket.remoteAddress, error: e.message });
      clearTimeout(timer);
      tls.destroy();
      socket.destroy();
    });
    tls.once('secure', () => {
      clearTimeout(timer);
      if (!m.verifyServerHostname) return deliver(tls);
      // Peek at the protocol byte inside TLS: Raft only for server certificates.
      tls.once('data', (chunk: Buffer) => {
        tls.pause();
        if (chunk[0] === RPC_RAFT && !isServerCert(tls.getPeerCertificate(), o.domain, o.datacenter)) {
          log.log('error', 'Raft connection refused: the peer certificate is not a server certificate', { from: socket.remoteAddress });
          tls.destroy();
          return;
        }
        tls.unshift(chunk);
        deliver(tls);
        tls.resume();
      });
    });
  };

  return {
    accept(socket, deliver) {
      const timer = setTimeout(() => {
        log.log('error', 'RPC handshake timed out', { from: socket.remoteAddress });
        socket.destroy();
      }, o.handshakeTimeoutMs);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
      const onData = (chunk: Buffer) => {
        socket.removeListener('data', onData);
        socket.pause();
        if (chunk[0] === RPC_TLS) return startTls(socket, chunk.subarray(1), deliver, timer);
        clearTimeout(timer);
        if (m.verifyIncoming) {
          log.log('error', 'Non-TLS connection attempted with VerifyIncoming set', { from: socket.remoteAddress });
          socket.destroy();
          return;
        }
        socket.unshift(chunk);
        deliver(socket);
        socket.resume();
      };
      socket.on('data', onData);
    },
    dial: m.verifyOutgoing
      ? (raw, to) => {
          raw.write(new Uint8Array([RPC_TLS]));
          const dc = o.datacenterOf?.(to) ?? o.datacenter;
          const expected = `server.${dc}.${o.domain}`;
          const tls = tlsConnect({
            socket: raw,
            ca: m.ca,
            cert: m.cert,
            key: m.key,
            minVersion: m.minVersion,
            rejectUnauthorized: true,
            servername: m.verifyServerHostname ? expected : undefined,
            // Without verify_server_hostname Consul checks the chain only, never the host name.
            checkServerIdentity: (_host, cert) => {
              if (!m.verifyServerHostname || isServerCert(cert, o.domain, dc)) return undefined;
              return new Error(`x509: certificate is valid for ${cert.subjectaltname ?? 'no names'}, not ${expected}`);
            },
          });
          raw.on('error', (e) => tls.destroy(e));
          return tls;
        }
      : undefined,
  };
}
