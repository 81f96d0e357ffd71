/**
 * The lookups behind each query form (Consul's nodeLookup, serviceLookup, preparedQueryLookup,
 * addr and PTR handling, SOA/NS). Each turns catalog rows into a ResolvedAnswer of pre-encoded
 * records; fitting it to a transport happens later (assemble.ts).
 */
import { addressRecords } from './addresses.ts';
import { type AnswerEntry, emptyAnswer, type ResolvedAnswer } from './answer.ts';
import type { DnsCanRead, DnsCatalog, DnsNode, DnsReadOptions, DnsServiceEntry, MaybePromise } from './catalog.ts';
import { type DnsConfig, serviceTtlFor } from './config.ts';
import { Rcode, RRType } from './constants.ts';
import { parseGoDurationSeconds } from './duration.ts';
import { isHealthy, srvWeight } from './health.ts';
import { fromHex, parseIP, toHex, unmapIPv4 } from './ip.ts';
import { andThen } from './maybe.ts';
import { nodeMetaTexts } from './node-meta.ts';
import type { QueryForm } from './query-name.ts';
import { addressRecord, type Fragment, nameRecord, QUESTION_OWNER, srvRecord, txtRecord } from './records.ts';

/** What every lookup reads. */
export interface LookupContext {
  config: DnsConfig;
  catalog: DnsCatalog;
  canRead: DnsCanRead;
  read: DnsReadOptions;
  /** The SOA record for a domain (primary or alt), shared so its serial can be refreshed in place. */
  soa(domain: string): Fragment;
}

type Form<K extends QueryForm['kind']> = Extract<QueryForm, { kind: K }>;

/** NXDOMAIN with the SOA in the authority section. */
export function nxdomain(ctx: LookupContext, domain: string): ResolvedAnswer {
  return emptyAnswer(Rcode.NXDOMAIN, [ctx.soa(domain)]);
}

/** NOERROR with answers, or NODATA (NOERROR, SOA in authority) when there are none. */
function answered(ctx: LookupContext, domain: string, entries: AnswerEntry[], base: Partial<ResolvedAnswer> = {}): ResolvedAnswer {
  if (entries.length === 0) return emptyAnswer(Rcode.NOERROR, [ctx.soa(domain)]);
  return { ...emptyAnswer(Rcode.NOERROR, []), ...base, entries };
}

const isTxtOrAny = (qtype: number): boolean => qtype === RRType.TXT || qtype === RRType.ANY;

/** Node-meta TXT records (one per key). */
function metaRecords(owner: typeof QUESTION_OWNER | string, ttl: number, node: DnsNode): Fragment[] {
  return nodeMetaTexts(node.Meta).map((text) => txtRecord(owner, ttl, [text]));
}

/** Node lookups answer only these types; others get an empty NOERROR without a lookup, as in Consul. */
const NODE_QTYPES = new Set<number>([RRType.A, RRType.AAAA, RRType.ANY, RRType.TXT]);

/**
 * `<node>.node[.<dc>].<domain>`: A/AAAA or CNAME, and node-meta TXT (in the answer for TXT/ANY, in
 * Additional otherwise when enable_additional_node_meta_txt). An existing node with no record of
 * the asked type gives NOERROR with no SOA (Consul's handleNodeQuery returns no error there).
 */
export function nodeLookup(ctx: LookupContext, form: Form<'node'>, qtype: number): MaybePromise<ResolvedAnswer> {
  if (!NODE_QTYPES.has(qtype)) return emptyAnswer(Rcode.NOERROR, []);
  const dc = form.dc ?? ctx.catalog.datacenter;
  return andThen(ctx.catalog.node(form.node, dc, ctx.read), (node) => {
    if (!node || !ctx.canRead('node', node.Node)) return nxdomain(ctx, form.domain);
    const ttl = ctx.config.nodeTtl;
    const answers = qtype === RRType.TXT ? [] : addressRecords(QUESTION_OWNER, ttl, node.Address, qtype);
    let extra: Fragment[] = [];
    if (isTxtOrAny(qtype)) answers.push(...metaRecords(QUESTION_OWNER, ttl, node));
    else if (ctx.config.enableAdditionalNodeMetaTxt) extra = metaRecords(QUESTION_OWNER, ttl, node);
    if (answers.length === 0 && extra.length === 0) return emptyAnswer(Rcode.NOERROR, []);
    // One entry per answer record, so that the UDP answer limit and size trimming count records as
    // Consul's trimUDPResponse does (an ANY answer with many meta keys is cut like any other).
    const entries = answers.length > 1 ? answers.map((a) => ({ answers: [a], extra: [] })) : [{ answers, extra }];
    return { ...emptyAnswer(Rcode.NOERROR, []), entries };
  });
}

