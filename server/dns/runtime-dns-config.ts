/**
 * The agent's parsed configuration (RuntimeConfig.dns: durations in milliseconds) as the resolver's
 * DnsConfig (TTLs in whole seconds, timeouts in milliseconds).
 */
import type { DnsConfig } from '../../core/dns/config.ts';
import type { RuntimeConfig } from '../config/runtime-config.ts';

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** Maps `domain`, `alt_domain`, `recursors` and `dns_config` to the resolver's configuration. */
export function dnsConfigFromRuntime(dns: RuntimeConfig['dns']): Partial<DnsConfig> {
  return {
    domain: dns.domain || 'consul.',
    altDomain: dns.altDomain,
    recursors: dns.recursors,
    allowStale: dns.allowStale,
    maxStaleMs: dns.maxStale,
    nodeTtl: seconds(dns.nodeTTL),
    serviceTtl: Object.fromEntries(Object.entries(dns.serviceTTL).map(([k, v]) => [k, seconds(v)])),
    udpAnswerLimit: dns.udpAnswerLimit,
    aRecordLimit: dns.aRecordLimit,
    enableTruncate: dns.enableTruncate,
    onlyPassing: dns.onlyPassing,
    recursorTimeoutMs: dns.recursorTimeout,
    recursorStrategy: dns.recursorStrategy,
    enableAdditionalNodeMetaTxt: dns.nodeMetaTXT,
    soa: { refresh: dns.soa.refresh, retry: dns.soa.retry, expire: dns.soa.expire, minTtl: dns.soa.minttl },
  };
}
