/**
 * The DNS resolver: bytes of a query in, bytes of a reply out (or nothing, for packets that must be
 * dropped). Pure: the catalog, randomness, wall-clock seconds (SOA serial) and upstream recursors
 * all come in through the options.
 *
 * Answers are resolved once per (name, type) and catalog index and kept as pre-encoded records;
 * each query then only shuffles, trims and copies. Call `invalidate()` when ACLs change.
 */
import type { Random } from '../ports/random.ts';
import { type Logger, nullLogger } from '../ports/logger.ts';
import { emptyAnswer, type ResolvedAnswer } from './answer.ts';
import { type AssembleOptions, assembleReply, type DnsTransport, headerOnly, rejectionReply } from './assemble.ts';
import { type DnsCanRead, type DnsCatalog, type MaybePromise, NoPathToDatacenter } from './catalog.ts';
import { type DnsConfig, resolveDnsConfig } from './config.ts';
import { Flag, Rcode, RRClass, RRType } from './constants.ts';
import { formatIP, ipFromReverseLabels } from './ip.ts';
import {
  addrLookup,
  type LookupContext,
  nodeLookup,
  nsLookup,
  nxdomain,
  preparedQueryLookup,
  ptrLookup,
  serviceLookup,
  soaLookup,
} from './lookups.ts';
import { andThen, attempt, isPromise } from './maybe.ts';
import { type DnsQuestion, lowerByte, type ParsedQuery, parseQuery } from './query.ts';
import { classifyName, type QueryForm } from './query-name.ts';
import { type Fragment, soaRecord, soaSerialOffset } from './records.ts';

/** Who asked, and how. `address` is the client's IP (prepared queries use it as the `Near` source). */
export interface DnsClientInfo {
  transport: DnsTransport;
  address?: string;
}

/**
 * Upstream DNS servers (`recursors`), as a port: the server implements it over UDP sockets, the
 * simulator or tests over anything. Resolves to the upstream's raw reply; rejects on timeout or error.
 */
export interface DnsUpstream {
  exchange(recursor: string, query: Uint8Array, transport: DnsTransport, timeoutMs: number): Promise<Uint8Array>;
}

/** Construction options. */
export interface DnsResolverOptions {
  catalog: DnsCatalog;
  /** Shuffles instance order and picks random recursors. */
  random: Random;
  config?: Partial<DnsConfig>;
  /** ACL hook (node:read / service:read for the DNS token). Default: allow everything. */
  canRead?: DnsCanRead;
  /** Needed for recursion; without it names outside the domain get REFUSED even with recursors set. */
  upstream?: DnsUpstream;
  /** Unix time in seconds, for the SOA serial (Consul uses the current time). Default: always 0. */
  wallSeconds?: () => number;
  logger?: Logger;
  /**
   * Most queries waiting on asynchronous reads or recursors at once (default 4096). Past it, cache
   * misses get SERVFAIL at once, so a hung upstream or RPC path can't grow memory without bound;
   * cached answers are still served.
   */
  maxInFlight?: number;
}

/** Counters for metrics (`consul.dns.*`) and tests. */
export interface DnsStats {
  queries: number;
  cacheHits: number;
  dropped: number;
  formErrors: number;
  forwarded: number;
  servfail: number;
  /** Queries currently waiting on asynchronous reads or recursors. */
  inFlight: number;
  /** Cache misses refused (SERVFAIL) because `maxInFlight` was reached. */
  overloaded: number;
}

interface CacheEntry {
  /** The question section lower-cased (hash collisions are checked against it). */
  key: Uint8Array;
  dc: string;
  index: number;
  answer: ResolvedAnswer;
}

/** Does `wire` (a question section) equal the lower-cased `key`, ignoring ASCII case? */
function sameQuestion(key: Uint8Array, wire: Uint8Array): boolean {
  if (key.length !== wire.length) return false;
  for (let i = 0; i < key.length; i++) if (key[i] !== lowerByte(wire[i] as number)) return false;
  return true;
}