/** Instances DNS may return: readable by the ACL hook and healthy. */
function visible(ctx: LookupContext, entries: readonly DnsServiceEntry[], healthFilter: boolean): DnsServiceEntry[] {
  return entries.filter(
    (e) =>
      ctx.canRead('service', e.Service.Service) &&
      ctx.canRead('node', e.Node.Node) &&
      (!healthFilter || isHealthy(e, ctx.config.onlyPassing)),
  );
}

/** Builds answer entries for service instances: SRV with additional records, or addresses. */
function instanceEntries(
  ctx: LookupContext,
  instances: readonly DnsServiceEntry[],
  qtype: number,
  ttl: number,
  dc: string,
  domain: string,
): AnswerEntry[] {
  if (qtype === RRType.SRV) return srvEntries(ctx, instances, ttl, dc, domain);
  const seen = new Set<string>();
  const entries: AnswerEntry[] = [];
  for (const e of instances) {
    const address = e.Service.Address || e.Node.Address;
    if (seen.has(address)) continue;
    seen.add(address);
    const answers = safe(() => addressRecords(QUESTION_OWNER, ttl, address, qtype));
    if (answers.length > 0) entries.push({ answers, extra: [] });
  }
  return entries;
}

/** A catalog row that can't be spelled as DNS (e.g. a 70-byte node name) is skipped, as Consul does. */
function safe(f: () => Fragment[]): Fragment[] {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) return [];
    throw e;
  }
}

function srvEntries(ctx: LookupContext, instances: readonly DnsServiceEntry[], ttl: number, dc: string, domain: string): AnswerEntry[] {
  const perNode = new Map<string, { target: string; extra: Fragment[] }>();
  const entries: AnswerEntry[] = [];
  for (const e of instances) {
    try {
      const { target, extra } = srvTarget(ctx, e, ttl, dc, domain, perNode);
      entries.push({ answers: [srvRecord(QUESTION_OWNER, ttl, 1, srvWeight(e), e.Service.Port ?? 0, target)], extra });
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
    }
  }
  return entries;
}

/**
 * SRV target and its additional records: the node name when the service has no address of its own,
 * `<hex>.addr.<dc>.<domain>` for an explicit IP, or the service's hostname.
 */
function srvTarget(
  ctx: LookupContext,
  e: DnsServiceEntry,
  ttl: number,
  dc: string,
  domain: string,
  perNode: Map<string, { target: string; extra: Fragment[] }>,
): { target: string; extra: Fragment[] } {
  const svcAddr = e.Service.Address ?? '';
  const nodeName = `${e.Node.Node}.node.${dc}.${domain}`;
  const meta = (): Fragment[] => (ctx.config.enableAdditionalNodeMetaTxt ? metaRecords(nodeName, ttl, e.Node) : []);
  if (!svcAddr || svcAddr === e.Node.Address) {
    const key = `node:${e.Node.Node}`;
    let cached = perNode.get(key);
    if (!cached) {
      cached = { target: nodeName, extra: [...addressRecords(nodeName, ttl, e.Node.Address, RRType.ANY), ...meta()] };
      perNode.set(key, cached);
    }
    return cached;
  }
  const parsed = parseIP(svcAddr);
  if (!parsed) return { target: svcAddr.endsWith('.') ? svcAddr : `${svcAddr}.`, extra: meta() };
  const ip = unmapIPv4(parsed);
  const key = `addr:${e.Node.Node}:${svcAddr}`;
  let cached = perNode.get(key);
  if (!cached) {
    const target = `${toHex(ip.bytes)}.addr.${dc}.${domain}`;
    cached = { target, extra: [addressRecord(target, ttl, ip.bytes), ...meta()] };
    perNode.set(key, cached);
  }
  return cached;
}

/** `[<tag>.]<service>.service[.<dc>]` and RFC 2782 forms. */
export function serviceLookup(ctx: LookupContext, form: Form<'service'>, qtype: number): MaybePromise<ResolvedAnswer> {
  const dc = form.dc ?? ctx.catalog.datacenter;
  return andThen(ctx.catalog.serviceInstances(form.service, form.tag, dc, ctx.read), (rows) => {
    const instances = visible(ctx, rows, true);
    if (instances.length === 0) return nxdomain(ctx, form.domain);
    const ttl = serviceTtlFor(ctx.config, instances[0]!.Service.Service);
    const entries = instanceEntries(ctx, instances, qtype, ttl, dc, form.domain);
    return answered(ctx, form.domain, entries, { shuffle: true, limit: qtype === RRType.SRV ? 'srv' : 'address' });
  });
}

