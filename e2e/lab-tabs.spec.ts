import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type DevAgent, startDevAgent } from './support/dev-agent.ts';
import { labConverged, labSnapshot, openLabTab } from './support/lab-tabs.ts';
import { ensureBuild } from './support/ui-server.ts';

/**
 * The multi-tab lab: each `/lab/node` tab is one Consul node running the real core, talking to
 * the other tabs over WebRTC data channels (signaled through the agent's `/lab/signal`) or the
 * agent's relay, with Raft's state in IndexedDB. Three server tabs elect a leader, a client tab
 * that relays everything (`rtc=0`) joins, a KV write through one tab is read from another, and a
 * server tab closed and reopened restores its log from IndexedDB and rejoins.
 *
 * The agent is the real `consul agent -dev` (it serves the Next build's `/lab/node` and the
 * signaling WebSocket on its HTTP port).
 */

let dev: DevAgent;
const ROOM = `e2e-${Date.now()}`;

test.beforeAll(async () => {
  test.setTimeout(600_000);
  ensureBuild();
  dev = await startDevAgent('lab-tabs-agent');
});

test.afterAll(async () => {
  await dev?.stop();
});

const open = (ctx: BrowserContext, name: string, extra: string, room = ROOM): Promise<Page> => openLabTab(ctx, dev.httpAddr, name, extra, room);
const snapshot = labSnapshot;
const converged = labConverged;

test('three server tabs and a client tab form a cluster over WebRTC and the relay, and a reopened server tab keeps its log', async ({ browser }) => {
  test.setTimeout(300_000);
  // s1 and s2 share one browser context (two tabs of one browser); s3 and c1 each have their own
  // (like other browsers: separate IndexedDB, WebRTC across them).
  const shared = await browser.newContext();
  const contexts = new Map<string, BrowserContext>([['s1', shared], ['s2', shared], ['s3', await browser.newContext()], ['c1', await browser.newContext()]]);
  const servers = ['s1', 's2', 's3'];
  const pages = new Map<string, Page>();
  for (const name of servers) pages.set(name, await open(contexts.get(name)!, name, '&server=1&bootstrap_expect=3&wipe=1'));
  pages.set('c1', await open(contexts.get('c1')!, 'c1', '&rtc=0&wipe=1'));
  const all = () => [...pages.values()];
  const members = [...servers, 'c1'];

  const leader = await converged(all(), members);
  console.log(`leader elected: ${leader}`);
  const s1 = await snapshot(pages.get('s1')!);
  // Servers reach each other over WebRTC; the client relays through the agent.
  expect(s1?.peers).toEqual([
    { name: 'c1', path: 'relay', host: 'c1', dc: 'dc1', server: false, rtc: false, session: expect.any(Number) },
    { name: 's2', path: 'rtc', host: 's2', dc: 'dc1', server: true, rtc: true, session: expect.any(Number) },
    { name: 's3', path: 'rtc', host: 's3', dc: 'dc1', server: true, rtc: true, session: expect.any(Number) },
  ]);
  for (const name of servers) await expect(pages.get(name)!.getByTestId('lab-node')).toHaveAttribute('data-leader', leader);
  await pages.get(leader)!.screenshot({ path: 'test-results/lab/tabs-leader.png', fullPage: true });

  // A write through a follower's form (forwarded to the leader), read from the client tab.
  const follower = servers.find((s) => s !== leader)!;
  const fpage = pages.get(follower)!;
  await fpage.getByLabel('Key', { exact: true }).fill('lab/greeting');
  await fpage.getByLabel('Value', { exact: true }).fill('hello from the tabs');
  await fpage.getByRole('button', { name: 'Write' }).click();
  await expect(fpage.getByTestId('kv-result')).toHaveText('PUT lab/greeting: ok');
  const read = await pages.get('c1')!.evaluate(() => window.__consulNode!.get('lab/greeting', 'consistent'));
  expect(read?.value).toBe('hello from the tabs');
  expect(read?.knownLeader).toBe(true);
  // Every tab's KV listing shows it; the client's form reads it too.
  for (const p of all()) await expect(p.locator('[data-key="lab/greeting"] [data-testid="kv-value"]')).toHaveText('hello from the tabs', { timeout: 15_000 });
  const c1 = pages.get('c1')!;
  await c1.getByLabel('Key', { exact: true }).fill('lab/greeting');
  await c1.getByLabel('Read mode').selectOption('stale');
  await c1.getByRole('button', { name: 'Read' }).click();
  await expect(c1.getByTestId('kv-result')).toContainText('GET lab/greeting (stale) = "hello from the tabs"');
  await c1.screenshot({ path: 'test-results/lab/tabs-client.png', fullPage: true });

  // Close a follower server tab (a crash) and reopen it: its log comes back from IndexedDB.
  const victim = servers.find((s) => s !== leader && s !== follower)!;
  const before = await snapshot(pages.get(victim)!);
  expect(before?.logTail.some((e) => e.summary.includes('lab/greeting') && e.committed)).toBe(true);
  await pages.get(victim)!.close();
  const survivors = all().filter((p) => !p.isClosed());
  await pages.get(leader)!.evaluate(() => window.__consulNode!.put('lab/while-down', 'written while a server was gone'));
  const reopened = await open(contexts.get(victim)!, victim, '&server=1&bootstrap_expect=3');
  pages.set(victim, reopened);
  await expect(async () => {
    const s = await snapshot(reopened);
    expect(s?.status).toBe('running');
    expect(s?.restoredLastIndex).toBeGreaterThanOrEqual(before!.lastIndex);
  }).toPass({ timeout: 20_000 });
  const leader2 = await converged([...survivors, reopened], members);
  expect(leader2).toBe(leader);
  // It catches up with what was written while it was away.
  await expect(reopened.locator('[data-key="lab/while-down"] [data-testid="kv-value"]')).toHaveText('written while a server was gone', { timeout: 30_000 });
  const after = await snapshot(reopened);
  expect(after?.term).toBeGreaterThanOrEqual(before!.term);
  console.log(`${victim} restored its log up to ${after?.restoredLastIndex} (had ${before?.lastIndex}), now at commit ${after?.commitIndex}`);
  await reopened.screenshot({ path: 'test-results/lab/tabs-reopened.png', fullPage: true });
  for (const c of new Set(contexts.values())) await c.close();
});

