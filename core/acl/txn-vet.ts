import type { TxnOp } from '../state/txn.ts';
import type { AclIdentity } from './identity.ts';

const KV_READ = new Set(['get', 'get-tree', 'get-or-empty', 'check-index', 'check-session', 'check-not-exists']);

/** The ACL check of one txn op (Consul's txn_endpoint vet*TxnOp); the denial text, or undefined. */
export function vetTxnOp(acl: AclIdentity, op: TxnOp): string | undefined {
  try {
    if ('KV' in op) {
      const kv = op.KV;
      if (kv.Verb === 'delete-tree') acl.requireKeyWritePrefix(kv.Key);
      else acl.require('key', kv.Key, KV_READ.has(kv.Verb) ? 'read' : 'write');
    } else if ('Node' in op) {
      acl.require('node', op.Node.Node?.Node ?? '', op.Node.Verb === 'get' ? 'read' : 'write');
    } else if ('Service' in op) {
      acl.require('service', op.Service.Service?.Service ?? '', op.Service.Verb === 'get' ? 'read' : 'write');
    } else if ('Check' in op) {
      const c = op.Check.Check;
      const level = op.Check.Verb === 'get' ? 'read' : 'write';
      if (c?.ServiceID) acl.require('service', (c as { ServiceName?: string }).ServiceName || c.ServiceID, level);
      else acl.require('node', c?.Node ?? '', level);
    }
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
