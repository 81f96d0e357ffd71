/**
 * Helpers for the multi-tab lab's browser tests (`/lab/node` tabs served by `consul agent -dev`):
 * opening a tab as a node, reading its `window.__consulNode` snapshot, and waiting until a set of
 * tabs agrees on one leader and on who is alive.
 */
import { type BrowserContext, expect, type Page } from '@playwright/test';

/** What a test reads from a tab's `window.__consulNode` (a subset of lab/node/tab-state.ts). */
export interface NodeSnapshot {
  status: string;
  error: string;
  role: string;
  leader: string;
  term: number;
  commitIndex: number;
  lastIndex: number;
  restoredLastIndex: number;
  members: { name: string; status: string }[];
  kv: { key: string; value: string; modifyIndex: number }[];
  kvError: string;
  peers: { name: string; path: string }[];
  logTail: { index: number; term: number; summary: string; committed: boolean }[];
  cuts: { host: string; out: boolean; in: boolean }[];
}

/** The URL of a node tab in `room` (raft_multiplier 1: tests keep their tabs busy, not throttled). */
export function labTabUrl(httpAddr: string, name: string, extra: string, room: string): string {
  return `http://${httpAddr}/lab/node?name=${name}&room=${room}&raft_multiplier=1${extra}`;
}

/** Opens a node tab and waits until the page shows it; page errors go to the test's log. */
export async function openLabTab(ctx: BrowserContext, httpAddr: string, name: string, extra: string, room: string): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log(`${name} page error: ${e.message}`));
  await page.goto(labTabUrl(httpAddr, name, extra, room));
  await expect(page.getByTestId('lab-node')).toHaveAttribute('data-name', name);
  return page;
}

/** The tab's latest snapshot (refreshed by the page every 400 ms); undefined before the node exists. */
export function labSnapshot(page: Page): Promise<NodeSnapshot | undefined> {
  return page.evaluate(() => {
    const n = window.__consulNode;
    const s = n?.state;
    if (!n || !s) return n ? ({ status: n.status, error: n.error } as NodeSnapshot) : undefined;
    return {
      status: n.status,
      error: n.error,
      role: s.role,
      leader: s.leader,
      term: s.term,
      commitIndex: s.commitIndex,
      lastIndex: s.lastIndex,
      restoredLastIndex: s.restoredLastIndex,
      members: s.members,
      kv: s.kv,
      kvError: s.kvError,
      peers: s.peers,
      logTail: s.logTail,
      cuts: s.cuts,
    };
  });
}

/** Waits until every page agrees on one leader and sees exactly `members` alive; returns the leader. */
export async function labConverged(pages: Page[], members: string[], timeout = 60_000): Promise<string> {
  let leader = '';
  await expect(async () => {
    const snaps = await Promise.all(pages.map(labSnapshot));
    for (const s of snaps) {
      expect(s?.error ?? '').toBe('');
      expect(s?.status).toBe('running');
      expect(s?.members.filter((m) => m.status === 'alive').map((m) => m.name).sort()).toEqual([...members].sort());
    }
    leader = snaps[0]?.leader ?? '';
    expect(leader).not.toBe('');
    for (const s of snaps) expect(s?.leader).toBe(leader);
  }).toPass({ timeout, intervals: [250] });
  return leader;
}