/** `<query>.query[.<dc>]`: executes a prepared query; its DNS.TTL overrides service_ttl. */
export function preparedQueryLookup(
  ctx: LookupContext,
  form: Form<'query'>,
  qtype: number,
  source: string | undefined,
): MaybePromise<ResolvedAnswer> {
  const dc = form.dc ?? ctx.catalog.datacenter;
  return andThen(ctx.catalog.preparedQuery(form.query, dc, source, ctx.read), (result) => {
    if (!result) return nxdomain(ctx, form.domain);
    const instances = visible(ctx, result.Nodes, false);
    if (instances.length === 0) return nxdomain(ctx, form.domain);
    const ttl = result.DNS.TTL ? parseGoDurationSeconds(result.DNS.TTL) : serviceTtlFor(ctx.config, result.Service);
    const entries = instanceEntries(ctx, instances, qtype, ttl, result.Datacenter || dc, form.domain);
    return answered(ctx, form.domain, entries, {
      limit: qtype === RRType.SRV ? 'srv' : 'address',
      ecsScopeFromSource: true,
    });
  });
}

/**
 * `<hex>.addr[.<dc>]`: 8 hex digits give an A, 32 give an AAAA. For another query type Consul puts
 * the record in Additional and answers NOERROR with no SOA.
 */
export function addrLookup(ctx: LookupContext, form: Form<'addr'>, qtype: number): ResolvedAnswer {
  const bytes = fromHex(form.hex);
  if (!bytes || (bytes.length !== 4 && bytes.length !== 16)) return nxdomain(ctx, form.domain);
  const record = addressRecord(QUESTION_OWNER, ctx.config.nodeTtl, bytes);
  const wanted = qtype === RRType.ANY || qtype === (bytes.length === 4 ? RRType.A : RRType.AAAA);
  const entry = wanted ? { answers: [record], extra: [] } : { answers: [], extra: [record] };
  return { ...emptyAnswer(Rcode.NOERROR, []), entries: [entry] };
}

/**
 * Reverse lookup: the first node with that Address, else the first service. Names always use the
 * primary domain; TTL 0; answered whatever the query type, as Consul's handlePtr does. Returns
 * undefined when nothing matched, so the caller can recurse or answer NXDOMAIN.
 */
export function ptrLookup(ctx: LookupContext, ip: string): MaybePromise<ResolvedAnswer | undefined> {
  return andThen(ctx.catalog.reverse(ip, ctx.read), (matches) => {
    for (const m of matches) {
      const name = m.kind === 'node' ? m.node.Node : m.service;
      if (!ctx.canRead(m.kind, name)) continue;
      const target =
        m.kind === 'node'
          ? `${m.node.Node}.node.${m.node.Datacenter}.${ctx.config.domain}`
          : `${m.service}.service.${m.datacenter}.${ctx.config.domain}`;
      const answers = safe(() => [nameRecord(QUESTION_OWNER, RRType.PTR, 0, target)]);
      if (answers.length > 0) return { ...emptyAnswer(Rcode.NOERROR, []), entries: [{ answers, extra: [] }] };
    }
    return undefined;
  });
}

/** NS entries for the local datacenter's servers (shuffled, capped at 3 when written). */
function nameserverEntries(ctx: LookupContext, servers: readonly DnsNode[], domain: string): AnswerEntry[] {
  const entries: AnswerEntry[] = [];
  const dc = ctx.catalog.datacenter;
  for (const server of servers) {
    if (!ctx.canRead('node', server.Node)) continue;
    const target = `${server.Node}.node.${server.Datacenter || dc}.${domain}`.toLowerCase();
    const ttl = ctx.config.nodeTtl;
    try {
      const glue = addressRecords(target, ttl, server.Address, RRType.ANY);
      entries.push({ answers: [nameRecord(domain, RRType.NS, ttl, target)], extra: glue });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  return entries;
}

/** NS question anywhere in the domain: up to 3 random servers with A glue. */
export function nsLookup(ctx: LookupContext, domain: string): MaybePromise<ResolvedAnswer> {
  return andThen(ctx.catalog.servers(ctx.catalog.datacenter, ctx.read), (servers) => ({
    ...emptyAnswer(Rcode.NOERROR, []),
    entries: nameserverEntries(ctx, servers, domain),
    shuffle: true,
    limit: 'ns' as const,
  }));
}

/** SOA question anywhere in the domain: the SOA, with up to 3 NS in authority and their glue. */
export function soaLookup(ctx: LookupContext, domain: string): MaybePromise<ResolvedAnswer> {
  return andThen(ctx.catalog.servers(ctx.catalog.datacenter, ctx.read), (servers) => {
    const ns = nameserverEntries(ctx, servers, domain).slice(0, 3);
    return {
      ...emptyAnswer(
        Rcode.NOERROR,
        ns.flatMap((e) => e.answers),
      ),
      entries: [{ answers: [ctx.soa(domain)], extra: ns.flatMap((e) => e.extra) }],
    };
  });
}
