/**
 * What a lab tab shows and exposes to tests (`window.__consulNode.state`): a plain JSON snapshot
 * of the node taken every refresh.
 */
import { decodeCommand } from '../../core/fsm/commands.ts';
import type { LogRecord } from '../../core/ports/storage.ts';
import { EntryType } from '../../core/raft/types.ts';
import type { PeerView } from '../net/peer-mesh.ts';

export interface MemberView {
  name: string;
  addr: string;
  status: string;
  role: 'server' | 'client';
}

export interface KvView {
  key: string;
  value: string;
  modifyIndex: number;
}

export interface LogEntryView {
  index: number;
  term: number;
  kind: string;
  /** For commands: the command type and, for KV writes, the key. */
  summary: string;
  committed: boolean;
}

export interface TabState {
  name: string;
  host: string;
  dc: string;
  /** leader, follower, candidate, pre-candidate for servers; client otherwise. */
  role: string;
  /** Raft term (servers), 0 on clients. */
  term: number;
  /** Leader's node name as this node sees it, or "". */
  leader: string;
  commitIndex: number;
  appliedIndex: number;
  firstIndex: number;
  lastIndex: number;
  /** The Raft log's last index as loaded from IndexedDB when the tab started (0 when fresh). */
  restoredLastIndex: number;
  members: MemberView[];
  /** The WAN pool (servers): every datacenter's servers, named `node.dc`. */
  wanMembers: MemberView[];
  /** Datacenters this node knows (servers: from the WAN pool, nearest first). */
  datacenters: string[];
  kv: KvView[];
  /** Last error reading the KV listing (no leader...), or "". */
  kvError: string;
  logTail: LogEntryView[];
  peers: PeerView[];
  cuts: { host: string; out: boolean; in: boolean }[];
  /** Log lines, newest last. */
  logs: string[];
  /** Wall time of the snapshot (ms). */
  at: number;
}

/** Names an entry for the log tail. */
export function describeEntry(e: LogRecord, commit: number): LogEntryView {
  const base = { index: e.index, term: e.term, committed: e.index <= commit };
  if (e.type === EntryType.Noop) return { ...base, kind: 'noop', summary: '' };
  if (e.type === EntryType.Configuration) return { ...base, kind: 'configuration', summary: '' };
  if (e.type !== EntryType.Normal) return { ...base, kind: `type ${e.type}`, summary: '' };
  try {
    const c = decodeCommand(e.data).command as unknown as { type: string; op?: string; entry?: { Key?: string }; req?: { Node?: string } };
    const key = c.type === 'kvs' ? ` ${c.op ?? ''} ${c.entry?.Key ?? ''}` : c.req?.Node ? ` ${c.req.Node}` : '';
    return { ...base, kind: 'command', summary: `${c.type}${key}`.trim() };
  } catch {
    return { ...base, kind: 'command', summary: `${e.data.length} bytes` };
  }
}
