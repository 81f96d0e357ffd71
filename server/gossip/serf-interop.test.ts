/**
 * Interop with a real HashiCorp Serf agent (built from Debian's packages at test time) on loopback:
 * joins both ways, failure detection both ways, graceful leave, user events both ways, encryption
 * with a shared key, and rejection of a wrong key. Uses the `local` timing profile on both sides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFromBase64, toBase64 } from '../../core/gossip/security/keyring.ts';
import { type KeyOperationResult, keyOperation } from '../../core/gossip/serf/key-manager.ts';
import type { SerfEvent } from '../../core/gossip/serf/events.ts';
import { type GossipNode, startGossipNode } from '../runtime/gossip-node.ts';
import { buildSerf, interopUnavailable, SerfAgent, waitFor } from '../testing/serf-agent.ts';
import { ConsoleLogger } from '../runtime/console-logger.ts';
import type { Logger } from '../../core/ports/logger.ts';

const unavailable = interopUnavailable();
if (unavailable) console.warn(`serf interop tests skipped: ${unavailable}`);

const decoder = new TextDecoder();
const KEY = 'T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s='; // 32 bytes
const KEY16 = 'cg8StVXbQJ0gPvMd9o7yrg==';
const WRONG = 'HvY8ubRZMgafUOWvrOadwOckVa1wN3QWAo46FVKbVN8=';
const NEW_KEY = 'j7QnmS0uiQ4C1b8hfXmmYA==';

/** Collects log lines so a failing test can print them, and so we can assert on the wrong-key line. */
function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new ConsoleLogger('debug', '', (l) => lines.push(l)), lines };
}

interface Ours {
  node: GossipNode;
  events: SerfEvent[];
  lines: string[];
}

async function ours(name: string, keys?: string[]): Promise<Ours> {
  const { logger, lines } = capture();
  const events: SerfEvent[] = [];
  const node = await startGossipNode({
    name,
    profile: 'local',
    logger,
    tags: { role: 'consul-ts', dc: 'dc1' },
    keys: keys?.map(keyFromBase64),
    onEvent: (e) => events.push(e),
  });
  return { node, events, lines };
}

function statusIn(o: Ours, name: string): string | undefined {
  return o.node.serf.member(name)?.status;
}

function userEvents(o: Ours): string[] {
  return o.events.flatMap((e) => (e.type === 'user' ? [`${e.name}:${decoder.decode(e.payload)}`] : []));
}

function joinVia(o: Ours, address: string): Promise<{ joined: number; errors: string[] }> {
  return new Promise((resolve) => o.node.serf.join([address], false, (joined, errors) => resolve({ joined, errors })));
}

