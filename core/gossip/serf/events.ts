/** What serf reports to its application: member changes, user events and queries. */

export type MemberStatus = 'none' | 'alive' | 'leaving' | 'left' | 'failed';

/** serf's Member. `addr` is the host (IP literal in real runtimes). */
export interface Member {
  name: string;
  addr: string;
  port: number;
  tags: Record<string, string>;
  status: MemberStatus;
  protocolMin: number;
  protocolMax: number;
  protocolCur: number;
  delegateMin: number;
  delegateMax: number;
  delegateCur: number;
}

export type MemberEventType = 'member-join' | 'member-leave' | 'member-failed' | 'member-update' | 'member-reap';

export interface MemberEvent {
  type: MemberEventType;
  members: Member[];
}

export interface UserEvent {
  type: 'user';
  ltime: number;
  name: string;
  payload: Uint8Array;
  coalesce: boolean;
}

export interface QueryEvent {
  type: 'query';
  ltime: number;
  name: string;
  payload: Uint8Array;
  id: number;
  sourceNode: string;
  /** Local time by which a response must be sent. */
  deadline: number;
  /** Sends a response; returns an error message when it cannot (too late, too large, twice). */
  respond(payload: Uint8Array): string | undefined;
}

export type SerfEvent = MemberEvent | UserEvent | QueryEvent;
