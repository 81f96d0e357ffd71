/**
 * Starts the agent's DNS interface from its runtime configuration: one resolver (`domain`,
 * `alt_domain`, `recursors`, `dns_config`) behind a UDP+TCP server on every `addresses.dns` /
 * `ports.dns` listener (none when the port is -1). The caller supplies the catalog (StateDnsCatalog
 * on servers, an RPC-backed DnsCatalog on clients) and the ACL hook.
 */
import type { DnsCanRead, DnsCatalog } from '../../core/dns/catalog.ts';
import { DnsResolver } from '../../core/dns/resolver.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';
import { secureSeededPrng } from '../runtime/crypto-random.ts';
import { DnsServer } from './dns-server.ts';
import { dnsConfigFromRuntime } from './runtime-dns-config.ts';
import { SocketUpstream } from './socket-upstream.ts';
import { DnsWorkerPool } from './workers/worker-pool.ts';

/** The running DNS interface. */
export interface RunningDns {
  resolver: DnsResolver;
  servers: DnsServer[];
  /** The UDP worker processes (`dns_config.udp_workers` > 0). */
  workers: DnsWorkerPool | undefined;
  /** Drops cached answers here and in the workers (after an ACL or token change). */
  invalidate(): void;
  /** Applies a reloaded configuration (Consul's DNS config is hot-reloadable). */
  reload(dns: RuntimeConfig['dns']): void;
  close(): Promise<void>;
}

/** Binds the DNS listeners; throws (after closing what was bound) if one can't bind. */
export async function startDns(
  rt: Pick<RuntimeConfig, 'dns' | 'dnsAddrs'>,
  catalog: DnsCatalog,
  logger: Logger,
  canRead?: DnsCanRead,
): Promise<RunningDns> {
  const log = logger.named('dns');
  const resolver = new DnsResolver({
    catalog,
    random: secureSeededPrng(),
    config: dnsConfigFromRuntime(rt.dns),
    upstream: new SocketUpstream(),
    wallSeconds: () => Math.floor(Date.now() / 1000),
    logger,
    ...(canRead ? { canRead } : {}),
  });
  const servers: DnsServer[] = [];
  let workers: DnsWorkerPool | undefined;
  const close = async () => {
    await workers?.close();
    await Promise.all(servers.map((s) => s.close()));
  };
  try {
    for (const addr of rt.dnsAddrs) {
      const server = new DnsServer({ resolver, host: addr.host, port: addr.port, onError: (e) => log.log('warn', 'DNS socket error', { error: e.message }) });
      const port = await server.start();
      servers.push(server);
      log.log('info', 'Started DNS server', { address: `${addr.host}:${port}`, network: 'udp+tcp' });
    }
    if (rt.dns.udpWorkers > 0 && servers.length > 0) {
      workers = new DnsWorkerPool({ count: rt.dns.udpWorkers, catalog, config: dnsConfigFromRuntime(rt.dns), logger: log, ...(canRead ? { canRead } : {}) });
      await workers.start(servers.flatMap((s) => (s.udpSocket ? [s.udpSocket] : [])));
      log.log('info', 'Started DNS workers', { count: String(rt.dns.udpWorkers) });
    }
  } catch (e) {
    await close();
    throw e;
  }
  return {
    resolver,
    servers,
    workers,
    invalidate: () => {
      resolver.invalidate();
      workers?.invalidate();
    },
    reload: (dns) => {
      resolver.reload(dnsConfigFromRuntime(dns));
      workers?.reload(dnsConfigFromRuntime(dns));
    },
    close,
  };
}
