/**
 * DNS configuration: Consul's `domain`, `alt_domain`, `recursors` and `dns_config` keys with their
 * defaults (agent/config/default.go). Durations are numbers here (TTLs in seconds, timeouts in
 * milliseconds); the agent's config loader turns Go duration strings into these.
 */
import { fqdn } from './name.ts';

/** SOA timers (`dns_config.soa`), in seconds. */
export interface SoaConfig {
  refresh: number;
  retry: number;
  expire: number;
  minTtl: number;
}

/** The resolver's configuration. See `DEFAULT_DNS_CONFIG` for defaults. */
export interface DnsConfig {
  /** `domain`, fully qualified and lower case (default `consul.`). */
  domain: string;
  /** `alt_domain`; answers echo whichever domain the question used. Empty when unset. */
  altDomain: string;
  /** `dns_config.node_ttl` (seconds) for node, addr and NS records. */
  nodeTtl: number;
  /** `dns_config.service_ttl`: exact service names or `prefix*` wildcards (`*` = default), seconds. */
  serviceTtl: Readonly<Record<string, number>>;
  /** `dns_config.only_passing`: drop `warning` instances too. */
  onlyPassing: boolean;
  /** `dns_config.udp_answer_limit` (default 3), capped at 8 for non-EDNS UDP as Consul does. */
  udpAnswerLimit: number;
  /** `dns_config.a_record_limit` (0 = no limit) for A/AAAA answers to service lookups. */
  aRecordLimit: number;
  /** `dns_config.enable_truncate`: set TC when a UDP answer was trimmed. */
  enableTruncate: boolean;
  /** `dns_config.allow_stale` / `max_stale` (ms), passed to every catalog read. */
  allowStale: boolean;
  maxStaleMs: number;
  /** `recursors`: `ip` or `ip:port` (`[v6]:port`); port 53 when missing. */
  recursors: readonly string[];
  /** `dns_config.recursor_strategy`. */
  recursorStrategy: 'sequential' | 'random';
  /** `dns_config.recursor_timeout` (ms, default 2 s). */
  recursorTimeoutMs: number;
  /** `dns_config.enable_additional_node_meta_txt` (default true). */
  enableAdditionalNodeMetaTxt: boolean;
  /** `dns_config.soa`. */
  soa: SoaConfig;
}

/** Consul's defaults. */
export const DEFAULT_DNS_CONFIG: Readonly<DnsConfig> = Object.freeze({
  domain: 'consul.',
  altDomain: '',
  nodeTtl: 0,
  serviceTtl: {},
  onlyPassing: false,
  udpAnswerLimit: 3,
  aRecordLimit: 0,
  enableTruncate: false,
  allowStale: true,
  maxStaleMs: 87600 * 3600 * 1000,
  recursors: [],
  recursorStrategy: 'sequential',
  recursorTimeoutMs: 2000,
  enableAdditionalNodeMetaTxt: true,
  soa: Object.freeze({ refresh: 3600, retry: 600, expire: 86400, minTtl: 0 }),
});

/**
 * Fills defaults and normalises: domains fully qualified and lower case, limits non-negative.
 * Throws RangeError with a clear message for values Consul would also reject.
 */
export function resolveDnsConfig(partial: Partial<DnsConfig> = {}): DnsConfig {
  const c: DnsConfig = { ...DEFAULT_DNS_CONFIG, ...partial, soa: { ...DEFAULT_DNS_CONFIG.soa, ...partial.soa } };
  c.domain = fqdn(c.domain.toLowerCase());
  c.altDomain = c.altDomain ? fqdn(c.altDomain.toLowerCase()) : '';
  if (c.altDomain && c.altDomain === c.domain) throw new RangeError('alt_domain must differ from domain');
  for (const [k, v] of [
    ['node_ttl', c.nodeTtl],
    ['udp_answer_limit', c.udpAnswerLimit],
    ['a_record_limit', c.aRecordLimit],
    ['recursor_timeout', c.recursorTimeoutMs],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`dns_config.${k} must be a non-negative number, got ${v}`);
  }
  for (const [k, v] of Object.entries(c.serviceTtl)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`dns_config.service_ttl["${k}"] must be non-negative`);
  }
  return c;
}

/**
 * The TTL for a service name: an exact key wins, then the longest `prefix*` wildcard, then `*`,
 * else 0 (Consul's getServiceTTL).
 */
export function serviceTtlFor(config: DnsConfig, service: string): number {
  const table = config.serviceTtl;
  const exact = table[service];
  if (exact !== undefined) return exact;
  let best = -1;
  let ttl = 0;
  for (const [key, value] of Object.entries(table)) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (prefix.length > best && service.startsWith(prefix)) {
      best = prefix.length;
      ttl = value;
    }
  }
  return ttl;
}
