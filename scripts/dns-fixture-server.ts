/**
 * Serves the DNS fixture catalog (core/dns/fixture.ts) on 127.0.0.1 for manual checks with `dig`
 * and for the DNS benchmark: `tsx scripts/dns-fixture-server.ts [port] [udp-workers]` prints
 * `ready <port>` once the server (and its DNS worker processes, if any) answer.
 */
import { randomBytes } from 'node:crypto';
import { fixtureCatalog } from '../core/dns/fixture.ts';
import { DnsResolver } from '../core/dns/resolver.ts';
import { Prng } from '../core/lib/prng.ts';
import { DnsServer } from '../server/dns/dns-server.ts';
import { DnsWorkerPool } from '../server/dns/workers/worker-pool.ts';

const port = Number(process.argv[2] ?? 8600);
const workers = Number(process.argv[3] ?? 0);
const catalog = fixtureCatalog();
const resolver = new DnsResolver({
  catalog,
  random: new Prng(randomBytes(4).readUInt32LE(0)),
  wallSeconds: () => Math.floor(Date.now() / 1000),
});
const server = new DnsServer({ resolver, port, onError: (e) => console.error(`dns: ${e.message}`) });
const bound = await server.start();
const pool = workers > 0 ? new DnsWorkerPool({ count: workers, catalog, config: {} }) : undefined;
await pool?.start([server.udpSocket!]);
console.log(`ready ${bound}`);
const stop = () => void Promise.all([pool?.close(), server.close()]).then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