/** Cached names are capped so random names from a hostile client can't grow memory without bound. */
const MAX_CACHE_ENTRIES = 10_000;

/** The resolver. One per agent; its methods never throw for anything a client sends. */
export class DnsResolver {
  readonly stats: DnsStats = { queries: 0, cacheHits: 0, dropped: 0, formErrors: 0, forwarded: 0, servfail: 0, inFlight: 0, overloaded: 0 };
  private config: DnsConfig;
  private readonly cache = new Map<number, CacheEntry>();
  private readonly soas = new Map<string, Fragment>();
  private serial = -1;
  private readonly ctx: LookupContext;
  private readonly assembleOpts: { udp: AssembleOptions; tcp: AssembleOptions };
  private readonly logger: Logger;

  constructor(private readonly opts: DnsResolverOptions) {
    this.config = resolveDnsConfig(opts.config);
    this.logger = (opts.logger ?? nullLogger).named('agent.dns');
    this.ctx = {
      config: this.config,
      catalog: opts.catalog,
      canRead: opts.canRead ?? (() => true),
      read: { allowStale: this.config.allowStale, maxStaleMs: this.config.maxStaleMs },
      soa: (domain) => this.soaFor(domain),
    };
    this.assembleOpts = { udp: this.makeAssembleOptions('udp'), tcp: this.makeAssembleOptions('tcp') };
  }

  /** The effective configuration. */
  get currentConfig(): Readonly<DnsConfig> {
    return this.config;
  }

  /** Replaces the configuration (Consul's DNS config is hot-reloadable) and drops cached answers. */
  reload(config: Partial<DnsConfig>): void {
    this.config = resolveDnsConfig(config);
    this.ctx.config = this.config;
    this.ctx.read = { allowStale: this.config.allowStale, maxStaleMs: this.config.maxStaleMs };
    this.assembleOpts.udp = this.makeAssembleOptions('udp');
    this.assembleOpts.tcp = this.makeAssembleOptions('tcp');
    this.soas.clear();
    this.invalidate();
  }

  /** Forgets cached answers (after an ACL or token change). */
  invalidate(): void {
    this.cache.clear();
  }

  private makeAssembleOptions(transport: DnsTransport): AssembleOptions {
    const c = this.config;
    return {
      transport,
      random: this.opts.random,
      udpAnswerLimit: c.udpAnswerLimit,
      aRecordLimit: c.aRecordLimit,
      enableTruncate: c.enableTruncate,
      recursionAvailable: c.recursors.length > 0,
    };
  }

  /**
   * Handles one packet. Returns the reply bytes, or undefined when the packet must be dropped (not a
   * query, shorter than a header). Never throws; a Promise only when a remote read or recursion is needed.
   */
  handle(packet: Uint8Array, client: DnsClientInfo): MaybePromise<Uint8Array | undefined> {
    this.stats.queries++;
    const parsed = parseQuery(packet);
    if (!parsed.ok) {
      const r = parsed.rejection;
      if (r.kind === 'drop') {
        this.stats.dropped++;
        return undefined;
      }
      this.stats.formErrors++;
      return rejectionReply(r.id, r.flags, r.rcode);
    }
    const q = parsed.query;
    if (q.edns && q.edns.version > 0) return headerOnly(q, 16, false, false, false); // BADVERS
    const out = attempt(
      () => this.reply(q, packet, client),
      (e) => {
        this.stats.servfail++;
        this.logger.log('error', 'failed to answer DNS query', { error: String(e), name: q.question.name });
        return headerOnly(q, Rcode.SERVFAIL, false, false, this.assembleOpts.udp.recursionAvailable);
      },
    );
    if (!isPromise(out)) return out;
    this.stats.inFlight++;
    const settle = () => {
      this.stats.inFlight--;
    };
    out.then(settle, settle);
    return out;
  }