test('cutting the leader tab off from the others (the partition hooks) elects a new leader; healing rejoins it; a crash-restart comes back from IndexedDB', async ({ browser }) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext();
  const names = ['p1', 'p2', 'p3'];
  const pages = new Map<string, Page>();
  for (const name of names) pages.set(name, await open(ctx, name, '&server=1&bootstrap_expect=3&wipe=1', `${ROOM}-cut`));
  const leader = await converged([...pages.values()], names);
  const others = names.filter((n) => n !== leader);
  const lpage = pages.get(leader)!;
  await lpage.evaluate((peers) => {
    for (const p of peers) window.__consulNode!.cut(p);
  }, others);
  await expect(lpage.locator(`[data-peer="${others[0]}"]`)).toHaveAttribute('data-cut', 'both');
  // The majority side elects one of its own in a later term; the old leader steps down.
  let newLeader = '';
  await expect(async () => {
    const [a, b, old] = await Promise.all([...others, leader].map((n) => snapshot(pages.get(n)!)));
    expect(a?.leader).not.toBe('');
    expect(a?.leader).not.toBe(leader);
    expect(b?.leader).toBe(a?.leader);
    expect(old?.role).not.toBe('leader');
    newLeader = a!.leader;
  }).toPass({ timeout: 30_000, intervals: [250] });
  console.log(`after the cut: ${newLeader} leads, ${leader} stepped down`);
  await lpage.screenshot({ path: 'test-results/lab/tabs-cut.png', fullPage: true });
  await lpage.evaluate(() => window.__consulNode!.heal());
  const healed = await converged([...pages.values()], names);
  expect(healed).toBe(newLeader);
  // The page's "Crash and restart" button: the leader restarts in place from IndexedDB, the others
  // elect a leader in a later term, and it rejoins as a member of that cluster.
  const hpage = pages.get(healed)!;
  const term = (await snapshot(hpage))!.term;
  await hpage.getByRole('button', { name: 'Crash and restart' }).click();
  await expect(async () => {
    const s = await snapshot(hpage);
    expect(s?.status).toBe('running');
    expect(s?.restoredLastIndex).toBeGreaterThan(0);
    expect(s?.term).toBeGreaterThan(term);
  }).toPass({ timeout: 30_000, intervals: [250] });
  await converged([...pages.values()], names);
  await ctx.close();
});

