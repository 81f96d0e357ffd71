import { describe, expect, it } from 'vitest';
import { fixtureCatalog } from '../../core/dns/fixture.ts';
import { nullLogger } from '../../core/ports/logger.ts';
import { parseAgentConfig } from '../config/load.ts';
import { startDns } from './start-dns.ts';
import { dig } from './test-helpers.ts';

describe('startDns', () => {
  it('serves the agent config\'s DNS settings and applies reloads', async () => {
    const parsed = parseAgentConfig(['-dev', '-client', '127.0.0.1', '-domain', 'example'], {
      findPrivateIPv4: () => ['10.0.0.5'],
      hostname: () => 'h',
    });
    if (!parsed.ok) throw new Error(parsed.stderr);
    expect(parsed.config.dnsAddrs).toEqual([{ host: '127.0.0.1', port: 8600 }]);
    // Port 0 instead of 8600 so that tests never collide with a running agent.
    const dns = await startDns({ dns: parsed.config.dns, dnsAddrs: [{ host: '127.0.0.1', port: 0 }] }, fixtureCatalog(), nullLogger);
    try {
      const port = dns.servers[0]!.port;
      expect(await dig(port, 'foo.node.example', 'A', '+short')).toBe('10.0.0.1\n');
      dns.reload({ ...parsed.config.dns, nodeTTL: 42_000 });
      expect(await dig(port, 'foo.node.example', 'A', '+noall', '+answer')).toMatch(/\s42\s+IN\s+A\s+10\.0\.0\.1/);
    } finally {
      await dns.close();
    }
  });
});
