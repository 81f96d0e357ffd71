import { expect, type Page, type TestInfo, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { KvHistory } from './support/partition/kv-history.ts';
import { isolate, type PartitionNetwork } from './support/partition/network.ts';
import { createPartitionNetwork } from './support/partition/create-network.ts';
import {
  consistentRead,
  secs,
  serverKv,
  staleRead,
  Timeline,
  uniqueWriter,
  waitAgreedLeader,
  waitConverged,
  waitNewLeader,
} from './support/partition/observe.ts';
import { RealCluster, sleep, until } from './support/partition/real-cluster.ts';
import { ensureBuild } from './support/ui-server.ts';

/**
 * Partitions of a real datacenter: three `consul agent -server` processes and two clients, each in
 * its own network namespace (or behind a fault-injecting proxy where namespaces are not allowed),
 * while clients write and read through the HTTP API. Each test records the client history and
 * checks it with the Raft simulation's linearizability checker, checks that no acknowledged write
 * is lost and that every server converges, and writes a report (what was cut, when leadership
 * changed, convergence and failover times) with screenshots. A failing test attaches every agent's
 * log.
 *
 * The tests share one cluster and run in order; each starts from a healthy cluster with an agreed
 * leader.
 */

test.describe.configure({ mode: 'serial' });

let net: PartitionNetwork;
let cluster: RealCluster;
/** The running test's report and history, published by afterEach whether the test passed or not. */
let current: { tl: Timeline; history?: KvHistory } | undefined;
const ROOT = join(import.meta.dirname, '..');

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const t0 = Date.now();
  ensureBuild();
  // Agents start from the CLI prebuild (tsx would make five agents start slowly on 2 cores).
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build-cli failed: ${built.stderr}`);
  net = await createPartitionNetwork(5);
  // c4 serves the dashboard (only one agent loads Next: it is heavy on a shared machine).
  cluster = new RealCluster(net, (name) => (name === 'c4' ? ['-ui'] : []));
  await cluster.start();
  await waitAgreedLeader(cluster);
  await until('five members seen by c4', async () => {
    const res = await fetch(`${cluster.agent('c4').http}/v1/agent/members`);
    const members = (await res.json()) as Array<{ Status: number }>;
    return members.length === 5 && members.every((m) => m.Status === 1) ? true : undefined;
  });
  await waitAllPassing();
  console.log(`cluster of 5 agents ready on ${net.kind} in ${secs(Date.now() - t0)}`);
});

/** Waits until the catalog has a passing serfHealth for all five nodes. */
function waitAllPassing(ms = 60_000): Promise<true> {
  return until(
    'serfHealth passing on all five nodes',
    async () => {
      const res = await fetch(`${cluster.agent('c4').http}/v1/health/state/passing`);
      const checks = (await res.json()) as Array<{ CheckID: string }>;
      return checks.filter((c) => c.CheckID === 'serfHealth').length === 5 ? true : undefined;
    },
    ms,
  );
}

test.afterAll(async () => {
  await cluster?.stop();
  await net?.destroy();
});

test.afterEach(async ({ page }, testInfo) => {
  // PARTITION_KEEP_LOGS=1 keeps the agents' logs of passing tests too.
  if ((testInfo.status !== testInfo.expectedStatus || process.env.PARTITION_KEEP_LOGS) && cluster) {
    for (const { name, body } of cluster.logs()) {
      writeFileSync(testInfo.outputPath(name), body);
      await testInfo.attach(name, { path: testInfo.outputPath(name), contentType: 'text/plain' });
    }
    await page.screenshot({ path: testInfo.outputPath('failure.png'), fullPage: true }).catch(() => {});
  }
  if (current) await publish(testInfo, current.tl, current.history ?? new KvHistory());
  current = undefined;
  // Every test leaves the network whole, every process running and autopilot at its defaults.
  await net?.heal();
  for (const a of cluster?.agents.values() ?? []) a.proc.kill('SIGCONT');
  if (cluster) {
    const restore = async () => {
      await setCleanupDeadServers(true);
      return true;
    };
    await until('autopilot defaults restored', restore, 30_000).catch(() => {});
  }
});

/** Writes the report and history as files in the test's output dir and attaches them. */
async function publish(testInfo: TestInfo, tl: Timeline, history: KvHistory): Promise<void> {
  tl.figure('network', net.description);
  if (testInfo.status !== testInfo.expectedStatus) tl.figure('result', `FAILED: ${testInfo.error?.message?.split('\n')[0] ?? ''}`);
  const counts = history.counts();
  tl.figure('client history', `${counts.invoke} invocations: ${counts.ok} ok, ${counts.fail} fail, ${counts.info} info`);
  const report = tl.render();
  writeFileSync(testInfo.outputPath('report.md'), report);
  writeFileSync(testInfo.outputPath('history.json'), JSON.stringify(history.events, null, 1));
  await testInfo.attach('report.md', { path: testInfo.outputPath('report.md'), contentType: 'text/markdown' });
  await testInfo.attach('history.json', { path: testInfo.outputPath('history.json'), contentType: 'application/json' });
  console.log(report);
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The running workload of one test: register clients through both clients plus a unique-key writer. */
function startWorkload(prefix: string): { history: KvHistory; stop: () => Promise<void> } {
  const history = new KvHistory();
  const c4 = cluster.agent('c4');
  const c5 = cluster.agent('c5');
  history.startRegisters({ targets: [c5, c4, c5], keys: [0, 1, 2, 3].map((i) => `${prefix}/reg${i}`), clients: 3, pauseMs: 100, timeoutMs: 4000 });
  const state = { stop: false };
  const writer = uniqueWriter(history, 10, c5, `${prefix}/ack`, state);
  return {
    history,
    stop: async () => {
      state.stop = true;
      await Promise.all([writer, history.stop()]);
    },
  };
}

/**
 * Runs `p` in the background; the returned function awaits it. A rejection is held until then
 * (not reported as unhandled while the test awaits something else).
 */
function background<T>(p: Promise<T>): () => Promise<T> {
  const settled = p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const r = await settled;
    if (!r.ok) throw r.error;
    return r.value;
  };
}

/** The catalog's serfHealth status of `node`, as c4 serves it. */
async function serfHealth(node: string): Promise<string | undefined> {
  const res = await fetch(`${cluster.agent('c4').http}/v1/health/node/${node}`, { signal: AbortSignal.timeout(5000) });
  const checks = (await res.json()) as Array<{ CheckID: string; Status: string }>;
  return checks.find((c) => c.CheckID === 'serfHealth')?.Status;
}

/**
 * Sets autopilot's CleanupDeadServers (PUT /v1/operator/autopilot/configuration, the whole
 * configuration as Consul expects). With it on (the default), the leader force-leaves a server
 * that stays failed and the catalog drops its node, so the dashboard would show the cut server
 * critical only for a moment before it disappears.
 */
async function setCleanupDeadServers(on: boolean): Promise<void> {
  const url = `${cluster.agent('c4').http}/v1/operator/autopilot/configuration`;
  const conf = (await (await fetch(url)).json()) as Record<string, unknown>;
  const res = await fetch(url, { method: 'PUT', body: JSON.stringify({ ...conf, CleanupDeadServers: on }) });
  if (!res.ok) throw new Error(`autopilot configuration: ${res.status} ${await res.text()}`);
}

/** Time of the first acknowledged write invoked after `t` (history clock), or undefined. */
function firstAckAfter(history: KvHistory, t: number): number | undefined {
  const invokes = new Map<number, number>();
  for (const e of history.events) {
    if (e.type === 'invoke') invokes.set(e.process, e.time);
    else if (e.type === 'ok' && e.f === 'write' && (invokes.get(e.process) ?? -1) >= t) return e.time;
  }
  return undefined;
}

/** After healing: a marker write on the majority, then every server has it and agrees on the leader. */
async function measureConvergence(tl: Timeline, prefix: string, tHeal: number): Promise<void> {
  const marker = `${prefix}/healed`;
  await until('the post-heal marker write', async () => {
    const res = await fetch(`${cluster.agent('c5').http}/v1/kv/${marker}`, { method: 'PUT', body: 'yes', signal: AbortSignal.timeout(4000) });
    return (await res.text()).trim() === 'true' ? true : undefined;
  });
  await until(
    'every server to hold the marker and agree on the leader',
    async () => {
      const holds = await Promise.all(cluster.servers.map(async (s) => (await serverKv(cluster, s.name, marker)).length === 1));
      if (!holds.every(Boolean)) return undefined;
      return (await waitAgreedLeader(cluster, 1)) ? true : undefined;
    },
    // Long: after a silent cut, a stalled Raft stream resumes only at the kernel's next TCP
    // retransmission (exponential back-off), up to about as long again as the cut lasted.
    120_000,
    100,
  );
  const ms = tl.now() - tHeal;
  tl.mark('every server holds the post-heal write and agrees on the leader');
  tl.figure('convergence after heal', secs(ms));
}

/** Checks the whole history, the acknowledged writes and the servers' identical contents. */
async function finalChecks(tl: Timeline, prefix: string, history: KvHistory): Promise<void> {
  const t = tl.now();
  const contents = await waitConverged(cluster, `${prefix}/`, history);
  tl.figure('identical KV on every server after', secs(tl.now() - t));
  tl.figure('keys on every server', contents.length);
  tl.figure('acknowledged writes (all present)', history.acknowledgedWrites().length);
  const lin = history.check();
  tl.figure('linearizability', lin.ok ? `linearizable (${history.toRegisterOps().length} register ops${lin.inconclusive.length ? `, inconclusive keys ${lin.inconclusive.join(',')}` : ''})` : `NOT linearizable: ${lin.badKeys.join(',')}`);
  expect(lin.badKeys, 'register history is linearizable').toEqual([]);
  expect(lin.inconclusive, 'checker reached a verdict on every key').toEqual([]);
}

/**
 * How the old leader answers while cut off: writes refused, consistent reads fail, stale reads
 * marked (no known leader, or a last contact that keeps growing).
 *
 * `hearsNewLeader` (one-way cuts only): a server that can still receive but not send may follow
 * the new leader's heartbeats over a connection that was already open (the proxy keeps such a
 * stream's inbound half flowing; in namespaces TCP cannot survive a one-way cut). Its stale reads
 * are then fresh, correctly, and the check is that it names the new leader instead.
 */
async function checkMinority(tl: Timeline, oldLeader: string, prefix: string, hearsNewLeader?: string): Promise<void> {
  const staleOrFollowing = await until(
    `${oldLeader}'s stale read to say it has no leader or lost contact${hearsNewLeader ? `, or ${oldLeader} to follow ${hearsNewLeader}` : ''}`,
    async () => {
      const a = await staleRead(cluster, oldLeader, `${prefix}/ack/0000`);
      if (a.knownLeader === 'false' || a.lastContact > 2000) return { stale: a };
      if (hearsNewLeader && (await cluster.leaderSeenBy(oldLeader)) === hearsNewLeader) return { following: a };
      return undefined;
    },
    30_000,
    250,
  );
  if (staleOrFollowing.stale) {
    const stale = staleOrFollowing.stale;
    await sleep(500);
    const later = await staleRead(cluster, oldLeader, `${prefix}/ack/0000`);
    expect(later.knownLeader === 'false' || later.lastContact > stale.lastContact).toBe(true);
    tl.mark(`${oldLeader} ?stale read: ${stale.status}, X-Consul-KnownLeader ${stale.knownLeader}, X-Consul-LastContact ${stale.lastContact} then ${later.lastContact} ms`);
  } else {
    const a = staleOrFollowing.following!;
    tl.mark(`${oldLeader} still hears ${hearsNewLeader} (one-way): ?stale read ${a.status}, X-Consul-KnownLeader ${a.knownLeader}, X-Consul-LastContact ${a.lastContact} ms`);
  }
  // Both wait out the RPC hold timeout on a server without a leader, so they run side by side.
  const [write, read] = await Promise.all([
    fetch(`${cluster.agent(oldLeader).http}/v1/kv/${prefix}/minority`, { method: 'PUT', body: 'x', signal: AbortSignal.timeout(10_000) }).then(
      async (r) => `${r.status} ${(await r.text()).trim()}`,
      (e: Error) => `no answer (${e.message})`,
    ),
    consistentRead(cluster, oldLeader, `${prefix}/ack/0000`),
  ]);
  expect(write).not.toBe('200 true');
  tl.mark(`${oldLeader} refuses a write: ${write}`);
  expect(read.status).not.toBe(200);
  tl.mark(`${oldLeader} ?consistent read fails: ${read.status || 'no answer'} ${read.body}`);
}

