import {
  ANONYMOUS_ACCESSOR_ID,
  ANONYMOUS_DESCRIPTION,
  ANONYMOUS_SECRET_ID,
  GLOBAL_MANAGEMENT_DESCRIPTION,
  GLOBAL_MANAGEMENT_NAME,
  GLOBAL_MANAGEMENT_POLICY_ID,
  GLOBAL_MANAGEMENT_RULES,
  INITIAL_MANAGEMENT_DESCRIPTION,
} from '../../../acl/builtin.ts';
import type { Command } from '../../../fsm/commands.ts';
import { formatRfc3339 } from '../../../lib/rfc3339.ts';
import type { Logger } from '../../../ports/logger.ts';
import { aclRead } from '../../../state/acl.ts';
import type { StateStore } from '../../../state/store.ts';
import { contentHash } from './acl-objects.ts';

type Propose = (command: Command, done: (error: string | undefined) => void) => void;

/**
 * What a new leader of the primary datacenter makes sure exists when ACLs are enabled (Consul's
 * leader.go initializeACLs): the built-in global-management policy, the anonymous token (no
 * policies: the default policy decides for it), and the `initial_management` token when
 * configured. The latter goes through bootstrap while bootstrap is still possible, so that a
 * later `/v1/acl/bootstrap` is refused as in Consul.
 */
export function initializeAcls(
  state: StateStore,
  options: { initialManagement: string; wallMs: number; newUUID: () => string },
  propose: Propose,
  log: Logger,
): void {
  const done = (what: string) => (err: string | undefined) => {
    if (err) log.log('error', `failed to create ${what}`, { error: err });
    else log.log('info', `Created ACL ${what}`);
  };
  const created = formatRfc3339(options.wallMs);
  if (!aclRead.policy(state, GLOBAL_MANAGEMENT_POLICY_ID).value) {
    const policy = {
      ID: GLOBAL_MANAGEMENT_POLICY_ID,
      Name: GLOBAL_MANAGEMENT_NAME,
      Description: GLOBAL_MANAGEMENT_DESCRIPTION,
      Rules: GLOBAL_MANAGEMENT_RULES,
      Datacenters: null,
      Hash: contentHash([GLOBAL_MANAGEMENT_NAME, GLOBAL_MANAGEMENT_DESCRIPTION, GLOBAL_MANAGEMENT_RULES, null]),
    };
    propose({ type: 'acl-policy-set', policies: [policy] }, done('global-management policy'));
  }
  if (!aclRead.tokenByAccessor(state, ANONYMOUS_ACCESSOR_ID).value) {
    const token = {
      AccessorID: ANONYMOUS_ACCESSOR_ID,
      SecretID: ANONYMOUS_SECRET_ID,
      Description: ANONYMOUS_DESCRIPTION,
      Policies: [],
      Roles: [],
      Local: false,
      CreateTime: created,
      Hash: contentHash([ANONYMOUS_DESCRIPTION, [], [], null, null, false]),
    };
    propose({ type: 'acl-token-set', tokens: [token] }, done('anonymous token'));
  }
  const secret = options.initialManagement;
  if (secret && !aclRead.tokenBySecret(state, secret).value) {
    const policies = [{ ID: GLOBAL_MANAGEMENT_POLICY_ID, Name: GLOBAL_MANAGEMENT_NAME }];
    const token = {
      // A racing second proposal fails harmlessly: the SecretID is then already in use.
      AccessorID: options.newUUID(),
      SecretID: secret,
      Description: INITIAL_MANAGEMENT_DESCRIPTION,
      Policies: policies,
      Roles: [],
      Local: false,
      CreateTime: created,
      Hash: contentHash([INITIAL_MANAGEMENT_DESCRIPTION, policies, [], null, null, false]),
    };
    const command: Command = aclRead.bootstrapIndex(state) === 0 ? { type: 'acl-bootstrap', token } : { type: 'acl-token-set', tokens: [token] };
    propose(command, done('initial management token'));
  }
}
