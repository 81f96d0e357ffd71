import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDnsConfig, serviceTtlFor } from '../../core/dns/config.ts';
import { parseAgentConfig } from '../config/load.ts';
import { dnsConfigFromRuntime } from './runtime-dns-config.ts';

const root = mkdtempSync(join(tmpdir(), 'dns-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('dnsConfigFromRuntime', () => {
  it('turns an agent config file into the resolver configuration', () => {
    const file = join(root, 'dns.json');
    writeFileSync(
      file,
      JSON.stringify({
        domain: 'Example.',
        alt_domain: 'alt.test',
        recursors: ['127.0.0.1:5353'],
        dns_config: {
          node_ttl: '30s',
          service_ttl: { '*': '5s', web: '1m' },
          only_passing: true,
          enable_truncate: true,
          udp_answer_limit: 5,
          recursor_timeout: '750ms',
          soa: { min_ttl: 60 },
        },
      }),
    );
    const parsed = parseAgentConfig(['-data-dir', root, '-config-file', file], { findPrivateIPv4: () => ['10.0.0.5'], hostname: () => 'h' });
    if (!parsed.ok) throw new Error(parsed.stderr);
    const c = resolveDnsConfig(dnsConfigFromRuntime(parsed.config.dns));
    expect(c).toMatchObject({
      domain: 'example.',
      altDomain: 'alt.test.',
      recursors: ['127.0.0.1:5353'],
      nodeTtl: 30,
      onlyPassing: true,
      enableTruncate: true,
      udpAnswerLimit: 5,
      recursorTimeoutMs: 750,
      allowStale: true,
      maxStaleMs: 87600 * 3_600_000,
      soa: { refresh: 3600, retry: 600, expire: 86400, minTtl: 60 },
    });
    expect([serviceTtlFor(c, 'web'), serviceTtlFor(c, 'db')]).toEqual([60, 5]);
  });
});