test('cut the leader off from every other agent: the majority elects, the minority refuses, the UI shows it, all heal', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  const tl = new Timeline('Partition: leader isolated (both directions) from the other servers and the clients');
  current = { tl };
  const prefix = 'p-iso';
  const oldLeader = await waitAgreedLeader(cluster);
  tl.mark(`leader is ${oldLeader}`);
  const others = cluster.servers.filter((s) => s.name !== oldLeader).map((s) => s.name);
  await setCleanupDeadServers(false);
  tl.mark('autopilot CleanupDeadServers off, so that the cut server stays in the catalog (as critical) while cut');

  await page.goto(`${cluster.agent('c4').http}/ui/dc1/nodes`);
  await expect(page.locator(`[data-node="${oldLeader}"]`).getByText('★ Leader')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator(`[data-node="${oldLeader}"]`)).toHaveAttribute('data-status', 'passing');
  await shot(page, testInfo, '1-before-partition');

  const w = startWorkload(prefix);
  current.history = w.history;
  await sleep(1500);
  const leaderN = cluster.agent(oldLeader).n;
  // Times count from the moment the last link is cut: until then the old leader can still commit.
  const tStart = tl.now();
  await isolate(net, leaderN, [1, 2, 3, 4, 5].filter((n) => n !== leaderN));
  const hCut = w.history.now();
  const tCut = tl.mark(`cut ${oldLeader} off from ${[...cluster.agents.keys()].filter((n) => n !== oldLeader).join(', ')} (both directions; ${net.cuts().length} links cut in ${tl.now() - tStart} ms)`);

  // Watched from the moment of the cut, alongside everything else: the catalog marking the cut
  // node failed, and the dashboard (served by c4, on the majority side) showing it live.
  const row = page.locator(`[data-node="${oldLeader}"]`);
  const catalogCritical = background(
    until(`the catalog to show ${oldLeader}'s serfHealth critical`, async () => ((await serfHealth(oldLeader)) === 'critical' ? true : undefined), 60_000, 100).then(() => tl.mark(`API: ${oldLeader} serfHealth critical`)),
  );
  const uiCritical = background(
    (async () => {
      await expect(row).toHaveAttribute('data-status', 'critical', { timeout: 75_000 });
      return tl.mark(`UI (live, no reload): ${oldLeader} shows critical`);
    })(),
  );

  const newLeader = await waitNewLeader(cluster, oldLeader, 'c5');
  expect(others).toContain(newLeader);
  tl.figure('new leader elected after', secs(tl.mark(`c5 reports new leader ${newLeader}`) - tCut));
  await until('a write acknowledged by the majority', async () => firstAckAfter(w.history, hCut), 30_000);
  const firstAck = firstAckAfter(w.history, hCut)!;
  tl.figure('failover (cut to first acknowledged write invoked after it)', secs(firstAck - hCut));
  tl.mark('majority accepts writes again');

  await checkMinority(tl, oldLeader, prefix);

  tl.figure('catalog marks the cut node failed (serfHealth critical) after', secs((await catalogCritical()) - tCut));
  tl.figure('UI shows the cut node critical after', secs((await uiCritical()) - tCut));
  await page.reload();
  await expect(page.locator(`[data-node="${newLeader}"]`).getByText('★ Leader')).toBeVisible({ timeout: 15_000 });
  await expect(row.getByText('★ Leader')).toHaveCount(0);
  await shot(page, testInfo, '2-partitioned-nodes');
  await page.goto(`${cluster.agent('c4').http}/ui/dc1/nodes/${oldLeader}`);
  await expect(page.locator('[data-check-id="serfHealth"]')).toHaveAttribute('data-status', 'critical', { timeout: 15_000 });
  await shot(page, testInfo, '3-partitioned-node-serfhealth');
  await page.goto(`${cluster.agent('c4').http}/ui/dc1/nodes`);
  await expect(row).toHaveAttribute('data-status', 'critical');

  const tHeal = tl.mark('heal');
  await net.heal();
  tl.figure('cut lasted', secs(tHeal - tCut));
  const uiPassing = background(
    (async () => {
      await expect(row).toHaveAttribute('data-status', 'passing', { timeout: 90_000 });
      return tl.mark(`UI (live): ${oldLeader} passing again`);
    })(),
  );
  await measureConvergence(tl, prefix, tHeal);
  await w.stop();
  await finalChecks(tl, prefix, w.history);
  tl.figure('UI shows every node passing again after heal', secs((await uiPassing()) - tHeal));
  await setCleanupDeadServers(true);
  await expect(page.locator(`[data-node="${newLeader}"]`).getByText('★ Leader')).toBeVisible();
  await shot(page, testInfo, '4-healed-nodes');
});

