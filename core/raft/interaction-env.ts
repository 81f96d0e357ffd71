/**
 * A scripted environment for transcript tests of the Raft state machine, in the style of etcd's
 * rafttest InteractionEnv: several RawNodes, in-memory logs, a message queue per destination, and
 * verbs (`campaign 1`, `stabilize`, `deliver-msgs 2`, ...) whose printed output is compared with the
 * expected transcript in testdata/*.txt. Everything is deterministic: the election jitter comes
 * from a seeded Prng and messages are delivered in queue order.
 */
import { Prng } from '../lib/prng.ts';
import type { RaftConfig } from './config.ts';
import { describeConfiguration, encodeConfiguration } from './membership.ts';
import { type Defer, MemoryLogStore } from './memory-storage.ts';
import { RawNode } from './raw-node.ts';
import { type ConfChange, type Configuration, type Entry, EntryType, type Message, type Ready, type Snapshot } from './types.ts';

const dec = new TextDecoder();
const enc = new TextEncoder();
const noDefer: Defer = (fn) => fn();

interface EnvNode {
  id: string;
  node: RawNode;
  store: MemoryLogStore;
  applied: string[];
  appliedIndex: number;
  snapshot: Snapshot | undefined;
  /** Reads that completed, for `read-index` transcripts. */
  reads: string[];
}

/** Parsed `key=value` arguments of one command line. */
type Args = Map<string, string>;

export class InteractionEnv {
  private nodes = new Map<string, EnvNode>();
  private queue: Message[] = [];
  private readonly isolated = new Set<string>();
  private readonly rng = new Prng(1);

  /** Runs one command and returns its output (without trailing newline). */
  handle(line: string): string {
    const [verb = '', ...rest] = line.trim().split(/\s+/);
    const pos = rest.filter((w) => !w.includes('='));
    const args: Args = new Map(rest.filter((w) => w.includes('=')).map((w) => w.split('=', 2) as [string, string]));
    switch (verb) {
      case 'add-nodes':
        return this.addNodes(Number(pos[0]), args);
      case 'campaign':
        this.get(pos[0]).node.campaign();
        return this.processReady([pos[0]!]);
      case 'tick':
        return this.tick(pos[0], Number(pos[1] ?? '1'));
      case 'tick-election':
        return this.tick(pos[0], this.get(pos[0]).node.raft.cfg.electionTicks * 2);
      case 'tick-heartbeat':
        return this.tick(pos[0], this.get(pos[0]).node.raft.cfg.heartbeatTicks);
      case 'process-ready':
        return this.processReady(pos);
      case 'deliver-msgs':
        return this.deliver(pos, args.get('drop') === 'true', args.get('type'));
      case 'stabilize':
        return this.stabilize(pos);
      case 'propose':
        return this.guard(() => `index ${this.get(pos[0]).node.propose(enc.encode(pos[1] ?? ''))}`);
      case 'propose-conf-change':
        return this.guard(() => `index ${this.get(pos[0]).node.proposeConfChange(parseChange(pos.slice(1)))}`);
      case 'transfer-leadership':
        return this.guard(() => {
          this.get(args.get('from')).node.transferLeadership(args.get('to') ?? '');
          return 'ok';
        });
      case 'read-index':
        return this.guard(() => {
          this.get(pos[0]).node.readIndex(Number(pos[1]), args.get('lease') === 'true');
          return 'ok';
        });
      case 'isolate':
        this.isolated.add(pos[0]!);
        return 'ok';
      case 'heal':
        this.isolated.clear();
        return 'ok';
      case 'compact':
        return this.compact(pos[0], Number(pos[1]));
      case 'status':
        return this.status(pos);
      case 'raft-log':
        return this.raftLog(pos[0]);
      case 'applied':
        return this.get(pos[0]).applied.join(' ') || '(none)';
      default:
        throw new Error(`unknown verb ${verb}`);
    }
  }