test('a tab joins the real agent’s gossip pool through the relay and uses its servers for KV', async ({ browser }) => {
  test.setTimeout(120_000);
  const ctx = await browser.newContext();
  const page = await open(ctx, 'tab-client', '&wipe=1', 'agent');
  const agentHttp = `http://${dev.httpAddr}`;
  // Each side sees the other alive in its gossip view.
  await expect.poll(async () => (await snapshot(page))?.members?.find((m) => m.name === dev.nodeName)?.status, { timeout: 30_000 }).toBe('alive');
  await expect
    .poll(async () => {
      const members = (await (await fetch(`${agentHttp}/v1/agent/members`)).json()) as { Name: string; Addr: string; Status: number }[];
      return members.find((m) => m.Name === 'tab-client');
    }, { timeout: 30_000 })
    .toMatchObject({ Addr: 'tab-client', Status: 1 });
  const s = await snapshot(page);
  expect(s?.peers).toMatchObject([{ name: dev.nodeName, path: 'relay', rtc: false }]);
  await expect.poll(async () => (await snapshot(page))?.leader, { timeout: 15_000 }).toBe(dev.nodeName);
  // A key written through the agent's HTTP API is read by the tab (RPC to the agent's server over
  // the relay), and a key written by the tab shows up in the agent's API.
  expect((await fetch(`${agentHttp}/v1/kv/bridge/from-agent`, { method: 'PUT', body: 'hello tab' })).ok).toBe(true);
  expect((await page.evaluate(() => window.__consulNode!.get('bridge/from-agent', 'consistent')))?.value).toBe('hello tab');
  expect(await page.evaluate(() => window.__consulNode!.put('bridge/from-tab', 'hello agent'))).toBe(true);
  expect(await (await fetch(`${agentHttp}/v1/kv/bridge/from-tab?raw`)).text()).toBe('hello agent');
  // The leader (the agent) reconciles the tab into the catalog like any member.
  await expect
    .poll(async () => ((await (await fetch(`${agentHttp}/v1/catalog/nodes`)).json()) as { Node: string }[]).map((n) => n.Node), { timeout: 30_000 })
    .toContain('tab-client');
  await expect(page.locator('[data-key="bridge/from-agent"] [data-testid="kv-value"]')).toHaveText('hello tab', { timeout: 15_000 });
  await page.screenshot({ path: 'test-results/lab/tabs-agent-pool.png', fullPage: true });
  await ctx.close();
});

test('server tabs in two datacenters federate over WAN gossip, and a client reads across them', async ({ browser }) => {
  test.setTimeout(120_000);
  const ctx = await browser.newContext();
  const room = `${ROOM}-wan`;
  const a1 = await open(ctx, 'a1', '&server=1&bootstrap_expect=1&dc=dc1&wipe=1', room);
  const b1 = await open(ctx, 'b1', '&server=1&bootstrap_expect=1&dc=dc2&wipe=1', room);
  const ca = await open(ctx, 'ca', '&dc=dc1&wipe=1', room);
  await expect(async () => {
    const [sa, sb, sc] = await Promise.all([a1, b1, ca].map(snapshot));
    expect(sa?.leader).toBe('a1');
    expect(sb?.leader).toBe('b1');
    expect(sc?.leader).toBe('a1');
    // LAN pools stay per datacenter; the WAN pool holds both servers.
    expect(sa?.members.map((m) => m.name)).toEqual(['a1', 'ca']);
    expect(sb?.members.map((m) => m.name)).toEqual(['b1']);
    const wan = await a1.evaluate(() => window.__consulNode!.state!.wanMembers.map((m) => `${m.name}:${m.status}`));
    expect(wan).toEqual(['a1.dc1:alive', 'b1.dc2:alive']);
  }).toPass({ timeout: 60_000, intervals: [250] });
  expect(await b1.evaluate(() => window.__consulNode!.put('where', 'dc2'))).toBe(true);
  // The dc1 client asks its dc1 server, which forwards to dc2 over the WAN.
  expect((await ca.evaluate(() => window.__consulNode!.get('where', 'consistent', 'dc2')))?.value).toBe('dc2');
  expect(await ca.evaluate(() => window.__consulNode!.get('where'))).toBeUndefined();
  await a1.screenshot({ path: 'test-results/lab/tabs-wan.png', fullPage: true });
  await ctx.close();
});