test('one-way partition: the leader’s packets to every other agent are dropped, theirs still reach it', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const tl = new Timeline('One-way partition: everything the leader sends is dropped; what it receives still arrives');
  current = { tl };
  const prefix = 'p-oneway';
  const oldLeader = await waitAgreedLeader(cluster);
  tl.mark(`leader is ${oldLeader}`);
  const w = startWorkload(prefix);
  current.history = w.history;
  await sleep(1500);
  const leaderN = cluster.agent(oldLeader).n;
  const tStart = tl.now();
  for (const n of [1, 2, 3, 4, 5].filter((m) => m !== leaderN)) await net.cut(leaderN, n);
  const hCut = w.history.now();
  const tCut = tl.mark(`cut ${oldLeader} -> every other agent (one direction; ${net.cuts().length} links cut in ${tl.now() - tStart} ms)`);

  const newLeader = await waitNewLeader(cluster, oldLeader, 'c5');
  tl.figure('new leader elected after', secs(tl.mark(`c5 reports new leader ${newLeader}`) - tCut));
  await until('a write acknowledged by the majority', async () => firstAckAfter(w.history, hCut), 30_000);
  tl.figure('failover (cut to first acknowledged write invoked after it)', secs(firstAckAfter(w.history, hCut)! - hCut));
  await checkMinority(tl, oldLeader, prefix, newLeader);
  await page.goto(`${cluster.agent('c4').http}/ui/dc1/nodes`);
  await expect(page.locator(`[data-node="${newLeader}"]`).getByText('★ Leader')).toBeVisible({ timeout: 15_000 });
  await shot(page, testInfo, '1-one-way-partition-nodes');

  const tHeal = tl.mark('heal');
  await net.heal();
  tl.figure('cut lasted', secs(tHeal - tCut));
  await measureConvergence(tl, prefix, tHeal);
  await w.stop();
  await finalChecks(tl, prefix, w.history);
});

