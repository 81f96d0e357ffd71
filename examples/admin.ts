/**
 * Administers a cluster through the typed admin API:
 *
 *   consul agent -dev &
 *   npx tsx examples/admin.ts              # or CONSUL_HTTP_ADDR=http://127.0.0.1:8500 CONSUL_HTTP_TOKEN=...
 *
 * Prints the cluster overview, writes a key with check-and-set, watches the KV prefix and the
 * leader for a moment, and lists the raft peers.
 */
import { createAdminClient } from 'consul-ts/admin';

const baseUrl = process.env.CONSUL_HTTP_ADDR ?? 'http://127.0.0.1:8500';
const admin = createAdminClient({ baseUrl: baseUrl.includes('://') ? baseUrl : `http://${baseUrl}`, token: process.env.CONSUL_HTTP_TOKEN });

const overview = await admin.cluster.overview.query();
console.log(`agent ${overview.agent.node} in ${overview.agent.datacenter}; datacenters ${overview.datacenters.join(', ')}; leader ${overview.leader || '(none)'}`);
for (const s of overview.servers) console.log(`  server ${s.node} ${s.address} ${s.suffrage}${s.leader ? ' leader' : ''} last index ${s.lastIndex ?? '?'}`);
for (const m of overview.members.lan) console.log(`  lan member ${m.name} ${m.address} ${m.role} ${m.status}`);

// Watch a prefix while writing to it.
const seen: string[] = [];
const watch = admin.events.kv.subscribe(
  { prefix: 'example/' },
  { onData: (e) => seen.push(e.type === 'snapshot' ? `snapshot of ${e.entries.length}` : e.type === 'put' ? `put ${e.entry.key}=${e.entry.value}` : `delete ${e.key}`) },
);
await new Promise((r) => setTimeout(r, 300));

await admin.kv.put.mutate({ key: 'example/greeting', value: 'hello' });
const entry = await admin.kv.get.query({ key: 'example/greeting' });
console.log(`kv example/greeting = ${entry?.value} (modify index ${entry?.modifyIndex})`);
await admin.kv.put.mutate({ key: 'example/greeting', value: 'hello again', cas: entry?.modifyIndex ?? 0 });
try {
  await admin.kv.put.mutate({ key: 'example/greeting', value: 'stale write', cas: entry?.modifyIndex ?? 0 });
} catch (e) {
  console.log(`stale CAS refused: ${(e as Error).message}`);
}
await admin.kv.delete.mutate({ key: 'example/', recurse: true });
await new Promise((r) => setTimeout(r, 500));
watch.unsubscribe();
console.log(`kv events: ${seen.join('; ')}`);

const raft = await admin.raft.configuration.query();
console.log(`raft configuration at index ${raft.index}: ${raft.servers.map((s) => `${s.node}${s.leader ? '*' : ''}`).join(', ')}`);
const autopilot = await admin.autopilot.state.query();
console.log(`autopilot healthy=${autopilot.Healthy} failure tolerance ${autopilot.FailureTolerance}`);
