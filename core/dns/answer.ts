/**
 * A resolved answer before it is fitted to a transport: groups of records that are shuffled and
 * trimmed as units (one per service instance, node or server), plus fixed authority records.
 */
import type { Fragment } from './records.ts';

/** One shuffle/trim unit: its answer records and the additional records that belong to them. */
export interface AnswerEntry {
  answers: readonly Fragment[];
  /** Additional records (SRV target addresses, node-meta TXT, NS glue); shared fragments are deduplicated. */
  extra: readonly Fragment[];
}

/** How answers are capped before size-based trimming. */
export type AnswerLimitKind = 'none' | 'address' | 'srv' | 'ns';

/** Everything needed to write a reply for any transport and buffer size. */
export interface ResolvedAnswer {
  rcode: number;
  /** False only for REFUSED outside names: AA is set on everything in our domains. */
  authoritative: boolean;
  entries: readonly AnswerEntry[];
  /** Authority section (SOA on negative answers, NS for SOA queries): dropped first when trimming. */
  authority: readonly Fragment[];
  /** Shuffle entries on every reply (services, NS); prepared queries keep the server's order. */
  shuffle: boolean;
  limit: AnswerLimitKind;
  /** EDNS client-subnet scope prefix to echo (prepared queries use the source prefix). */
  ecsScopeFromSource: boolean;
}

/** An answer with no records and the given code (plus authority, e.g. the SOA). */
export function emptyAnswer(rcode: number, authority: readonly Fragment[], authoritative = true): ResolvedAnswer {
  return { rcode, authoritative, entries: [], authority, shuffle: false, limit: 'none', ecsScopeFromSource: false };
}