  private reply(q: ParsedQuery, packet: Uint8Array, client: DnsClientInfo): MaybePromise<Uint8Array | undefined> {
    this.refreshSerial();
    const o = client.transport === 'udp' ? this.assembleOpts.udp : this.assembleOpts.tcp;
    const hit = this.cache.get(q.questionHash);
    if (hit && sameQuestion(hit.key, q.questionWire) && this.opts.catalog.index(hit.dc) === hit.index) {
      this.stats.cacheHits++;
      return assembleReply(q, hit.answer, o);
    }
    const { type: qtype, class: qclass, name } = q.question;
    if (qclass !== RRClass.IN && qclass !== RRClass.ANY) {
      return headerOnly(q, Rcode.REFUSED, false, false, o.recursionAvailable);
    }
    if (this.stats.inFlight >= (this.opts.maxInFlight ?? 4096)) {
      this.stats.overloaded++;
      return headerOnly(q, Rcode.SERVFAIL, false, false, o.recursionAvailable);
    }
    const form = classifyName(name.toLowerCase(), qtype, this.config);
    if (form.kind === 'outside') return this.recurseOrRefuse(q, packet, client);
    if (form.kind === 'ptr') return this.reverse(q, form, packet, client);
    const dc = ('dc' in form && form.dc) || this.opts.catalog.datacenter;
    const index = this.opts.catalog.index(dc);
    const ecs = q.edns?.clientSubnet;
    const resolved = this.resolveForm(form, qtype, ecs ? formatIP(ecs.address) : client.address);
    return andThen(resolved, (answer) => {
      const cacheable = index !== undefined && form.kind !== 'query' && answer.rcode !== Rcode.SERVFAIL;
      if (cacheable) this.remember(q.questionHash, { key: q.questionWire.map(lowerByte), dc, index, answer });
      return assembleReply(q, answer, o);
    });
  }

  private remember(key: number, entry: CacheEntry): void {
    if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.clear();
    this.cache.set(key, entry);
  }

  /**
   * Resolves a question to records, without writing a reply (for tests and tools). `outside` and PTR
   * names return undefined: those are answered by recursion.
   */
  resolve(question: DnsQuestion, source?: string): MaybePromise<ResolvedAnswer | undefined> {
    this.refreshSerial();
    const form = classifyName(question.name.toLowerCase(), question.type, this.config);
    if (form.kind === 'outside' || form.kind === 'ptr') return undefined;
    return this.resolveForm(form, question.type, source);
  }

  private resolveForm(form: Exclude<QueryForm, { kind: 'outside' | 'ptr' }>, qtype: number, source: string | undefined) {
    const ctx = this.ctx;
    return attempt<ResolvedAnswer>(
      () => {
        if (qtype === RRType.AXFR || qtype === RRType.IXFR) return emptyAnswer(Rcode.NOTIMP, []);
        if (qtype === RRType.SOA) return soaLookup(ctx, form.domain);
        if (qtype === RRType.NS) return nsLookup(ctx, form.domain);
        switch (form.kind) {
          case 'apex':
          case 'invalid':
            return nxdomain(ctx, form.domain);
          case 'node':
            return nodeLookup(ctx, form, qtype);
          case 'service':
            return serviceLookup(ctx, form, qtype);
          case 'query':
            return preparedQueryLookup(ctx, form, qtype, source);
          case 'addr':
            return addrLookup(ctx, form, qtype);
        }
      },
      (e) => {
        if (e instanceof NoPathToDatacenter) return nxdomain(ctx, form.domain);
        this.stats.servfail++;
        this.logger.log('warn', 'catalog read failed for DNS', { error: String(e) });
        return emptyAnswer(Rcode.SERVFAIL, [], false);
      },
    );
  }

  private reverse(
    q: ParsedQuery,
    form: Extract<QueryForm, { kind: 'ptr' }>,
    packet: Uint8Array,
    client: DnsClientInfo,
  ): MaybePromise<Uint8Array | undefined> {
    const o = client.transport === 'udp' ? this.assembleOpts.udp : this.assembleOpts.tcp;
    const ip = ipFromReverseLabels(form.labels, form.v6);
    if (!ip) return this.recurseOrNx(q, packet, client);
    const found = attempt(
      () => ptrLookup(this.ctx, ip),
      () => emptyAnswer(Rcode.SERVFAIL, [], false),
    );
    return andThen(found, (answer) => (answer ? assembleReply(q, answer, o) : this.recurseOrNx(q, packet, client)));
  }