test('kill -9 of the leader during writes: no acknowledged write lost, it restarts and catches up', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const tl = new Timeline('kill -9 of the leader during writes');
  current = { tl };
  const prefix = 'p-kill';
  const oldLeader = await waitAgreedLeader(cluster);
  tl.mark(`leader is ${oldLeader}`);
  const w = startWorkload(prefix);
  current.history = w.history;
  await sleep(1500);
  const tKill = tl.mark(`kill -9 ${oldLeader} (pid ${cluster.agent(oldLeader).proc.pid})`);
  const hKill = w.history.now();
  cluster.signal(oldLeader, 'SIGKILL');
  await cluster.waitExit(oldLeader);
  const newLeader = await waitNewLeader(cluster, oldLeader, 'c5');
  tl.figure('new leader elected after', secs(tl.mark(`c5 reports new leader ${newLeader}`) - tKill));
  await until('a write acknowledged after the kill', async () => firstAckAfter(w.history, hKill), 30_000);
  tl.figure('failover (kill to first acknowledged write invoked after it)', secs(firstAckAfter(w.history, hKill)! - hKill));
  await sleep(1000);

  const tRestart = tl.mark(`restart ${oldLeader} from its data dir`);
  const restarted = cluster.spawnAgent(oldLeader, cluster.agent(oldLeader).n);
  await cluster.waitHttp(restarted);
  await measureConvergence(tl, prefix, tRestart);
  await w.stop();
  await finalChecks(tl, prefix, w.history);
  await page.goto(`${cluster.agent('c4').http}/ui/dc1/nodes`);
  await expect(page.locator(`[data-node="${newLeader}"]`).getByText('★ Leader')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator(`[data-node="${oldLeader}"]`)).toHaveAttribute('data-status', 'passing', { timeout: 45_000 });
  await shot(page, testInfo, '1-after-kill-restart');
});

