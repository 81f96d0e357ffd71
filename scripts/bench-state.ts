/**
 * State store benchmarks (issue 5). Prints figures; asserts nothing about time.
 *
 *   npx tsx scripts/bench-state.ts [--kv=1000000]
 *
 * 1. 1,000,000 KV entries (32-byte keys, 100-byte values): heap and RSS, load rate, point-get
 *    latency, recurse over 1,000 keys, snapshot and restore time.
 * 2. 10,000 concurrent watches on distinct keys: cost of one write and wakeups per write.
 * 3. Catalog of 10,000 nodes and 50,000 service instances: health query for one service.
 * 4. FSM apply throughput for encoded KV commands.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { encodeCommand } from '../core/fsm/commands.ts';
import { ConsulFSM } from '../core/fsm/fsm.ts';
import { catalogServiceNodes, healthServiceNodes } from '../core/state/catalog-read.ts';
import { register } from '../core/state/catalog.ts';
import { kvGet, kvList, kvSet } from '../core/state/kv.ts';
import { readSnapshot, writeSnapshot } from '../core/state/snapshot.ts';
import { StateStore } from '../core/state/store.ts';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

const arg = (name: string, def: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
};
const KV_COUNT = arg('kv', 1_000_000);
const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const now = () => performance.now();
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(2)} µs`);
function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed + m.external + m.arrayBuffers, rss: m.rss };
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
/** Tiny deterministic LCG so runs are comparable. */
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed % n;
};
const u32 = (n: number) => new Uint8Array(new Uint32Array([n]).buffer);
const kvKey = (i: number) => `bench/g${String(Math.floor(i / 1000)).padStart(4, '0')}/key-${String(i).padStart(16, '0')}`;

function benchKV(): void {
  console.log(`\n== KV: ${KV_COUNT.toLocaleString()} entries, 32-byte keys, 100-byte values ==`);
  const before = memory();
  // Load through the FSM as raft would: each entry is one encoded command applied at its own index,
  // so keys and values are what decoding produces (flat strings, views of the command buffer).
  const fsm = new ConsulFSM();
  const s = fsm.state;
  let applyNs = 0n;
  for (let i = 0; i < KV_COUNT; i++) {
    const value = new Uint8Array(100);
    value[0] = i & 0xff;
    const cmd = encodeCommand({ type: 'kvs', op: 'set', entry: { Key: kvKey(i), Value: value } }, 1_700_000_000_000 + i);
    const a = process.hrtime.bigint();
    fsm.apply(i + 1, cmd);
    applyNs += process.hrtime.bigint() - a;
  }
  const loadMs = Number(applyNs) / 1e6;
  console.log(`load via FSM.apply (one raft entry per key): ${fmt(loadMs)} applying (${Math.round(KV_COUNT / (loadMs / 1000)).toLocaleString()} entries/s, encoding excluded)`);
  if (kvKey(0).length !== 32) throw new Error('key size');
  const after = memory();
  console.log(`memory: heap+external ${MB(after.heap - before.heap)} for the store (${Math.round((after.heap - before.heap) / KV_COUNT)} B/entry incl. 100 B value and 32 B key), RSS ${MB(after.rss)}`);

  const N = 1_000_000;
  let t: number;
  const keys = Array.from({ length: 1000 }, () => kvKey(rand(KV_COUNT)));
  t = now();
  let hits = 0;
  for (let i = 0; i < N; i++) if (kvGet(s, keys[i % 1000]!).value) hits++;
  const getMs = now() - t;
  const samples: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const k = kvKey(rand(KV_COUNT));
    const a = process.hrtime.bigint();
    kvGet(s, k);
    samples.push(Number(process.hrtime.bigint() - a) / 1e6);
  }
  console.log(`point get: mean ${fmt(getMs / N)} over ${N.toLocaleString()} gets (${hits === N ? 'all hit' : 'MISSES'}); random keys p50 ${fmt(percentile(samples, 50))}, p99 ${fmt(percentile(samples, 99))}`);

  const groups = Math.floor(KV_COUNT / 1000);
  const R = 300;
  let total = 0;
  const rs: number[] = [];
  for (let i = 0; i < R; i++) {
    const g = `bench/g${String(rand(groups)).padStart(4, '0')}/`;
    const a = now();
    total += kvList(s, g).value.length;
    rs.push(now() - a);
  }
  console.log(`recurse over 1,000 keys: mean ${fmt(rs.reduce((x, y) => x + y, 0) / R)}, p99 ${fmt(percentile(rs, 99))} (${total / R} entries each)`);

  t = now();
  const snap = writeSnapshot(s);
  const snapMs = now() - t;
  console.log(`snapshot: ${fmt(snapMs)}, ${MB(snap.length)}`);
  t = now();
  const restored = readSnapshot(snap);
  const target = new StateStore();
  target.replaceWith(restored);
  const restoreMs = now() - t;
  console.log(`restore: ${fmt(restoreMs)} (${target.t.kvs.size.toLocaleString()} entries)`);
}