  /** Unmatched reverse names: recurse when recursors exist, else NXDOMAIN with the SOA. */
  private recurseOrNx(q: ParsedQuery, packet: Uint8Array, client: DnsClientInfo): MaybePromise<Uint8Array | undefined> {
    if (this.canRecurse()) return this.forward(q, packet, client);
    const o = client.transport === 'udp' ? this.assembleOpts.udp : this.assembleOpts.tcp;
    return assembleReply(q, nxdomain(this.ctx, this.config.domain), o);
  }

  private canRecurse(): boolean {
    return this.config.recursors.length > 0 && this.opts.upstream !== undefined;
  }

  /** Names outside our domains: forward to recursors, or REFUSED (Consul has no handler for them). */
  private recurseOrRefuse(q: ParsedQuery, packet: Uint8Array, client: DnsClientInfo): MaybePromise<Uint8Array | undefined> {
    if (this.canRecurse()) return this.forward(q, packet, client);
    return headerOnly(q, Rcode.REFUSED, false, false, false);
  }

  /**
   * Tries recursors in order (or random order): a reply with NOERROR or NXDOMAIN is passed through;
   * other codes, timeouts and garbage move on to the next; when all fail, SERVFAIL.
   */
  private async forward(q: ParsedQuery, packet: Uint8Array, client: DnsClientInfo): Promise<Uint8Array> {
    this.stats.forwarded++;
    const upstream = this.opts.upstream!;
    const recursors = [...this.config.recursors];
    if (this.config.recursorStrategy === 'random') this.opts.random.shuffle(recursors);
    for (const recursor of recursors) {
      try {
        const reply = await upstream.exchange(recursor, packet, client.transport, this.config.recursorTimeoutMs);
        if (isUsableUpstreamReply(reply, q.id)) return reply;
      } catch (e) {
        this.logger.log('debug', 'recursor failed', { recursor, error: String(e) });
      }
    }
    this.stats.servfail++;
    return headerOnly(q, Rcode.SERVFAIL, false, false, true);
  }

  private soaFor(domain: string): Fragment {
    let soa = this.soas.get(domain);
    if (!soa) {
      const s = this.config.soa;
      soa = soaRecord(domain, s.minTtl, {
        mname: `ns.${domain}`,
        rname: `hostmaster.${domain}`,
        serial: Math.max(0, this.serial),
        refresh: s.refresh,
        retry: s.retry,
        expire: s.expire,
        minimum: s.minTtl,
      });
      this.soas.set(domain, soa);
    }
    return soa;
  }

  /** Keeps the SOA serial at the current Unix second, rewriting the shared SOA records in place. */
  private refreshSerial(): void {
    const now = (this.opts.wallSeconds?.() ?? 0) >>> 0;
    if (now === this.serial) return;
    this.serial = now;
    for (const soa of this.soas.values()) {
      const p = soaSerialOffset(soa);
      soa.bytes[p] = now >>> 24;
      soa.bytes[p + 1] = (now >>> 16) & 0xff;
      soa.bytes[p + 2] = (now >>> 8) & 0xff;
      soa.bytes[p + 3] = now & 0xff;
    }
  }
}

/** A reply worth passing through: right ID, QR set, and NOERROR or NXDOMAIN. */
function isUsableUpstreamReply(reply: Uint8Array, id: number): boolean {
  if (reply.length < 12) return false;
  if ((((reply[0] as number) << 8) | (reply[1] as number)) !== id) return false;
  const flags = ((reply[2] as number) << 8) | (reply[3] as number);
  if (!(flags & Flag.QR)) return false;
  const rcode = flags & 0xf;
  return rcode === Rcode.NOERROR || rcode === Rcode.NXDOMAIN;
}
