import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';
import type { CheckInput, DeregisterRequest, RegisterRequest, ServiceInput } from '../state/catalog.ts';
import type { KVInput } from '../state/kv.ts';
import type { PreparedQueryInput } from '../state/prepared-queries.ts';
import type { SessionInput } from '../state/sessions.ts';
import type { TxnOp } from '../state/txn.ts';
import type { ACLPolicy, ACLRole, ACLToken, AutopilotConfig, Coordinate } from '../state/types.ts';

/**
 * Raft log commands: every write to the state store is one of these, msgpack-encoded inside a
 * versioned envelope `[COMMAND_VERSION, type, now, body]`.
 *
 * `now` is the leader's wall clock in unix milliseconds, stamped when the leader proposes the
 * command. The FSM never reads a clock: lock-delay windows (set on session invalidation, checked on
 * acquire) compare these stamps only, so every server computes the same result.
 *
 * bigint values (KV Flags, uint64) travel as msgpack extension type 1 holding the decimal digits, so
 * 3304740253564472344 round-trips exactly.
 */

export const COMMAND_VERSION = 1;

type NoIndex<T> = Omit<T, 'CreateIndex' | 'ModifyIndex'>;

export type KVSOp = 'set' | 'cas' | 'delete' | 'delete-cas' | 'delete-tree' | 'lock' | 'unlock';

/** Every state-changing operation. */
export type Command =
  | { type: 'register'; req: RegisterRequest }
  | { type: 'deregister'; req: DeregisterRequest }
  | { type: 'kvs'; op: KVSOp; entry: KVInput; index?: number; session?: string }
  | { type: 'session-create'; session: SessionInput }
  | { type: 'session-destroy'; id: string }
  | { type: 'txn'; ops: TxnOp[] }
  | { type: 'tombstone-reap'; index: number }
  | { type: 'acl-bootstrap'; token: NoIndex<ACLToken>; resetIndex?: number }
  | { type: 'acl-token-set'; tokens: Array<NoIndex<ACLToken>> }
  | { type: 'acl-token-delete'; ids: string[] }
  | { type: 'acl-policy-set'; policies: Array<NoIndex<ACLPolicy>> }
  | { type: 'acl-policy-delete'; ids: string[] }
  | { type: 'acl-role-set'; roles: Array<NoIndex<ACLRole>> }
  | { type: 'acl-role-delete'; ids: string[] }
  | { type: 'prepared-query-set'; query: PreparedQueryInput }
  | { type: 'prepared-query-delete'; id: string }
  | { type: 'coordinate-batch'; updates: Coordinate[] }
  | { type: 'autopilot-set'; config: Partial<NoIndex<AutopilotConfig>>; cas?: number }
  | { type: 'system-metadata-set'; entries: Array<{ Key: string; Value: string }> }
  | { type: 'system-metadata-delete'; keys: string[] }
  /** `PUT /v1/snapshot`: replaces the whole state with a state snapshot (core/state/snapshot.ts). */
  | { type: 'state-restore'; data: Uint8Array };

export type CommandType = Command['type'];

/** A decoded envelope. */
export interface Envelope {
  command: Command;
  /** Leader-stamped unix milliseconds. */
  now: number;
}

export type { CheckInput, ServiceInput };

const BIGINT_EXT = 1;
const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: BIGINT_EXT,
  encode: (v: unknown) => (typeof v === 'bigint' ? new TextEncoder().encode(v.toString()) : null),
  decode: (data: Uint8Array) => BigInt(new TextDecoder().decode(data)),
});

const encoder = new Encoder({ extensionCodec, ignoreUndefined: true });
const decoder = new Decoder({ extensionCodec });

/** Encodes a command with the leader's `now` (unix ms). */
export function encodeCommand(command: Command, now = 0): Uint8Array {
  const { type, ...body } = command;
  return encoder.encode([COMMAND_VERSION, type, now, body]);
}