describe.skipIf(unavailable !== undefined)('interop with a real Serf agent', () => {
  let bin: string;
  const agents: SerfAgent[] = [];
  const nodes: Ours[] = [];

  beforeAll(async () => {
    bin = await buildSerf();
  }, 600_000);

  afterAll(() => {
    for (const a of agents) a.kill();
    for (const n of nodes) n.node.shutdown();
  });

  async function agent(name: string, encrypt?: string): Promise<SerfAgent> {
    const a = await SerfAgent.start(bin, name, { encrypt });
    agents.push(a);
    return a;
  }

  async function node(name: string, keys?: string[]): Promise<Ours> {
    const n = await ours(name, keys);
    nodes.push(n);
    return n;
  }

  it('our node joins Serf; both see each other alive; user events both ways; Serf killed is marked failed', async () => {
    const go = await agent('go-a');
    const ts = await node('ts-a');
    const res = await joinVia(ts, go.address);
    expect(res, ts.lines.join('\n')).toEqual({ joined: 1, errors: [] });
    expect(await waitFor(async () => (await go.status('ts-a')) === 'alive', 10_000), go.logText()).toBe(true);
    expect(statusIn(ts, 'go-a')).toBe('alive');
    const seen = (await go.members()).find((m) => m.name === 'ts-a');
    expect(seen?.tags).toEqual({ role: 'consul-ts', dc: 'dc1' });

    expect(ts.node.serf.userEvent('deploy', new TextEncoder().encode('from-ts'), false)).toBeUndefined();
    expect(await waitFor(() => go.events().includes('deploy:from-ts'), 10_000), go.logText()).toBe(true);
    await go.event('restart', 'from-go');
    expect(await waitFor(() => userEvents(ts).includes('restart:from-go'), 10_000), ts.lines.join('\n')).toBe(true);

    // Stay together through several probe rounds: no false suspicion either way.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await go.status('ts-a')).toBe('alive');
    expect(statusIn(ts, 'go-a')).toBe('alive');

    go.kill();
    expect(await waitFor(() => statusIn(ts, 'go-a') === 'failed', 20_000), ts.lines.slice(-40).join('\n')).toBe(true);
  }, 90_000);

  it('Serf joins our node; our node crashing is marked failed; graceful leaves show left both ways', async () => {
    const ts = await node('ts-b');
    const go = await agent('go-b');
    await go.join(ts.node.address);
    expect(await waitFor(async () => (await go.status('ts-b')) === 'alive', 10_000), go.logText()).toBe(true);
    expect(await waitFor(() => statusIn(ts, 'go-b') === 'alive', 10_000)).toBe(true);

    const leaver = await node('ts-leaver');
    expect((await joinVia(leaver, go.address)).joined).toBe(1);
    expect(await waitFor(async () => (await go.status('ts-leaver')) === 'alive', 10_000)).toBe(true);
    await leaver.node.leaveAndShutdown();
    expect(await waitFor(async () => (await go.status('ts-leaver')) === 'left', 15_000), go.logText()).toBe(true);

    // A crash: sockets close without a leave.
    // With three nodes known to Serf, Lifeguard waits for one confirmation that never comes, so the
    // suspicion runs its full 6 x 3 s.
    ts.node.shutdown();
    expect(await waitFor(async () => (await go.status('ts-b')) === 'failed', 40_000), go.logText()).toBe(true);

    // Serf leaving gracefully is seen as left by a node of ours. A fresh Serf agent does the leave:
    // go-b still gossips to the crashed ts-b (gossip-to-the-dead), and with the local profile's
    // retransmit limit of 2 its leave intent can be spent on ts-b alone, which real Serf peers
    // would then also record as a failure rather than a leave.
    const leaving = await agent('go-c');
    const watcher = await node('ts-watcher');
    expect((await joinVia(watcher, leaving.address)).joined).toBe(1);
    expect(await waitFor(() => statusIn(watcher, 'go-c') === 'alive', 10_000)).toBe(true);
    await leaving.leave();
    const why = () => `${watcher.lines.slice(-40).join('\n')}\n--- serf:\n${leaving.logText().slice(-4000)}`;
    expect(await waitFor(() => statusIn(watcher, 'go-c') === 'left', 15_000), why()).toBe(true);
  }, 150_000);

  it('with a shared key (32 and 16 bytes) both sides interoperate; a wrong key fails to join', async () => {
    for (const key of [KEY, KEY16]) {
      const go = await agent(`go-enc-${key.length}`, key);
      const ts = await node(`ts-enc-${key.length}`, [key]);
      const res = await joinVia(ts, go.address);
      expect(res, ts.lines.join('\n')).toEqual({ joined: 1, errors: [] });
      expect(await waitFor(async () => (await go.status(`ts-enc-${key.length}`)) === 'alive', 10_000), go.logText()).toBe(true);
      ts.node.serf.userEvent('secret', new TextEncoder().encode('sealed-ts'), false);
      expect(await waitFor(() => go.events().includes('secret:sealed-ts'), 10_000), go.logText()).toBe(true);
      await go.event('secret', 'sealed-go');
      expect(await waitFor(() => userEvents(ts).includes('secret:sealed-go'), 10_000)).toBe(true);
    }

    // Keyring management across both implementations: Serf installs a key (our node answers its
    // internal query), then our node lists keys cluster-wide (Serf answers ours).
    const go = agents[agents.length - 1] as SerfAgent;
    const ours16 = nodes[nodes.length - 1] as Ours;
    const out = await go.cli('keys', `-install=${NEW_KEY}`);
    expect(out, out).toMatch(/Successfully installed key/);
    expect(ours16.node.keyring.list().map(toBase64)).toContain(NEW_KEY);
    const listed = await new Promise<KeyOperationResult>((resolve) => keyOperation(ours16.node.serf, 'list-keys', undefined, resolve));
    expect(listed.numResp).toBe(2);
    expect(listed.keys[NEW_KEY]).toBe(2);
    expect(listed.primaryKeys[KEY16]).toBe(2);

    const wrong = await node('ts-wrong-key', [WRONG]);
    const res = await joinVia(wrong, go.address);
    expect(res.joined).toBe(0);
    expect(res.errors.length).toBe(1);
    const goMembers = (await go.members()).map((m) => m.name);
    expect(goMembers).not.toContain('ts-wrong-key');
    // Serf dialling us with its key is rejected with a clear line on our side too.
    await go.join(wrong.node.address).catch(() => undefined);
    expect(await waitFor(() => wrong.lines.some((l) => /No installed keys could decrypt/.test(l)), 10_000), wrong.lines.join('\n')).toBe(true);
    expect(statusIn(wrong, go.name)).toBeUndefined();
  }, 120_000);
});