function benchWatches(): void {
  console.log('\n== Watches: 10,000 waiters on distinct keys ==');
  const s = new StateStore();
  const W = 10_000;
  let idx = 0;
  s.write(++idx, () => {
    for (let i = 0; i < W; i++) kvSet(s, { Key: `watch/key-${i}` });
  });
  let woke = 0;
  const arm = (i: number) => s.watch(kvGet(s, `watch/key-${i}`).watch, () => woke++);
  const t = now();
  for (let i = 0; i < W; i++) arm(i);
  console.log(`register 10,000 watches: ${fmt(now() - t)}`);
  // 100 prefix watchers too, so a write also walks the prefix index.
  for (let i = 0; i < 100; i++) s.watch(kvList(s, `other/${i}/`).watch, () => woke++);
  const R = 10_000;
  const per: number[] = [];
  const wakes: number[] = [];
  for (let r = 0; r < R; r++) {
    const i = rand(W);
    const w0 = s.watches.stats.wakeups;
    const a = now();
    // A fresh value each time: identical sets are no-ops that wake nobody.
    s.write(++idx, () => kvSet(s, { Key: `watch/key-${i}`, Value: u32(idx) }));
    per.push(now() - a);
    wakes.push(s.watches.stats.wakeups - w0);
    arm(i);
  }
  const mean = per.reduce((x, y) => x + y, 0) / R;
  console.log(`one write to a watched key: mean ${fmt(mean)}, p50 ${fmt(percentile(per, 50))}, p99 ${fmt(percentile(per, 99))}; wakeups per write min ${Math.min(...wakes)} max ${Math.max(...wakes)} (active waiters ${s.watches.stats.active.toLocaleString()})`);
  const u: number[] = [];
  for (let r = 0; r < R; r++) {
    const w0 = s.watches.stats.wakeups;
    const a = now();
    s.write(++idx, () => kvSet(s, { Key: `unwatched/${r}` }));
    u.push(now() - a);
    if (s.watches.stats.wakeups !== w0) throw new Error('unrelated write woke a waiter');
  }
  console.log(`one write to an unwatched key: mean ${fmt(u.reduce((x, y) => x + y, 0) / R)}, p50 ${fmt(percentile(u, 50))}, wakeups 0`);
  void woke;
}

function benchCatalog(): void {
  console.log('\n== Catalog: 10,000 nodes, 50,000 service instances ==');
  const s = new StateStore();
  const NODES = 10_000;
  let idx = 0;
  const t = now();
  for (let n = 0; n < NODES; n++) {
    const Node = `node-${String(n).padStart(5, '0')}`;
    s.write(++idx, () =>
      register(s, { Node, Address: `10.${n >> 8}.${n & 255}.1`, NodeMeta: { rack: `r${n % 20}` }, Check: { CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing' } }, 0),
    );
    // Every node runs "web" plus four of 1,000 other services: 50,000 instances in all.
    const services = ['web', ...Array.from({ length: 4 }, (_, k) => `svc-${(n * 4 + k) % 1000}`)];
    for (const name of services) {
      s.write(++idx, () =>
        register(
          s,
          {
            Node,
            Address: '',
            SkipNodeUpdate: true,
            Service: { Service: name, Tags: ['v1', `zone-${n % 3}`], Port: 8080, Meta: { version: '1' } },
            Check: { CheckID: `service:${name}`, Name: `Service '${name}' check`, ServiceID: name, Status: n % 50 === 0 ? 'critical' : 'passing' },
          },
          0,
        ),
      );
    }
  }
  console.log(`load via register: ${fmt(now() - t)} (${s.t.nodes.size.toLocaleString()} nodes, ${s.t.services.size.toLocaleString()} instances, ${s.t.checks.size.toLocaleString()} checks)`);
  const time = (label: string, R: number, f: () => number) => {
    const a = now();
    let n = 0;
    for (let i = 0; i < R; i++) n = f();
    console.log(`${label}: ${fmt((now() - a) / R)} per query (${n.toLocaleString()} entries)`);
  };
  time('health service (40 instances)', 2000, () => healthServiceNodes(s, `svc-${rand(1000)}`).value.length);
  time('health service ?passing (40 instances)', 2000, () => healthServiceNodes(s, `svc-${rand(1000)}`, { passing: true }).value.length);
  time('health service (10,000 instances, "web")', 20, () => healthServiceNodes(s, 'web').value.length);
  time('health service ?passing&tag (10,000 instances, "web")', 20, () => healthServiceNodes(s, 'web', { passing: true, tags: ['zone-1'] }).value.length);
  time('catalog service (40 instances)', 2000, () => catalogServiceNodes(s, `svc-${rand(1000)}`).value.length);
}

function benchApply(): void {
  console.log('\n== FSM apply (encoded KV set commands) ==');
  const fsm = new ConsulFSM();
  const N = 100_000;
  const cmds = Array.from({ length: N }, (_, i) =>
    encodeCommand({ type: 'kvs', op: 'set', entry: { Key: kvKey(i), Value: new Uint8Array(100), Flags: 3304740253564472344n } }, 1_700_000_000_000 + i),
  );
  const a = now();
  for (let i = 0; i < N; i++) fsm.apply(i + 1, cmds[i]!);
  const ms = now() - a;
  console.log(`apply: ${fmt(ms / N)} per command, ${Math.round(N / (ms / 1000)).toLocaleString()} commands/s`);
}

const start = now();
benchKV();
benchWatches();
benchCatalog();
benchApply();
console.log(`\ntotal bench time ${fmt(now() - start)}`);
