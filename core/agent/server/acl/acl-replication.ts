import type { Command } from '../../../fsm/commands.ts';
import type { TimerHandle, TimeSource } from '../../../ports/clock.ts';
import type { Logger } from '../../../ports/logger.ts';
import { aclRead } from '../../../state/acl.ts';
import type { StateStore } from '../../../state/store.ts';
import type { ACLPolicy, ACLRole, ACLToken } from '../../../state/types.ts';
import type { QueryReply } from '../rpc-types.ts';

type NoIndex<T> = Omit<T, 'CreateIndex' | 'ModifyIndex'>;

/** Calls an RPC in another datacenter (the server's DC forwarding). */
export type RemoteCall = (dc: string, method: string, args: Record<string, unknown>) => Promise<unknown>;
type Propose = (command: Command) => Promise<void>;

/** What `GET /v1/acl/replication` reports (structs.ACLReplicationStatus). */
export interface ReplicationStatus {
  Enabled: boolean;
  Running: boolean;
  SourceDatacenter: string;
  ReplicationType: 'policies' | 'tokens';
  ReplicatedIndex: number;
  ReplicatedRoleIndex: number;
  ReplicatedTokenIndex: number;
  LastSuccessUnixMs: number;
  LastErrorUnixMs: number;
  LastErrorMessage: string;
}

/** JSON with sorted keys, so that equal rows compare equal whatever order their fields came in. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const strip = <T extends { CreateIndex: number; ModifyIndex: number }>(row: T): NoIndex<T> => {
  const { CreateIndex: _c, ModifyIndex: _m, ...rest } = row;
  return rest;
};

/**
 * ACL replication (Consul's leader_acl_replication.go): the leader of a secondary datacenter
 * copies the primary's policies and roles, and its global (non-local) tokens when
 * `enable_token_replication` is on, by listing them there every `intervalMs` and committing the
 * difference locally: new and changed objects are set, vanished ones deleted. Local tokens of this
 * datacenter are never touched.
 */
export class AclReplicator {
  private timer: TimerHandle | undefined;
  private running = false;
  readonly status: ReplicationStatus;

  constructor(
    private readonly o: {
      state: StateStore;
      primary: string;
      replicateTokens: boolean;
      time: TimeSource;
      wallMs: () => number;
      remote: RemoteCall;
      propose: Propose;
      logger: Logger;
      intervalMs?: number;
    },
  ) {
    this.status = {
      Enabled: true,
      Running: false,
      SourceDatacenter: o.primary,
      ReplicationType: o.replicateTokens ? 'tokens' : 'policies',
      ReplicatedIndex: 0,
      ReplicatedRoleIndex: 0,
      ReplicatedTokenIndex: 0,
      LastSuccessUnixMs: 0,
      LastErrorUnixMs: 0,
      LastErrorMessage: '',
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.status.Running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.status.Running = false;
    this.timer?.cancel();
  }

  /** Whether tokens have been copied at least once (then tokens resolve locally). */
  get tokensReplicated(): boolean {
    return this.o.replicateTokens && this.status.ReplicatedTokenIndex > 0;
  }

  private schedule(delay: number): void {
    this.timer = this.o.time.setTimer(delay, () => {
      if (!this.running) return;
      this.round().then(
        () => {
          this.status.LastSuccessUnixMs = this.o.wallMs();
        },
        (e: unknown) => {
          this.status.LastErrorUnixMs = this.o.wallMs();
          this.status.LastErrorMessage = e instanceof Error ? e.message : String(e);
          this.o.logger.log('warn', 'ACL replication error (will retry)', { error: this.status.LastErrorMessage });
        },
      ).finally(() => {
        if (this.running) this.schedule(this.o.intervalMs ?? 1000);
      });
    });
  }

  /** One pass: policies first (roles and tokens link to them), then roles, then tokens. */
  async round(): Promise<void> {
    const list = async <T>(method: string): Promise<QueryReply<T[]>> =>
      (await this.o.remote(this.o.primary, method, { Query: { Datacenter: this.o.primary, Mode: 'stale' } })) as QueryReply<T[]>;
    const policies = await list<ACLPolicy>('ACL.PolicyList');
    await this.sync(policies.Value, [...aclRead.policies(this.o.state).value], (p) => p.ID, (rows) => ({ type: 'acl-policy-set', policies: rows }), (ids) => ({ type: 'acl-policy-delete', ids }));
    this.status.ReplicatedIndex = policies.Index;
    const roles = await list<ACLRole>('ACL.RoleList');
    await this.sync(roles.Value, [...aclRead.roles(this.o.state).value], (r) => r.ID, (rows) => ({ type: 'acl-role-set', roles: rows }), (ids) => ({ type: 'acl-role-delete', ids }));
    this.status.ReplicatedRoleIndex = roles.Index;
    if (!this.o.replicateTokens) return;
    const tokens = await list<ACLToken>('ACL.TokenList');
    const local = [...aclRead.tokens(this.o.state).value].filter((t) => !t.Local);
    await this.sync(
      tokens.Value.filter((t) => !t.Local),
      local,
      (t) => t.AccessorID,
      (rows) => ({ type: 'acl-token-set', tokens: rows }),
      (ids) => ({ type: 'acl-token-delete', ids }),
    );
    this.status.ReplicatedTokenIndex = Math.max(1, tokens.Index);
  }

  private async sync<T extends { CreateIndex: number; ModifyIndex: number }>(
    remote: T[],
    local: T[],
    key: (row: T) => string,
    set: (rows: Array<NoIndex<T>>) => Command,
    del: (ids: string[]) => Command,
  ): Promise<void> {
    const mine = new Map(local.map((r) => [key(r), stable(strip(r))]));
    const changed = remote.filter((r) => mine.get(key(r)) !== stable(strip(r))).map(strip);
    const theirs = new Set(remote.map(key));
    const gone = local.map(key).filter((k) => !theirs.has(k));
    if (gone.length > 0) await this.o.propose(del(gone));
    if (changed.length > 0) await this.o.propose(set(changed));
  }
}
