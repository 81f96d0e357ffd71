/**
 * The partitioned-leader scenario on the in-tab simulated cluster (lab/sim-runner LabRunner):
 * a client writes while the leader is cut off alone, the majority elects a new leader and takes
 * writes, the old leader refuses writes and consistent reads and answers stale reads flagged as
 * stale, then the network heals and every server converges.
 *
 * The two phases are self-contained functions (no imports at run time, nothing from outside their
 * bodies) so that a test can run them in a page against `window.__consulLab.runner` by their
 * source text, and in Node against a LabRunner: the same steps in both, at the same virtual times.
 */
import type { LabRunner } from '../../lab/sim-runner/lab-runner.ts';

/** What the scenario records and checks; plain JSON so it can leave the page. */
export interface SimPartitionRecord {
  servers: string[];
  writer: string;
  other: string;
  oldLeader: string;
  newLeader: string;
  /** Virtual times (ms). */
  electedAt: number;
  cutAt: number;
  newLeaderAt: number;
  healAt: number;
  convergedAt: number;
  acked: { key: string; value: string; at: number }[];
  failed: { key: string; status: number; text: string; at: number }[];
  minority: {
    put: { ok: boolean; status: number; text: string };
    consistent: { status: number; error: string };
    stale: { status: number; value: string | null; knownLeader: boolean; lastContactMs: number; staleComparedToLeader: boolean };
  };
  majorityPut: boolean;
  /** After heal: per server, last index, commit index and the log tail's (index, term, label). */
  logs: Record<string, { lastIndex: number; commit: number; tail: string[] }>;
  /** After heal: per server, the KV store read through its own HTTP API (`?stale`), key → value. */
  kv: Record<string, Record<string, string>>;
  lost: string[];
  traceHash: string;
  traceHashAtCut: string;
  now: number;
}

/**
 * Phase 1: elect, write, cut the leader off alone, keep writing through a client until the
 * majority's new leader has taken writes, then probe the minority. Fills `rec`.
 */
export async function simPartitionPhase1(runner: LabRunner, rec: Partial<SimPartitionRecord>): Promise<void> {
  const servers = runner.nodes.filter((n) => n.server).map((n) => n.id);
  const clients = runner.nodes.filter((n) => !n.server).map((n) => n.id);
  const writer = clients[0] ?? servers[0] ?? '';
  const other = clients[1] ?? writer;
  rec.servers = servers;
  rec.writer = writer;
  rec.other = other;
  rec.acked = [];
  rec.failed = [];
  const acked = rec.acked;
  const failed = rec.failed;
  let seq = 0;
  const write = async () => {
    const key = `hist/${String(seq).padStart(4, '0')}`;
    const value = `v${seq}`;
    seq++;
    const r = await runner.kvPut(writer, key, value);
    if (r.ok) acked.push({ key, value, at: runner.now });
    else failed.push({ key, status: r.status, text: r.text.trim(), at: runner.now });
  };
  // A leader that every server follows, and a client that can write through it.
  await runner.runUntil(() => {
    const l = runner.leader();
    return l !== undefined && runner.snapshot().nodes.every((n) => !n.server || n.leader === l);
  }, 30_000);
  const oldLeader = runner.leader() ?? '';
  if (oldLeader === '') throw new Error('no leader within 30 s of virtual time');
  rec.oldLeader = oldLeader;
  rec.electedAt = runner.now;
  for (let i = 0; i < 40 && acked.length < 5; i++) await write();
  if (!(await runner.kvPut(writer, 'probe', 'before the cut')).ok) throw new Error('the write before the cut failed');

  // The leader alone on one side, everyone else on the other.
  runner.partition([[oldLeader]]);
  rec.cutAt = runner.now;
  rec.traceHashAtCut = runner.traceHash();
  const ackedBefore = acked.length;
  // The client keeps writing (one request after another) while the time to a new leader is
  // measured to the quantum: both loops advance the same serialised virtual clock.
  let writing = true;
  const writerLoop = (async () => {
    while (writing) await write();
  })();
  let newLeader = '';
  await runner.runUntil(() => {
    const l = runner.leader();
    if (l === undefined || l === oldLeader) return false;
    newLeader = l;
    return true;
  }, 30_000);
  rec.newLeaderAt = runner.now;
  const newLeaderAt = runner.now;
  await runner.runUntil(() => acked.length >= ackedBefore + 5 && acked.some((a) => a.at > newLeaderAt), 30_000);
  writing = false;
  await writerLoop;
  rec.newLeader = newLeader;
  // The majority takes a write that the old leader cannot know about.
  rec.majorityPut = (await runner.kvPut(other, 'probe', 'after the cut')).ok;
  // The minority: no write, no consistent read; a stale read answers the old value, flagged.
  const put = await runner.kvPut(oldLeader, 'minority/write', 'must not be acknowledged');
  const consistent = await runner.kvGet(oldLeader, 'probe', 'consistent');
  const stale = await runner.kvGet(oldLeader, 'probe', 'stale');
  rec.minority = {
    put: { ok: put.ok, status: put.status, text: put.text.trim() },
    consistent: { status: consistent.status, error: consistent.error ?? '' },
    stale: { status: stale.status, value: stale.value, knownLeader: stale.knownLeader, lastContactMs: stale.lastContactMs, staleComparedToLeader: stale.staleComparedToLeader },
  };
}

/**
 * Phase 2: heal, write a little more, wait until every server holds the same log up to the same
 * index (all committed) and the same KV store, and list acknowledged writes that are missing.
 */
export async function simPartitionPhase2(runner: LabRunner, rec: Partial<SimPartitionRecord>): Promise<void> {
  const servers = rec.servers ?? [];
  const acked = rec.acked ?? [];
  const failed = rec.failed ?? [];
  runner.heal();
  rec.healAt = runner.now;
  for (let i = 0; i < 5; i++) {
    const key = `heal/${i}`;
    const r = await runner.kvPut(rec.writer ?? '', key, `h${i}`);
    if (r.ok) acked.push({ key, value: `h${i}`, at: runner.now });
    else failed.push({ key, status: r.status, text: r.text.trim(), at: runner.now });
  }
  const same = () => {
    const snaps = runner.snapshot().nodes.filter((n) => n.server);
    const first = snaps[0];
    return first !== undefined && snaps.every((n) => n.status === 'up' && n.lastIndex === first.lastIndex && n.commit === first.lastIndex && n.leader === first.leader && n.leader !== undefined);
  };
  await runner.runUntil(same, 60_000);
  rec.convergedAt = runner.now;
  rec.logs = {};
  rec.kv = {};
  for (const id of servers) {
    const d = runner.detail(id, 12);
    rec.logs[id] = { lastIndex: d.lastIndex, commit: d.commit, tail: d.log.map((e) => `${e.index}/${e.term} ${e.label}`) };
    const r = await runner.http(id, 'GET', '/v1/kv/?recurse&stale');
    const rows = r.status === 200 ? (JSON.parse(r.text) as { Key: string; Value: string | null }[]) : [];
    const kv: Record<string, string> = {};
    for (const row of rows) kv[row.Key] = row.Value ? new TextDecoder().decode(Uint8Array.from(atob(row.Value), (c) => c.charCodeAt(0))) : '';
    rec.kv[id] = kv;
  }
  const kvs = rec.kv;
  rec.lost = acked.filter((a) => servers.some((id) => kvs[id]?.[a.key] !== a.value)).map((a) => a.key);
  rec.traceHash = runner.traceHash();
  rec.now = runner.now;
}
