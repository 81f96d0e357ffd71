import { writeFileSync } from 'node:fs';
import { type BrowserContext, expect, type Page, type TestInfo, test } from '@playwright/test';
import { checkLinearizable, type RegisterOp } from '../core/raft/sim/linearizability.ts';
import { LabRunner } from '../lab/sim-runner/lab-runner.ts';
import { specFromParams } from '../lab/sim-runner/cluster-spec.ts';
import { type DevAgent, startDevAgent } from './support/dev-agent.ts';
import { labConverged, labSnapshot, type NodeSnapshot, openLabTab } from './support/lab-tabs.ts';
import { type SimPartitionRecord, simPartitionPhase1, simPartitionPhase2 } from './support/sim-partition.ts';
import { ensureBuild } from './support/ui-server.ts';

/**
 * Partitions in real browsers (issue 14, the browser parts).
 *
 * Tabs over WebRTC: five `/lab/node` tabs (three servers, two clients; one client relays through
 * the agent) form a cluster served by the real `consul agent -dev`. The leader is cut off alone
 * (symmetric, one-way, or cut and then closed and reopened from IndexedDB) while a client tab
 * keeps writing through its HTTP API; the majority elects a new leader and takes writes, the old
 * leader refuses writes and consistent reads and answers stale reads flagged as such
 * (X-Consul-KnownLeader false), and after the heal every tab holds the same log and the same KV
 * store with every acknowledged write in it.
 *
 * In-tab simulation: the same scenario on `/lab`'s simulated cluster, driven through the page's
 * runner at fixed virtual times: the trace hash is identical on two runs (and in Node).
 *
 * Each test attaches a short report (what was cut, when leadership changed, how long convergence
 * took) and screenshots.
 */

let dev: DevAgent;
const RUN = Date.now();
const SERVERS = ['s1', 's2', 's3'];
const CLIENTS = ['c1', 'c2'];
const ALL = [...SERVERS, ...CLIENTS];

test.beforeAll(async () => {
  test.setTimeout(600_000);
  ensureBuild();
  dev = await startDevAgent('partition-tabs-agent');
});

test.afterAll(async () => {
  await dev?.stop();
});

/**
 * One operation a client tab made: a PUT or a `?consistent` GET, its key and value (a read's
 * answer; null when absent), when it started and ended (epoch ms, sub-millisecond) and how.
 */
interface WriteRecord {
  kind: 'write' | 'read';
  key: string;
  value: string | null;
  t0: number;
  t1: number;
  ok: boolean;
  error: string;
}

/** The client tab's writer loop state (lives in the page as `window.__partitionWriter`). */
interface WriterState {
  stop: boolean;
  log: WriteRecord[];
  done: Promise<void>;
}

type Variant = 'symmetric' | 'one-way' | 'reopen';

/** A report line with its time since the cut. */
class Report {
  readonly lines: string[] = [];
  readonly figures: Record<string, number | string> = {};
  constructor(private readonly t0: number) {}
  log(text: string): void {
    const line = `[${((Date.now() - this.t0) / 1000).toFixed(2).padStart(7)} s] ${text}`;
    this.lines.push(line);
    console.log(line);
  }
}

/** A cluster of five tabs in one browser context (one browser, like a user with five tabs open). */
class TabCluster {
  readonly pages = new Map<string, Page>();
  constructor(
    readonly ctx: BrowserContext,
    readonly room: string,
  ) {}

  static async open(browser: import('@playwright/test').Browser, room: string): Promise<TabCluster> {
    const c = new TabCluster(await browser.newContext({ viewport: { width: 1280, height: 900 } }), room);
    for (const name of ALL) await c.openTab(name, true);
    return c;
  }

  /** Servers over WebRTC; c2 relays everything through the agent, so both paths are cut. */
  extra(name: string): string {
    return SERVERS.includes(name) ? '&server=1&bootstrap_expect=3' : name === 'c2' ? '&rtc=0' : '';
  }

  async openTab(name: string, wipe: boolean): Promise<Page> {
    const page = await openLabTab(this.ctx, dev.httpAddr, name, `${this.extra(name)}${wipe ? '&wipe=1' : ''}`, this.room);
    this.pages.set(name, page);
    return page;
  }

  page(name: string): Page {
    const p = this.pages.get(name);
    if (!p) throw new Error(`no tab ${name}`);
    return p;
  }

  live(): Page[] {
    return [...this.pages.values()].filter((p) => !p.isClosed());
  }

