/** The DNS interface: resolver, catalog read port, configuration and wire codec. */
export { DnsResolver } from './resolver.ts';
export type { DnsClientInfo, DnsResolverOptions, DnsStats, DnsUpstream } from './resolver.ts';
export type {
  DnsCanRead,
  DnsCatalog,
  DnsCheck,
  DnsNode,
  DnsNodeService,
  DnsPreparedQueryResult,
  DnsReadOptions,
  DnsReverseMatch,
  DnsServiceEntry,
  MaybePromise,
} from './catalog.ts';
export { NoPathToDatacenter } from './catalog.ts';
export { DEFAULT_DNS_CONFIG, resolveDnsConfig, serviceTtlFor } from './config.ts';
export type { DnsConfig, SoaConfig } from './config.ts';
export type { DnsTransport } from './assemble.ts';
export { Flag, Rcode, RRClass, RRType, typeName } from './constants.ts';
export { decodeMessage, encodeQuery } from './message.ts';
export type { DnsMessage, DnsRecord, RecordData } from './message.ts';
export { parseQuery } from './query.ts';
export type { DnsQuestion, ParsedQuery } from './query.ts';
export { MemoryDnsCatalog } from './memory-catalog.ts';
export { StateDnsCatalog } from './state-catalog.ts';
export type { StateDnsCatalogOptions } from './state-catalog.ts';
export type { MemoryPreparedQuery } from './memory-catalog.ts';
