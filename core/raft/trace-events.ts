/**
 * Raft's typed trace events, added to the shared TraceEventMap by module augmentation. The lab
 * animates them and the simulation checkers read them (one leader per term, commits never change).
 */
import type {} from '../ports/trace.ts';

declare module '../ports/trace.ts' {
  interface TraceEventMap {
    /** A role change: `state` in `term`, following `lead` ('' when unknown). */
    'raft.state': { term: number; state: string; lead: string };
    /** This server's term moved to `term`. */
    'raft.term': { term: number };
    /** A vote (or pre-vote) cast for `candidate` in `term`. */
    'raft.vote': { term: number; candidate: string; granted: boolean; pre: boolean };
    /** A campaign started (pre-vote or real vote). */
    'raft.campaign': { term: number; pre: boolean; force: boolean };
    /** Entries `first..last` of `term` were appended to this server's log (leader or follower). */
    'raft.append': { first: number; last: number; term: number; from: string };
    /** The commit index moved to `index` (entry term `term`). */
    'raft.commit': { index: number; term: number };
    /** Snapshots: a leader started sending one, a follower installed one, the driver took one. */
    'raft.snapshot': { action: 'send' | 'install' | 'take'; index: number; term: number; peer: string };
    /** The configuration in effect changed (on append) to the listed voters and non-voters. */
    'raft.config': { index: number; voters: string[]; nonvoters: string[] };
    /** A leadership transfer began or ended. */
    'raft.transfer': { to: string; action: 'start' | 'abort' | 'timeout-now' };
  }
}
