/**
 * What a partition test observes of the cluster through the HTTP API: who leads, what a server
 * holds, how a minority server answers, and when every server agrees again. Also the per-test
 * timeline that becomes the test's report.
 */
import type { KvHistory } from './kv-history.ts';
import { type RealCluster, sleep, until } from './real-cluster.ts';

/** Seconds with millisecond precision, for reports. */
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A test's timeline (ms from the test's start) and measured figures, rendered as its report. */
export class Timeline {
  private readonly t0 = Date.now();
  readonly entries: Array<{ t: number; what: string }> = [];
  readonly figures: Record<string, string | number> = {};

  constructor(readonly title: string) {}

  now(): number {
    return Date.now() - this.t0;
  }

  mark(what: string): number {
    const t = this.now();
    this.entries.push({ t, what });
    return t;
  }

  figure(name: string, value: string | number): void {
    this.figures[name] = value;
  }

  render(): string {
    const lines = [`# ${this.title}`, '', '## Timeline', ''];
    for (const e of this.entries) lines.push(`- t+${secs(e.t)}: ${e.what}`);
    lines.push('', '## Figures', '');
    for (const [k, v] of Object.entries(this.figures)) lines.push(`- ${k}: ${v}`);
    return `${lines.join('\n')}\n`;
  }
}

/** Waits until `via` reports a leader other than `old` (and not empty); returns its name. */
export function waitNewLeader(cluster: RealCluster, old: string, via: string, ms = 45_000): Promise<string> {
  return until(
    `a leader other than ${old} seen by ${via}`,
    async () => {
      const l = await cluster.leaderSeenBy(via);
      return l && l !== old ? l : undefined;
    },
    ms,
    100,
  );
}

/** Waits until every live server names the same leader; returns it. */
export function waitAgreedLeader(cluster: RealCluster, ms = 60_000): Promise<string> {
  return until(
    'every server to agree on one leader',
    async () => {
      const seen = await Promise.all(cluster.servers.map((s) => cluster.leaderSeenBy(s.name)));
      const first = seen[0];
      return first && seen.every((l) => l === first) ? first : undefined;
    },
    ms,
    100,
  );
}

export interface StaleAnswer {
  status: number;
  knownLeader: string | null;
  lastContact: number;
}

/** `GET /v1/kv/<key>?stale` on one agent, with the consistency headers. */
export async function staleRead(cluster: RealCluster, name: string, key: string): Promise<StaleAnswer> {
  const res = await fetch(`${cluster.agent(name).http}/v1/kv/${key}?stale`, { signal: AbortSignal.timeout(5000) });
  await res.text();
  return { status: res.status, knownLeader: res.headers.get('X-Consul-KnownLeader'), lastContact: Number(res.headers.get('X-Consul-LastContact') ?? '0') };
}

/** `GET /v1/kv/<key>?consistent` on one agent: the status and body (an error text on failure). */
export async function consistentRead(cluster: RealCluster, name: string, key: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`${cluster.agent(name).http}/v1/kv/${key}?consistent`, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: (await res.text()).trim() };
  } catch (e) {
    return { status: 0, body: (e as Error).message };
  }
}

/** One server's view of a prefix: `key=value@modifyIndex` lines, sorted (a `?stale` local read). */
export async function serverKv(cluster: RealCluster, name: string, prefix: string): Promise<string[]> {
  const res = await fetch(`${cluster.agent(name).http}/v1/kv/${prefix}?recurse&stale`, { signal: AbortSignal.timeout(5000) });
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  const pairs = (await res.json()) as Array<{ Key: string; Value: string | null; ModifyIndex: number }>;
  return pairs.map((p) => `${p.Key}=${p.Value == null ? '' : Buffer.from(p.Value, 'base64').toString()}@${p.ModifyIndex}`).sort();
}

/**
 * Waits until every server holds the same contents under `prefix`, with every acknowledged write
 * either present or overwritten by a later write to its key (its key holds a value written no
 * earlier than it was acknowledged). Returns the agreed contents.
 */
export async function waitConverged(cluster: RealCluster, prefix: string, history: KvHistory, ms = 60_000): Promise<string[]> {
  return until(
    `every server to hold the same ${prefix} contents`,
    async () => {
      const views = await Promise.all(cluster.servers.map((s) => serverKv(cluster, s.name, prefix)));
      const first = JSON.stringify(views[0]);
      if (!views.every((v) => JSON.stringify(v) === first)) return undefined;
      return views[0]!;
    },
    ms,
    200,
  ).then((contents) => {
    const missing = missingAcknowledged(contents, history);
    if (missing.length > 0) throw new Error(`acknowledged writes lost: ${missing.join(', ')}`);
    return contents;
  });
}

/**
 * Acknowledged writes absent from `contents`. Only keys written exactly once (the unique-key
 * writer's) can be judged this way: a register key is legitimately overwritten, and whether its
 * final value is right is the linearizability checker's call.
 */
export function missingAcknowledged(contents: string[], history: KvHistory): string[] {
  const have = new Map(contents.map((line) => {
    const at = line.lastIndexOf('@');
    const eq = line.indexOf('=');
    return [line.slice(0, eq), line.slice(eq + 1, at)] as const;
  }));
  const writesPerKey = new Map<string, number>();
  for (const e of history.events) if (e.type === 'invoke' && e.f === 'write') writesPerKey.set(e.key, (writesPerKey.get(e.key) ?? 0) + 1);
  return history
    .acknowledgedWrites()
    .filter((w) => writesPerKey.get(w.key) === 1 && have.get(w.key) !== w.value)
    .map((w) => `${w.key}=${w.value}`);
}

/** Sequential unique-key writes (`<prefix>/<n>`) through `via` until `stop` is set. */
export async function uniqueWriter(history: KvHistory, process: number, via: { name: string; http: string }, prefix: string, state: { stop: boolean }): Promise<void> {
  let failures = 0;
  for (let n = 0; !state.stop; n++) {
    const outcome = await history.write(process, via, `${prefix}/${String(n).padStart(4, '0')}`, `u${n}`, 4000);
    failures = outcome === 'ok' ? 0 : failures + 1;
    await sleep(failures === 0 ? 50 : Math.min(1000, 100 * 2 ** failures));
  }
}
