/**
 * Serves the DNS fixture catalog (core/dns/fixture.ts) on 127.0.0.1 for manual checks with `dig`
 * and for the DNS benchmark: `tsx scripts/dns-fixture-server.ts [port]` prints `ready <port>`.
 */
import { randomBytes } from 'node:crypto';
import { fixtureCatalog } from '../core/dns/fixture.ts';
import { DnsResolver } from '../core/dns/resolver.ts';
import { Prng } from '../core/lib/prng.ts';
import { DnsServer } from '../server/dns/dns-server.ts';

const port = Number(process.argv[2] ?? 8600);
const resolver = new DnsResolver({
  catalog: fixtureCatalog(),
  random: new Prng(randomBytes(4).readUInt32LE(0)),
  wallSeconds: () => Math.floor(Date.now() / 1000),
});
const server = new DnsServer({ resolver, port, onError: (e) => console.error(`dns: ${e.message}`) });
const bound = await server.start();
console.log(`ready ${bound}`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