  private guard(fn: () => string): string {
    try {
      return fn();
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  }

  private get(id: string | undefined): EnvNode {
    const n = this.nodes.get(id ?? '');
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  private ids(pos: string[]): string[] {
    return pos.length > 0 ? pos : [...this.nodes.keys()];
  }

  /**
   * `add-nodes N voters=(1,2,3) [nonvoters=(4)] [prevote=false] [checkquorum=false] [index=I]`:
   * creates N nodes numbered after the existing ones. With `voters`, the log holds one bootstrap
   * configuration entry at index 1 (term 1); without, the new nodes start empty (to be added).
   */
  private addNodes(n: number, args: Args): string {
    const list = (s: string | undefined) => (s ? s.replace(/[()]/g, '').split(',').filter(Boolean) : []);
    const voters = list(args.get('voters'));
    const nonvoters = list(args.get('nonvoters'));
    const config: Configuration = {
      servers: [
        ...voters.map((id) => ({ id, address: `addr-${id}`, suffrage: 'voter' as const })),
        ...nonvoters.map((id) => ({ id, address: `addr-${id}`, suffrage: 'nonvoter' as const })),
      ],
    };
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = String(this.nodes.size + 1);
      const store = new MemoryLogStore(noDefer);
      if (config.servers.length > 0) {
        store.append([{ index: 1, term: 1, type: EntryType.Configuration, data: encodeConfiguration(config) }]);
      }
      const cfg: RaftConfig = {
        id,
        electionTicks: Number(args.get('election') ?? 10),
        heartbeatTicks: Number(args.get('heartbeat') ?? 1),
        leaseTicks: Number(args.get('lease') ?? 5),
        checkQuorum: args.get('checkquorum') !== 'false',
        preVote: args.get('prevote') !== 'false',
        maxMsgBytes: 1024,
        maxEntriesPerMsg: 16,
        maxInflightMsgs: Number(args.get('inflight') ?? 4),
        maxInflightBytes: 0,
        maxApplyBytes: 1 << 20,
        snapshotChunkBytes: Number(args.get('chunk') ?? 8),
        random: this.rng.split(`node-${id}`),
      };
      const en: EnvNode = { id, node: undefined as unknown as RawNode, store, applied: [], appliedIndex: 0, snapshot: undefined, reads: [] };
      const term = config.servers.length > 0 ? 1 : 0;
      en.node = new RawNode(cfg, {
        log: store,
        bounds: { firstIndex: store.firstIndex(), lastIndex: store.lastIndex(), snapshotIndex: 0, snapshotTerm: 0 },
        term,
        vote: '',
        snapshotConfiguration: { servers: [] },
        snapshotSource: () => en.snapshot,
      });
      this.nodes.set(id, en);
      out.push(`${id}: ${describeConfiguration(en.node.raft.config)} term=${term} last=${store.lastIndex()}`);
    }
    return out.join('\n');
  }

  private tick(id: string | undefined, n: number): string {
    const node = this.get(id).node;
    for (let i = 0; i < n; i++) node.tick();
    return this.processReady([id!]);
  }

  private processReady(pos: string[]): string {
    const out: string[] = [];
    for (const id of this.ids(pos)) {
      const en = this.get(id);
      if (!en.node.hasReady()) continue;
      const rd = en.node.ready();
      out.push(`> ${id} handling Ready`);
      for (const l of this.handleReady(en, rd)) out.push(`  ${l}`);
    }
    return out.length > 0 ? out.join('\n') : 'ok';
  }

  /** Does what a driver does with a Ready, printing each step. */
  private handleReady(en: EnvNode, rd: Ready): string[] {
    const out: string[] = [];
    if (rd.softState) out.push(`State:${rd.softState.state} Lead:${rd.softState.lead || '-'}`);
    if (rd.hardState) out.push(`HardState Term:${rd.hardState.term} Vote:${rd.hardState.vote || '-'} Commit:${rd.hardState.commit}`);
    if (rd.snapshot) {
      const s = rd.snapshot;
      out.push(`Snapshot Index:${s.index} Term:${s.term} ${describeConfiguration(s.configuration)}`);
      en.store.truncateFrom(en.store.firstIndex());
      en.store.compactTo(s.index);
      en.snapshot = s;
      en.applied = JSON.parse(dec.decode(s.data)) as string[];
      en.appliedIndex = s.index;
    }
    if (rd.entries.length > 0) {
      out.push(`Entries: ${rd.entries.map(fmtEntry).join(', ')}`);
      const first = rd.entries[0]!.index;
      if (first <= en.store.lastIndex()) en.store.truncateFrom(first);
      en.store.append(rd.entries);
    }
    const msgs = [...rd.leaderMessages, ...rd.messages];
    if (msgs.length > 0) {
      out.push('Messages:');
      for (const m of msgs) out.push(`  ${fmtMessage(m)}`);
      this.queue.push(...msgs);
    }
    if (rd.committedEntries.length > 0) {
      out.push(`Applying: ${rd.committedEntries.map(fmtEntry).join(', ')}`);
      for (const e of rd.committedEntries) this.apply(en, e);
    }
    for (const rs of rd.readStates) {
      out.push(`ReadState Index:${rs.index} Ctx:${rs.ctx}`);
      en.reads.push(`${rs.ctx}@${rs.index}`);
    }
    en.node.advance(rd);
    return out;
  }

  private apply(en: EnvNode, e: Entry): void {
    if (e.type === EntryType.Normal) en.applied.push(dec.decode(e.data));
    en.appliedIndex = e.index;
  }

  /** Delivers queued messages addressed to the given nodes (all when none given). */
  private deliver(pos: string[], drop: boolean, type?: string): string {
    const targets = new Set(this.ids(pos));
    const out: string[] = [];
    const keep: Message[] = [];
    const batch: Message[] = [];
    for (const m of this.queue) {
      if (targets.has(m.to) && (!type || m.type === type)) batch.push(m);
      else keep.push(m);
    }
    this.queue = keep;
    for (const m of batch) {
      const cut = this.isolated.has(m.to) || this.isolated.has(m.from);
      if (drop || cut || !this.nodes.has(m.to)) {
        out.push(`dropped: ${fmtMessage(m)}`);
        continue;
      }
      out.push(fmtMessage(m));
      this.get(m.to).node.step(m);
    }
    return out.length > 0 ? out.join('\n') : 'ok';
  }

  /** Alternates process-ready and deliver-msgs until nothing changes. */
  private stabilize(pos: string[]): string {
    const ids = this.ids(pos);
    const out: string[] = [];
    for (let round = 0; round < 100; round++) {
      const r = this.processReady(ids);
      const pending = this.queue.length > 0;
      if (r !== 'ok') out.push(r);
      if (!pending && r === 'ok') break;
      for (const id of this.nodes.keys()) {
        if (!this.queue.some((m) => m.to === id)) continue;
        out.push(`> ${id} receiving messages`);
        for (const l of this.deliver([id], false).split('\n')) out.push(`  ${l}`);
      }
    }
    return out.length > 0 ? out.join('\n') : 'ok';
  }

  /** `compact N I`: node N snapshots its applied state at I (<= applied) and compacts its log. */
  private compact(id: string | undefined, index: number): string {
    const en = this.get(id);
    if (index > en.appliedIndex) return `error: index ${index} not applied (applied ${en.appliedIndex})`;
    const term = en.node.raft.log.term(index) ?? 0;
    const upTo = en.applied.slice(0, this.countNormal(en, index));
    en.snapshot = { index, term, configuration: en.node.raft.config, data: enc.encode(JSON.stringify(upTo)) };
    en.store.compactTo(index);
    en.node.compacted(index, term, en.store.firstIndex());
    return `snapshot ${index}/${term}, log now ${en.store.firstIndex()}..${en.store.lastIndex()}`;
  }

  /** How many normal entries were applied up to `index` (the applied list holds only those). */
  private countNormal(en: EnvNode, index: number): number {
    let n = en.snapshot && en.snapshot.index <= index ? (JSON.parse(dec.decode(en.snapshot.data)) as string[]).length : 0;
    const from = en.snapshot && en.snapshot.index <= index ? en.snapshot.index + 1 : en.store.firstIndex();
    for (let i = from; i <= index; i++) if (en.store.get(i)?.type === EntryType.Normal) n++;
    return n;
  }

  private status(pos: string[]): string {
    return this.ids(pos)
      .map((id) => {
        const s = this.get(id).node.status();
        const peers = s.peers.map((p) => `${p.id}:${p.state}(${p.match}/${p.next})`).join(' ');
        return `${id}: ${s.state} term=${s.term} lead=${s.lead || '-'} commit=${s.commit} last=${s.lastIndex} ${describeConfiguration(s.configuration)}${peers ? ` peers=[${peers}]` : ''}`;
      })
      .join('\n');
  }

  private raftLog(id: string | undefined): string {
    const en = this.get(id);
    const r = en.node.raft.log;
    const es = r.entries(r.firstIndex(), r.lastIndex(), Number.POSITIVE_INFINITY);
    return es.length > 0 ? es.map(fmtEntry).join('\n') : `(empty; snapshot ${r.snapshotIndex}/${r.snapshotTerm})`;
  }
}

function parseChange(words: string[]): ConfChange {
  const [type, id = ''] = words;
  switch (type) {
    case 'addVoter':
    case 'addNonvoter':
      return { type, id, address: `addr-${id}` };
    case 'promote':
    case 'demote':
    case 'remove':
      return { type, id };
    default:
      throw new Error(`unknown change ${type}`);
  }
}

/** `term/index kind[ "data"]`, like etcd's entry formatting. */
export function fmtEntry(e: Entry): string {
  if (e.type === EntryType.Noop) return `${e.term}/${e.index} noop`;
  if (e.type === EntryType.Configuration) return `${e.term}/${e.index} config`;
  return `${e.term}/${e.index} "${dec.decode(e.data)}"`;
}

/** One message in transcript form. */
export function fmtMessage(m: Message): string {
  let s = `${m.from}->${m.to} ${m.type} Term:${m.term}`;
  switch (m.type) {
    case 'MsgApp':
      s += ` Log:${m.logTerm}/${m.index} Commit:${m.commit}`;
      if (m.entries.length > 0) s += ` Entries:[${m.entries.map(fmtEntry).join(', ')}]`;
      break;
    case 'MsgAppResp':
      s += m.reject ? ` Rejected:${m.index} Hint:${m.logTerm}/${m.rejectHint}` : ` Index:${m.index}`;
      break;
    case 'MsgVote':
    case 'MsgPreVote':
      s += ` Log:${m.logTerm}/${m.index}${m.force ? ' Force' : ''}`;
      break;
    case 'MsgVoteResp':
    case 'MsgPreVoteResp':
      s += m.reject ? ' Rejected' : ' Granted';
      break;
    case 'MsgHeartbeat':
      s += ` Commit:${m.commit}${m.ctx ? ` Ctx:${m.ctx}` : ''}`;
      break;
    case 'MsgHeartbeatResp':
      if (m.ctx) s += ` Ctx:${m.ctx}`;
      break;
    case 'MsgSnap':
    case 'MsgSnapResp': {
      const c = m.snapshot;
      if (c) s += ` Snapshot:${c.term}/${c.index} Offset:${c.offset}${m.type === 'MsgSnap' ? ` Bytes:${c.data.length}/${c.total}${c.done ? ' Done' : ''}` : ''}${m.reject ? ' Rejected' : ''}`;
      break;
    }
    default:
  }
  return s;
}