/** A command that cannot be decoded. */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** Decodes an envelope; throws CommandError for anything malformed or of another version. */
export function decodeCommand(data: Uint8Array): Envelope {
  let raw: unknown;
  try {
    raw = decoder.decode(data);
  } catch (e) {
    throw new CommandError(`malformed command: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(raw) || raw.length !== 4) throw new CommandError('malformed command envelope');
  const [version, type, now, body] = raw as [unknown, unknown, unknown, unknown];
  if (version !== COMMAND_VERSION) throw new CommandError(`unsupported command version ${String(version)}`);
  if (typeof type !== 'string') throw new CommandError('missing command type');
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new CommandError('bad command timestamp');
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CommandError('bad command body');
  const command = { ...(body as object), type } as Command;
  validate(command);
  return { command, now };
}

const isStr = (v: unknown) => typeof v === 'string';
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isArr = (v: unknown) => Array.isArray(v);

function need(ok: boolean, what: string): void {
  if (!ok) throw new CommandError(`invalid command: ${what}`);
}

function stringMap(v: unknown): boolean {
  return v === undefined || v === null || (isObj(v) && Object.values(v as object).every(isStr));
}

function checkService(v: unknown, what: string): void {
  need(isObj(v), what);
  const s = v as Record<string, unknown>;
  need(isStr(s.Service), `${what}.Service`);
  need(s.Tags === undefined || s.Tags === null || (isArr(s.Tags) && (s.Tags as unknown[]).every(isStr)), `${what}.Tags`);
  need(stringMap(s.Meta), `${what}.Meta`);
  need(s.Port === undefined || isNum(s.Port), `${what}.Port`);
}

function checkCheck(v: unknown, what: string): void {
  need(isObj(v), what);
  const c = v as Record<string, unknown>;
  for (const f of ['Node', 'CheckID', 'Name', 'Status', 'Notes', 'Output', 'ServiceID', 'Type', 'Interval', 'Timeout']) {
    need(c[f] === undefined || isStr(c[f]), `${what}.${f}`);
  }
}

function checkKVInput(v: unknown, what: string): void {
  need(isObj(v), what);
  const e = v as Record<string, unknown>;
  need(isStr(e.Key), `${what}.Key`);
  need(e.Value === undefined || e.Value === null || e.Value instanceof Uint8Array, `${what}.Value`);
  need(e.Flags === undefined || typeof e.Flags === 'bigint', `${what}.Flags`);
}

function validate(c: Command): void {
  const b = c as unknown as Record<string, unknown>;
  switch (c.type) {
    case 'register': {
      need(isObj(b.req), 'req');
      const r = b.req as Record<string, unknown>;
      need(isStr(r.Node), 'req.Node');
      need(r.Address === undefined || isStr(r.Address), 'req.Address');
      need(stringMap(r.NodeMeta) && stringMap(r.TaggedAddresses), 'req.NodeMeta');
      if (r.Service !== undefined && r.Service !== null) checkService(r.Service, 'req.Service');
      if (r.Check !== undefined && r.Check !== null) checkCheck(r.Check, 'req.Check');
      if (r.Checks !== undefined && r.Checks !== null) {
        need(isArr(r.Checks), 'req.Checks');
        for (const [i, x] of (r.Checks as unknown[]).entries()) checkCheck(x, `req.Checks[${i}]`);
      }
      return;
    }
    case 'deregister':
      need(isObj(b.req) && isStr((b.req as Record<string, unknown>).Node), 'req.Node');
      return;
    case 'kvs':
      need(['set', 'cas', 'delete', 'delete-cas', 'delete-tree', 'lock', 'unlock'].includes(b.op as string), 'op');
      checkKVInput(b.entry, 'entry');
      need(b.index === undefined || isNum(b.index), 'index');
      need(b.session === undefined || isStr(b.session), 'session');
      return;
    case 'session-create':
      need(isObj(b.session) && isStr((b.session as Record<string, unknown>).ID), 'session');
      return;
    case 'session-destroy':
    case 'prepared-query-delete':
      need(isStr(b.id), 'id');
      return;
    case 'txn':
      need(isArr(b.ops) && (b.ops as unknown[]).every(isObj), 'ops');
      for (const op of b.ops as Array<Record<string, unknown>>) if (op.KV !== undefined) checkKVInput(op.KV, 'KV');
      return;
    case 'tombstone-reap':
      need(isNum(b.index), 'index');
      return;
    case 'acl-bootstrap':
      need(isObj(b.token), 'token');
      return;
    case 'acl-token-set':
      need(isArr(b.tokens) && (b.tokens as unknown[]).every(isObj), 'tokens');
      return;
    case 'acl-policy-set':
      need(isArr(b.policies) && (b.policies as unknown[]).every(isObj), 'policies');
      return;
    case 'acl-role-set':
      need(isArr(b.roles) && (b.roles as unknown[]).every(isObj), 'roles');
      return;
    case 'acl-token-delete':
    case 'acl-policy-delete':
    case 'acl-role-delete':
      need(isArr(b.ids) && (b.ids as unknown[]).every(isStr), 'ids');
      return;
    case 'prepared-query-set':
      need(isObj(b.query), 'query');
      return;
    case 'coordinate-batch':
      need(isArr(b.updates) && (b.updates as unknown[]).every(isObj), 'updates');
      return;
    case 'autopilot-set':
      need(isObj(b.config) && (b.cas === undefined || isNum(b.cas)), 'config');
      return;
    case 'system-metadata-set':
      need(isArr(b.entries) && (b.entries as unknown[]).every(isObj), 'entries');
      return;
    case 'system-metadata-delete':
      need(isArr(b.keys) && (b.keys as unknown[]).every(isStr), 'keys');
      return;
    case 'state-restore':
      need(b.data instanceof Uint8Array, 'data');
      return;
    default:
      throw new CommandError(`unknown command type "${(c as { type: string }).type}"`);
  }
}
