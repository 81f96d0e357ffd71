/**
 * Per-client connection caps for a TCP listener (Consul's `limits.rpc_max_conns_per_client`, 100 by
 * default; CVE-2020-7219): a client address with `max` connections open gets its next one closed
 * at once, before anything is read from it.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../../core/ports/logger.ts';
import type { TcpHooks } from './tcp-transport.ts';

/** Wraps `inner` (or plain delivery) with a cap of `max` open connections per remote address; 0 = no cap. */
export function limitConnsPerClient(max: number, logger: Logger, inner: TcpHooks = {}): TcpHooks {
  if (max <= 0) return inner;
  const open = new Map<string, number>();
  return {
    ...inner,
    accept(socket: Socket, deliver: (s: Socket) => void) {
      const ip = socket.remoteAddress ?? '';
      const n = (open.get(ip) ?? 0) + 1;
      if (n > max) {
        logger.log('error', 'rejecting RPC conn from because rpc_max_conns_per_client exceeded', { conn: `${ip}:${socket.remotePort}` });
        socket.destroy();
        return;
      }
      open.set(ip, n);
      socket.once('close', () => {
        const left = (open.get(ip) ?? 1) - 1;
        if (left <= 0) open.delete(ip);
        else open.set(ip, left);
      });
      if (inner.accept) inner.accept(socket, deliver);
      else deliver(socket);
    },
  };
}