test('SIGSTOP then SIGCONT of the leader during writes: no acknowledged write lost, it rejoins as a follower', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const tl = new Timeline('SIGSTOP / SIGCONT of the leader during writes');
  current = { tl };
  const prefix = 'p-pause';
  const oldLeader = await waitAgreedLeader(cluster);
  tl.mark(`leader is ${oldLeader}`);
  const w = startWorkload(prefix);
  current.history = w.history;
  await sleep(1500);
  const tStop = tl.mark(`SIGSTOP ${oldLeader}`);
  const hStop = w.history.now();
  cluster.signal(oldLeader, 'SIGSTOP');
  const newLeader = await waitNewLeader(cluster, oldLeader, 'c5');
  tl.figure('new leader elected after', secs(tl.mark(`c5 reports new leader ${newLeader}`) - tStop));
  await until('a write acknowledged after the pause', async () => firstAckAfter(w.history, hStop), 30_000);
  tl.figure('failover (SIGSTOP to first acknowledged write invoked after it)', secs(firstAckAfter(w.history, hStop)! - hStop));
  await sleep(2000);
  const tCont = tl.mark(`SIGCONT ${oldLeader}`);
  cluster.signal(oldLeader, 'SIGCONT');
  await measureConvergence(tl, prefix, tCont);
  expect(await cluster.leaderSeenBy(oldLeader)).toBe(newLeader);
  await w.stop();
  await finalChecks(tl, prefix, w.history);
  await page.goto(`${cluster.agent('c4').http}/ui/dc1/nodes`);
  await expect(page.locator(`[data-node="${newLeader}"]`).getByText('★ Leader')).toBeVisible({ timeout: 15_000 });
  await shot(page, testInfo, '1-after-pause');
});