  snap(name: string): Promise<NodeSnapshot | undefined> {
    return labSnapshot(this.page(name));
  }
}

/** Writes a report into the test's output folder (kept as an artifact) and attaches it. */
async function attachFile(testInfo: TestInfo, name: string, body: string, contentType: string): Promise<void> {
  const path = testInfo.outputPath(name);
  writeFileSync(path, body);
  await testInfo.attach(name, { path, contentType });
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const body = await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

/**
 * Starts a client tab's loop of sequential operations, every outcome recorded: `unique` writes a
 * new key each time (these must all survive), `register` overwrites the shared key `reg`; after
 * each write, both read `reg` with `?consistent` (the register history goes to the
 * linearizability checker).
 */
async function startWriter(page: Page, prefix: string, mode: 'unique' | 'register'): Promise<void> {
  await page.evaluate(
    ([prefix, mode]) => {
      const w = { stop: false, log: [] as WriteRecord[], done: Promise.resolve() } as WriterState;
      (window as unknown as { __partitionWriter: WriterState }).__partitionWriter = w;
      const now = () => performance.timeOrigin + performance.now();
      const n = window.__consulNode!;
      w.done = (async () => {
        for (let i = 0; !w.stop; i++) {
          const key = mode === 'unique' ? `${prefix}/${String(i).padStart(4, '0')}` : 'reg';
          const value = `${prefix}-${i}`;
          let t0 = now();
          try {
            const ok = await n.put(key, value);
            w.log.push({ kind: 'write', key, value, t0, t1: now(), ok, error: ok ? '' : 'PUT answered false' });
          } catch (e) {
            w.log.push({ kind: 'write', key, value, t0, t1: now(), ok: false, error: (e as Error).message });
          }
          t0 = now();
          try {
            const r = await n.get('reg', 'consistent');
            w.log.push({ kind: 'read', key: 'reg', value: r?.value ?? null, t0, t1: now(), ok: true, error: '' });
          } catch (e) {
            w.log.push({ kind: 'read', key: 'reg', value: null, t0, t1: now(), ok: false, error: (e as Error).message });
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
    },
    [prefix, mode] as const,
  );
}

/** Acknowledged writes of a loop's log. */
function acksOf(log: WriteRecord[]): WriteRecord[] {
  return log.filter((w) => w.ok && w.kind === 'write');
}

/**
 * The register `reg` as the checker sees it: a failed PUT may still have been applied (the answer
 * was lost), so its outcome is unknown; a failed read says nothing. The final value every tab
 * lists after convergence is one more read, after everything.
 */
function registerOps(logs: WriteRecord[][], finalValue: string | null, at: number): RegisterOp[] {
  const ops: RegisterOp[] = [];
  logs.forEach((log, client) => {
    for (const w of log) {
      if (w.key !== 'reg') continue;
      if (w.kind === 'write') ops.push({ kind: 'write', key: 'reg', value: w.value ?? '', result: w.ok ? true : undefined, invoke: w.t0, response: w.ok ? w.t1 : Number.POSITIVE_INFINITY, client });
      else if (w.ok) ops.push({ kind: 'read', key: 'reg', result: w.value, invoke: w.t0, response: w.t1, client });
    }
  });
  ops.push({ kind: 'read', key: 'reg', result: finalValue, invoke: at, response: at, client: logs.length });
  return ops;
}

function writerLog(page: Page): Promise<WriteRecord[]> {
  return page.evaluate(() => (window as unknown as { __partitionWriter: WriterState }).__partitionWriter.log);
}

async function stopWriter(page: Page): Promise<WriteRecord[]> {
  return page.evaluate(async () => {
    const w = (window as unknown as { __partitionWriter: WriterState }).__partitionWriter;
    w.stop = true;
    await w.done;
    return w.log;
  });
}

/** Runs a put/get in a tab and returns what came back (status parsed from the controller's error). */
async function minorityProbe(page: Page) {
  return page.evaluate(async () => {
    const n = window.__consulNode!;
    const status = (e: unknown) => Number(/: (\d{3}) /.exec((e as Error).message)?.[1] ?? 0);
    const [put, consistent, stale] = await Promise.all([
      n.put('minority/write', 'must not be acknowledged').then(
        (ok) => ({ ok, status: 200, error: '' }),
        (e) => ({ ok: false, status: status(e), error: (e as Error).message }),
      ),
      n.get('probe', 'consistent').then(
        (r) => ({ ok: true, status: r ? 200 : 404, error: '', value: r?.value }),
        (e) => ({ ok: false, status: status(e), error: (e as Error).message, value: undefined }),
      ),
      n.get('probe', 'stale').then(
        (r) => ({ ok: true, status: r ? 200 : 404, error: '', value: r?.value, knownLeader: r?.knownLeader, lastContactMs: r?.lastContactMs }),
        (e) => ({ ok: false, status: status(e), error: (e as Error).message, value: undefined, knownLeader: undefined, lastContactMs: undefined }),
      ),
    ]);
    return { put, consistent, stale };
  });
}

/** The longest stretch (ms) between two acknowledged writes that spans `at`. */
function ackGapAround(log: WriteRecord[], at: number): number {
  const acks = acksOf(log).map((w) => w.t1);
  const before = Math.max(...acks.filter((t) => t <= at));
  const after = Math.min(...acks.filter((t) => t > at));
  return Number.isFinite(before) && Number.isFinite(after) ? after - before : Number.NaN;
}

/** The shared scenario of the three tab tests. */
async function tabScenario(browser: import('@playwright/test').Browser, testInfo: TestInfo, variant: Variant): Promise<void> {
  const room = `partition-${variant}-${RUN}`;
  const started = Date.now();
  const cluster = await TabCluster.open(browser, room);
  try {
    await tabSteps(cluster, testInfo, variant, started);
  } catch (e) {
    await leaveEvidence(cluster, testInfo, variant);
    throw e;
  } finally {
    await cluster.ctx.close();
  }
}

/** On failure: every open tab's log lines and snapshot, and a screenshot of each. */
async function leaveEvidence(cluster: TabCluster, testInfo: TestInfo, variant: Variant): Promise<void> {
  for (const [name, page] of cluster.pages) {
    if (page.isClosed()) continue;
    const state = await page.evaluate(() => window.__consulNode?.state).catch((e: Error) => ({ error: e.message }));
    await attachFile(testInfo, `${variant}-${name}-state.json`, JSON.stringify(state, null, 1), 'application/json');
    await shot(page, testInfo, `${variant}-${name}-at-failure`).catch(() => {});
  }
}

async function tabSteps(cluster: TabCluster, testInfo: TestInfo, variant: Variant, started: number): Promise<void> {
  const leader = await labConverged(cluster.live(), ALL, 90_000);
  const r = new Report(Date.now());
  r.figures.formedMs = Date.now() - started;
  const term0 = (await cluster.snap(leader))?.term ?? 0;
  r.log(`${variant}: five tabs formed a cluster in ${r.figures.formedMs} ms; leader ${leader} (term ${term0})`);
  const majority = SERVERS.filter((s) => s !== leader);
  const others = ALL.filter((n) => n !== leader);
  const writerTab = cluster.page('c1');
  const c2 = cluster.page('c2');

  expect(await c2.evaluate(() => window.__consulNode!.put('probe', 'before the cut'))).toBe(true);
  await startWriter(writerTab, `hist-${variant}`, 'unique');
  await startWriter(c2, `reg-${variant}`, 'register');
  await expect.poll(async () => acksOf(await writerLog(writerTab)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);

  // ------------------------------------------------------------------ the cut
  const cutAt = Date.now();
  if (variant === 'one-way') {
    // The leader can send but not receive: every other tab drops what it sends to the leader.
    for (const n of others) await cluster.page(n).evaluate((l) => window.__consulNode!.cut(l, { oneWay: true }), leader);
    r.log(`cut one-way: ${others.join(', ')} drop everything they send to ${leader}; ${leader} still sends to all`);
  } else {
    await cluster.page(leader).evaluate((peers) => {
      for (const p of peers) window.__consulNode!.cut(p);
    }, others);
    for (const n of others) await cluster.page(n).evaluate((l) => window.__consulNode!.cut(l), leader);
    r.log(`cut both ways: ${leader} ↮ ${others.join(', ')} (cut on ${leader} and on each other tab)`);
  }
  await expect(cluster.page(others[0]!).locator(`[data-peer="${leader}"]`)).toHaveAttribute('data-cut', variant === 'one-way' ? /out/ : 'both');

  // The old leader steps down; the majority elects one of its own in a later term.
  let stepDownAt = 0;
  let newLeader = '';
  let newLeaderAt = 0;
  await expect(async () => {
    const snaps = await Promise.all([leader, ...majority].map((n) => cluster.snap(n)));
    if (stepDownAt === 0 && snaps[0]?.role !== 'leader') stepDownAt = Date.now();
    const l = snaps[1]?.leader ?? '';
    if (newLeaderAt === 0 && l !== '' && l !== leader && snaps[2]?.leader === l) {
      newLeader = l;
      newLeaderAt = Date.now();
    }
    expect(stepDownAt).toBeGreaterThan(0);
    expect(newLeaderAt).toBeGreaterThan(0);
  }).toPass({ timeout: 45_000, intervals: [100] });
  const term1 = (await cluster.snap(newLeader))?.term ?? 0;
  expect(majority).toContain(newLeader);
  expect(term1).toBeGreaterThan(term0);
  r.figures.stepDownMs = stepDownAt - cutAt;
  r.figures.failoverMs = newLeaderAt - cutAt;
  r.log(`${leader} stepped down after ${r.figures.stepDownMs} ms; ${newLeader} leads the majority (term ${term1}) ${r.figures.failoverMs} ms after the cut`);

  // The majority takes writes: the client's loop carries on, and c2 overwrites the probe.
  await expect.poll(async () => acksOf(await writerLog(writerTab)).filter((w) => w.t0 > newLeaderAt).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  await expect.poll(() => c2.evaluate(() => window.__consulNode!.put('probe', 'after the cut').catch((e: Error) => e.message)), { timeout: 20_000 }).toBe(true);
  const firstAck = acksOf(await writerLog(writerTab)).find((w) => w.t0 > cutAt);
  r.log(`majority accepts writes: first write acknowledged after the cut at ${firstAck ? Math.round(firstAck.t1 - cutAt) : '?'} ms`);
  await shot(cluster.page(newLeader), testInfo, `${variant}-new-leader`);

  // The minority refuses writes and consistent reads; a stale read answers the old value, flagged.
  const probe = await minorityProbe(cluster.page(leader));
  r.log(`minority ${leader}: PUT → ${probe.put.ok ? 'acknowledged' : `refused (${probe.put.status}: ${probe.put.error})`}`);
  r.log(`minority ${leader}: GET ?consistent → ${probe.consistent.ok ? `answered ${probe.consistent.value}` : `failed (${probe.consistent.status}: ${probe.consistent.error})`}`);
  r.log(`minority ${leader}: GET ?stale → ${probe.stale.status} "${probe.stale.value}" X-Consul-KnownLeader: ${probe.stale.knownLeader}, X-Consul-LastContact: ${probe.stale.lastContactMs}`);
  expect(probe.put.ok).toBe(false);
  expect(probe.put.status).toBe(500);
  expect(probe.consistent.ok).toBe(false);
  expect(probe.consistent.status).toBe(500);
  expect(probe.stale).toMatchObject({ ok: true, status: 200, value: 'before the cut', knownLeader: false });
  expect(probe.stale.lastContactMs).toBeGreaterThan(0);
  await shot(cluster.page(leader), testInfo, `${variant}-minority`);

  // ------------------------------------------------------------------ reopen (IndexedDB restart)
  let beforeClose: NodeSnapshot | undefined;
  if (variant === 'reopen') {
    beforeClose = await cluster.snap(leader);
    await cluster.page(leader).close();
    r.log(`closed the old leader's tab ${leader} (a crash) at log index ${beforeClose?.lastIndex}`);
    await expect.poll(async () => acksOf(await writerLog(writerTab)).length, { timeout: 20_000 }).toBeGreaterThan(acksOf(await writerLog(writerTab)).length + 2);
  }

  // ------------------------------------------------------------------ heal
  const healAt = Date.now();
  for (const p of cluster.live()) await p.evaluate(() => window.__consulNode!.heal());
  r.log(`healed every link on ${cluster.live().length} tabs`);
  if (variant === 'reopen') {
    const reopened = await cluster.openTab(leader, false);
    await expect(async () => {
      const s = await labSnapshot(reopened);
      expect(s?.status).toBe('running');
      expect(s?.restoredLastIndex).toBeGreaterThanOrEqual(beforeClose?.lastIndex ?? 1);
    }).toPass({ timeout: 30_000 });
    r.log(`reopened ${leader}: restored its log from IndexedDB up to index ${(await labSnapshot(reopened))?.restoredLastIndex}`);
  }

  const healedLeader = await labConverged(cluster.live(), ALL, 60_000);
  r.figures.membersConvergedMs = Date.now() - healAt;
  r.log(`every tab sees all five alive and follows ${healedLeader} after ${r.figures.membersConvergedMs} ms`);
  // A few more writes after the heal, then the writer stops and the history is final.
  const acksAtHeal = acksOf(await writerLog(writerTab)).length;
  await expect.poll(async () => acksOf(await writerLog(writerTab)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(acksAtHeal + 3);
  const history = await stopWriter(writerTab);
  const regHistory = await stopWriter(c2);
  const acked = acksOf(history);
  const failed = history.filter((w) => !w.ok && w.kind === 'write');

  // Every tab: the same log (servers: same last index, all committed, same tail) and the same KV.
  let finalLast = 0;
  let finalKv = 0;
  let finalReg: string | null = null;
  let checkedAt = 0;
  await expect(async () => {
    const snaps = await Promise.all(ALL.map((n) => cluster.snap(n)));
    const servers = snaps.slice(0, SERVERS.length);
    const last = servers[0]?.lastIndex ?? -1;
    const tail = JSON.stringify(servers[0]?.logTail.map((e) => [e.index, e.term, e.summary]));
    for (const s of servers) {
      expect(s?.lastIndex).toBe(last);
      expect(s?.commitIndex).toBe(last);
      expect(JSON.stringify(s?.logTail.map((e) => [e.index, e.term, e.summary]))).toBe(tail);
      expect(s?.logTail.every((e) => e.committed)).toBe(true);
    }
    const kv = JSON.stringify(snaps[0]?.kv.map((e) => [e.key, e.value, e.modifyIndex]));
    for (const s of snaps) {
      expect(s?.kvError).toBe('');
      expect(JSON.stringify(s?.kv.map((e) => [e.key, e.value, e.modifyIndex]))).toBe(kv);
    }
    const values = new Map(snaps[0]?.kv.map((e) => [e.key, e.value]));
    const lost = acked.filter((w) => values.get(w.key) !== w.value).map((w) => w.key);
    expect(lost).toEqual([]);
    expect(values.get('probe')).toBe('after the cut');
    expect(values.has('minority/write')).toBe(false);
    finalLast = last;
    finalKv = values.size;
    finalReg = values.get('reg') ?? null;
    checkedAt = Date.now();
  }).toPass({ timeout: 60_000, intervals: [250] });
  r.figures.convergedMs = Date.now() - healAt;
  r.figures.acked = acked.length;
  r.figures.failed = failed.length;
  r.figures.unavailableMs = Math.round(ackGapAround(history, cutAt));
  r.log(`converged ${r.figures.convergedMs} ms after the heal: servers at log index ${finalLast} (all committed, same tail), ${finalKv} keys on every tab`);
  r.log(`client history: ${acked.length} writes acknowledged (all present), ${failed.length} failed; longest gap between acknowledgements across the cut ${r.figures.unavailableMs} ms`);
  for (const f of failed) r.log(`  failed ${f.key} after ${Math.round(f.t1 - f.t0)} ms: ${f.error}`);
  // The shared register: c1's consistent reads and c2's writes and reads, linearizable.
  const ops = registerOps([history, regHistory], finalReg, checkedAt);
  const lin = checkLinearizable(ops);
  r.figures.registerOps = ops.length;
  r.log(`register reg: ${ops.length} operations (${regHistory.filter((w) => !w.ok).length} of c2's failed) → ${lin.ok ? 'linearizable' : `NOT linearizable (${lin.badKeys.join(',')})`}${lin.inconclusive.length > 0 ? ', inconclusive' : ''}`);
  expect(lin.badKeys).toEqual([]);
  await shot(cluster.page(healedLeader), testInfo, `${variant}-converged`);
  await attachFile(testInfo, `${variant}-report.txt`, `${r.lines.join('\n')}\n`, 'text/plain');
  await attachFile(testInfo, `${variant}-report.json`, JSON.stringify({ variant, leader, newLeader, healedLeader, figures: r.figures, history, regHistory }, null, 1), 'application/json');
}

test('tabs: the leader cut off both ways loses to the majority, refuses writes, serves stale reads, and the five tabs converge after heal', async ({ browser }, testInfo) => {
  test.setTimeout(150_000);
  await tabScenario(browser, testInfo, 'symmetric');
});

test('tabs: a one-way partition (the leader sends but hears nothing) ends the same way', async ({ browser }, testInfo) => {
  test.setTimeout(150_000);
  await tabScenario(browser, testInfo, 'one-way');
});

test('tabs: the cut-off leader tab closed and reopened from IndexedDB rejoins and converges', async ({ browser }, testInfo) => {
  test.setTimeout(150_000);
  await tabScenario(browser, testInfo, 'reopen');
});

// ------------------------------------------------------------------ in-tab simulation

const SIM_QUERY = 'seed=14&servers=3&clients=2&play=0';

/** Loads the seeded lab paused, runs both phases through the page's runner; screenshots in between. */
async function simInPage(page: Page, testInfo: TestInfo, run: number): Promise<SimPartitionRecord> {
  await page.goto(`http://${dev.httpAddr}/lab?${SIM_QUERY}`);
  await expect(page.getByTestId('lab')).toHaveAttribute('data-seed', '14');
  await page.waitForFunction(() => window.__consulLab !== undefined);
  const phase = async (fn: (runner: LabRunner, rec: Partial<SimPartitionRecord>) => Promise<void>) =>
    page.evaluate(`(async () => {
      const lab = window.__consulLab;
      window.__partitionRecord = window.__partitionRecord ?? {};
      await (${fn.toString()})(lab.runner, window.__partitionRecord);
      await lab.driver.step(0);
      return window.__partitionRecord;
    })()`) as Promise<Partial<SimPartitionRecord>>;
  await phase(simPartitionPhase1);
  if (run === 1) await shot(page, testInfo, 'sim-partitioned');
  const rec = (await phase(simPartitionPhase2)) as SimPartitionRecord;
  if (run === 1) await shot(page, testInfo, 'sim-converged');
  return rec;
}

test('in-tab simulation: the same partition on a seeded cluster replays the same trace, and no acknowledged write is lost', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  const first = await simInPage(page, testInfo, 1);
  const second = await simInPage(page, testInfo, 2);
  // The same steps in Node, with no browser at all.
  const runner = new LabRunner(specFromParams(new URLSearchParams(SIM_QUERY)));
  const node: Partial<SimPartitionRecord> = {};
  await simPartitionPhase1(runner, node);
  await simPartitionPhase2(runner, node);

  const lines = [
    `seed 14, 3 servers + 2 clients; virtual times in ms`,
    `leader ${first.oldLeader} elected at ${first.electedAt}; partition [[${first.oldLeader}], rest] at ${first.cutAt}`,
    `${first.newLeader} leads the majority at ${first.newLeaderAt} (failover ${first.newLeaderAt - first.cutAt} ms)`,
    `minority ${first.oldLeader}: PUT ${first.minority.put.status} ${first.minority.put.text}; GET ?consistent ${first.minority.consistent.status} ${first.minority.consistent.error}; GET ?stale ${first.minority.stale.status} "${first.minority.stale.value}" knownLeader=${first.minority.stale.knownLeader} lastContact=${first.minority.stale.lastContactMs} flagged stale=${first.minority.stale.staleComparedToLeader}`,
    `heal at ${first.healAt}; servers converged at ${first.convergedAt} (${first.convergedAt - first.healAt} ms) at log index ${first.logs[first.servers[0] ?? '']?.lastIndex}`,
    `writes via ${first.writer}: ${first.acked.length} acknowledged, ${first.failed.length} failed, lost ${first.lost.length}`,
    `trace hash at the cut ${first.traceHashAtCut}; at the end: run 1 ${first.traceHash}, run 2 ${second.traceHash}, Node ${node.traceHash}`,
  ];
  for (const l of lines) console.log(l);
  await attachFile(testInfo, 'sim-report.txt', `${lines.join('\n')}\n`, 'text/plain');

  expect(first.traceHash).toMatch(/^[0-9a-f]{16}$/);
  expect(second.traceHash).toBe(first.traceHash);
  expect(second).toEqual(first);
  expect(node.traceHash).toBe(first.traceHash);
  // The scenario's checks.
  expect(first.newLeader).not.toBe(first.oldLeader);
  expect(first.servers).toContain(first.newLeader);
  expect(first.majorityPut).toBe(true);
  expect(first.minority.put.ok).toBe(false);
  expect(first.minority.consistent.status).toBe(500);
  expect(first.minority.stale).toMatchObject({ status: 200, value: 'before the cut', knownLeader: false, staleComparedToLeader: true });
  expect(first.acked.some((a) => a.at > first.cutAt && a.at < first.healAt)).toBe(true);
  expect(first.lost).toEqual([]);
  const [a, ...rest] = first.servers.map((id) => first.logs[id]);
  for (const l of rest) expect(l).toEqual(a);
  for (const id of first.servers) expect(first.kv[id]).toEqual(first.kv[first.servers[0] ?? '']);
  expect(first.kv[first.servers[0] ?? '']?.probe).toBe('after the cut');
  expect(first.kv[first.servers[0] ?? '']?.['minority/write']).toBeUndefined();
});
