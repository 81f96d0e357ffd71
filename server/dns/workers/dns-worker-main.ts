/**
 * A DNS worker process (forked by DnsWorkerPool): answers UDP queries on the agent's own sockets,
 * shared over the IPC channel, with its own resolver and answer cache. Catalog reads on a cache miss
 * go to the agent (IpcDnsCatalog); the agent pushes its catalog index, ACL invalidations and reloads.
 * Exits when the agent goes away.
 */
import type { Socket as UdpSocket } from 'node:dgram';
import { DnsResolver } from '../../../core/dns/resolver.ts';
import { secureSeededPrng } from '../../runtime/crypto-random.ts';
import { SocketUpstream } from '../socket-upstream.ts';
import { respondOnUdp } from '../udp-responder.ts';
import { IpcDnsCatalog } from './ipc-catalog.ts';
import type { HostMessage, WorkerMessage } from './protocol.ts';

const send = (m: WorkerMessage): void => {
  if (process.connected) process.send?.(m);
};

let catalog: IpcDnsCatalog | undefined;
let resolver: DnsResolver | undefined;
const sockets: UdpSocket[] = [];
let closing = false;

function init(m: Extract<HostMessage, { t: 'init' }>): void {
  catalog = new IpcDnsCatalog(m.datacenter, send);
  for (const [dc, index] of m.indexes) catalog.setIndex(dc, index);
  resolver = new DnsResolver({
    catalog,
    random: secureSeededPrng(),
    config: m.config,
    upstream: new SocketUpstream(),
    wallSeconds: () => Math.floor(Date.now() / 1000),
  });
  send({ t: 'ready' });
}

function onMessage(m: HostMessage, handle: unknown): void {
  if (m.t === 'init') return init(m);
  if (!catalog || !resolver) return;
  switch (m.t) {
    case 'socket': {
      const socket = handle as UdpSocket;
      sockets.push(socket);
      respondOnUdp(socket, resolver, (e) => process.stderr.write(`dns worker: ${e.message}\n`), () => !closing);
      return;
    }
    case 'index':
      catalog.setIndex(m.dc, m.index);
      return;
    case 'reply':
      catalog.settle(m.id, m.value);
      return;
    case 'fail':
      catalog.settle(m.id, undefined, { message: m.error, ...(m.noPathTo !== undefined ? { noPathTo: m.noPathTo } : {}) });
      return;
    case 'invalidate':
      resolver.invalidate();
      return;
    case 'config':
      resolver.reload(m.config);
      return;
    case 'stats':
      send({ t: 'stats', stats: { ...resolver.stats } });
      return;
  }
}

process.on('message', (m, handle) => onMessage(m as HostMessage, handle));
process.on('disconnect', () => {
  closing = true;
  catalog?.failAll('the agent went away');
  for (const s of sockets) s.close();
  process.exit(0);
});
