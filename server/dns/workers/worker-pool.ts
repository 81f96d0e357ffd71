/**
 * DNS worker processes (`dns_config.udp_workers`, our extension; default 0): each shares the
 * agent's UDP DNS sockets, so the kernel spreads queries over the agent and its workers and DNS
 * answers use more than one core, as Consul's goroutines do. Only the agent holds the catalog:
 * workers cache answers per name and catalog index like the agent's own resolver, and read
 * through the agent (ACL-filtered) on a miss. TCP stays in the agent.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Socket as UdpSocket } from 'node:dgram';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DnsCanRead, DnsCatalog } from '../../../core/dns/catalog.ts';
import type { DnsConfig } from '../../../core/dns/config.ts';
import type { DnsStats } from '../../../core/dns/resolver.ts';
import type { Logger } from '../../../core/ports/logger.ts';
import { answerRead } from './catalog-host.ts';
import type { HostMessage, WorkerMessage } from './protocol.ts';

/** Pool options. */
export interface DnsWorkerPoolOptions {
  /** Worker processes to run. */
  count: number;
  catalog: DnsCatalog;
  canRead?: DnsCanRead;
  config: Partial<DnsConfig>;
  logger?: Logger;
  /** How often the catalog index is checked and pushed to workers (default 20 ms). */
  indexPollMs?: number;
}

/** Where the worker's entry is: next to the prebuilt CLI bundle, or the TypeScript source via tsx. */
function workerEntry(): { path: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.mjs')) return { path: fileURLToPath(new URL('./dns-worker.mjs', here)), execArgv: [] };
  const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
  return { path: fileURLToPath(new URL('./dns-worker-main.ts', here)), execArgv: ['--import', tsx] };
}

interface Worker {
  child: ChildProcess;
  statsWaiters: Array<(s: DnsStats | undefined) => void>;
}

/** The running workers. */
export class DnsWorkerPool {
  private readonly workers = new Set<Worker>();
  private sockets: UdpSocket[] = [];
  private config: Partial<DnsConfig>;
  private lastIndex: number | undefined;
  private poll: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: DnsWorkerPoolOptions) {
    this.config = o.config;
  }

  /** Forks the workers, hands them `sockets`, and resolves once every one is answering. */
  async start(sockets: UdpSocket[]): Promise<void> {
    this.sockets = sockets;
    this.lastIndex = this.o.catalog.index(this.o.catalog.datacenter);
    await Promise.all(Array.from({ length: this.o.count }, () => this.spawn()));
    this.poll = setInterval(() => this.pushIndex(), this.o.indexPollMs ?? 20);
    this.poll.unref();
  }

  private spawn(): Promise<void> {
    const entry = workerEntry();
    const child = fork(entry.path, [], { execArgv: entry.execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker: Worker = { child, statsWaiters: [] };
    this.workers.add(worker);
    const send = (m: HostMessage) => {
      if (child.connected) child.send(m);
    };
    return new Promise<void>((resolve, reject) => {
      child.on('message', (raw) => {
        const m = raw as WorkerMessage;
        if (m.t === 'read') void answerRead(this.o.catalog, this.o.canRead ?? (() => true), m, send);
        else if (m.t === 'stats') for (const w of worker.statsWaiters.splice(0)) w(m.stats);
        else if (m.t === 'ready') {
          for (const s of this.sockets) child.send({ t: 'socket' } satisfies HostMessage, s as never);
          resolve();
        }
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        this.workers.delete(worker);
        for (const w of worker.statsWaiters.splice(0)) w(undefined);
        reject(new Error(`DNS worker exited before it was ready (${signal ?? code})`));
        if (this.closed) return;
        this.o.logger?.log('warn', 'DNS worker exited; starting another', { code: String(code), signal: String(signal) });
        setTimeout(() => void this.spawn().catch((e: Error) => this.o.logger?.log('error', 'DNS worker failed to start', { error: e.message })), 1000).unref();
      });
      const dc = this.o.catalog.datacenter;
      const index = this.o.catalog.index(dc);
      send({ t: 'init', config: this.config, datacenter: dc, indexes: index === undefined ? [] : [[dc, index]] });
    });
  }

  /** Pushes the local datacenter's catalog index when it moved, so workers drop stale answers. */
  private pushIndex(): void {
    const dc = this.o.catalog.datacenter;
    const index = this.o.catalog.index(dc);
    if (index === undefined || index === this.lastIndex) return;
    this.lastIndex = index;
    this.broadcast({ t: 'index', dc, index });
  }

  private broadcast(m: HostMessage): void {
    for (const w of this.workers) if (w.child.connected) w.child.send(m);
  }

  /** Drops every worker's cached answers (ACL or token change). */
  invalidate(): void {
    this.broadcast({ t: 'invalidate' });
  }

  /** Applies a reloaded DNS configuration to every worker. */
  reload(config: Partial<DnsConfig>): void {
    this.config = config;
    this.broadcast({ t: 'config', config });
  }

  /** Each worker's resolver counters. */
  async stats(): Promise<DnsStats[]> {
    const all = await Promise.all(
      [...this.workers].map(
        (w) =>
          new Promise<DnsStats | undefined>((resolve) => {
            if (!w.child.connected) return resolve(undefined);
            w.statsWaiters.push(resolve);
            w.child.send({ t: 'stats' } satisfies HostMessage);
          }),
      ),
    );
    return all.filter((s): s is DnsStats => s !== undefined);
  }

  /** Stops the workers (they exit when their IPC channel closes). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    await Promise.all(
      [...this.workers].map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
            w.child.once('exit', () => resolve());
            w.child.disconnect();
            setTimeout(() => w.child.kill('SIGKILL'), 2000).unref();
          }),
      ),
    );
  }
}
