import { errorText } from '../../api-client.ts';
import { parseGoBool, parseGoInt } from '../../go-flags.ts';
import { httpCommand, httpUsage } from '../../http-command.ts';

interface KeyringResponse {
  WAN: boolean;
  Datacenter: string;
  Segment?: string;
  Keys: Record<string, number> | null;
  PrimaryKeys?: Record<string, number> | null;
  NumNodes: number;
}

/**
 * handleList: one block per pool (`WAN:` or `<dc> (LAN):`), `  <key> [<nodes with it>/<nodes>]`;
 * with `primary`, the primary keys instead of every installed key (`-list-primary`).
 */
export function formatKeyring(responses: readonly KeyringResponse[], primary = false): string {
  let out = '';
  for (const r of responses) {
    let pool = `${r.Datacenter} (LAN)`;
    if (r.Segment) pool += ` [${r.Segment}]`;
    if (r.WAN) pool = 'WAN';
    out += `\n${pool}:\n`;
    const keys = (primary ? r.PrimaryKeys : r.Keys) ?? {};
    for (const k of Object.keys(keys).sort()) out += `  ${k} [${keys[k]}/${r.NumNodes}]\n`;
  }
  return out;
}

interface KeyringOpts {
  install: string;
  use: string;
  remove: string;
  list: boolean;
  listPrimary: boolean;
  localOnly: boolean;
  relay: number;
}

const spec = {
  help: `
Usage: consul keyring [options]

  Manages encryption keys used for gossip messages. Gossip encryption is
  optional. When enabled, this command may be used to examine active encryption
  keys in the cluster, add new keys, and remove old ones. When combined, this
  functionality provides the ability to perform key rotation cluster-wide,
  without disrupting the cluster.

  All operations performed by this command can only be run against server nodes,
  and affect both the LAN and WAN keyrings in lock-step.

  All variations of the keyring command return 0 if all nodes reply and there
  are no errors. If any node fails to reply or reports failure, the exit code
  will be 1.
`,
  serverFlags: false,
  defaults: (): KeyringOpts => ({ install: '', use: '', remove: '', list: false, listPrimary: false, localOnly: false, relay: 0 }),
  flags: (fs: import('../../go-flags.ts').FlagSet, o: KeyringOpts) =>
    void fs
      .add({ name: 'install', usage: 'Install a new encryption key. This will broadcast the new key to all members in the cluster.', set: (v) => void (o.install = v) })
      .add({ name: 'use', usage: 'Change the primary encryption key, which is used to encrypt messages. The key must already be installed before this operation can succeed.', set: (v) => void (o.use = v) })
      .add({ name: 'remove', usage: 'Remove the given key from the cluster. This operation may only be performed on keys which are not currently the primary key.', set: (v) => void (o.remove = v) })
      .add({ name: 'list', bool: true, usage: 'List all keys currently in use within the cluster.', set: (v) => void (o.list = parseGoBool(v)) })
      .add({ name: 'list-primary', bool: true, usage: 'List all primary keys currently in use within the cluster.', set: (v) => void (o.listPrimary = parseGoBool(v)) })
      .add({
        name: 'local-only',
        bool: true,
        usage: 'Setting this to true will force the keyring query to only hit local servers (no WAN traffic). This flag can only be set for list queries.',
        set: (v) => void (o.localOnly = parseGoBool(v)),
      })
      .add({
        name: 'relay-factor',
        usage: 'Setting this to a non-zero value will cause nodes to relay their response to the operation through this many randomly-chosen other nodes in the cluster. The maximum allowed value is 5.',
        set: (v) => void (o.relay = parseGoInt(v)),
      }),
};

/** `consul keyring -list | -install K | -use K | -remove K [-relay-factor N]` over /v1/operator/keyring. */
export const keyringCommand = httpCommand<KeyringOpts>({
  ...spec,
  async run({ opts, io, client }) {
    const actions = [opts.list || opts.listPrimary, opts.install, opts.use, opts.remove].filter(Boolean).length;
    if (actions > 1) {
      io.stderr('Only a single action is allowed\n');
      return 1;
    }
    if (actions === 0) {
      io.stderr(`${httpUsage(spec)}`);
      return 1;
    }
    if (opts.relay < 0 || opts.relay > 5) {
      io.stderr('Error parsing relay factor: relay factor must be in range: [0, 5]\n');
      return 1;
    }
    const listing = opts.list || opts.listPrimary;
    if (opts.localOnly && !listing) {
      io.stderr('Local-only can only be set for list queries\n');
      return 1;
    }
    const query = { 'relay-factor': opts.relay ? String(opts.relay) : undefined };
    try {
      if (listing) {
        io.stdout(opts.listPrimary ? '==> Gathering installed primary encryption keys...\n' : '==> Gathering installed encryption keys...\n');
        const r = await client.getJson<KeyringResponse[]>('/v1/operator/keyring', { query: { ...query, 'local-only': opts.localOnly ? 'true' : undefined } });
        io.stdout(formatKeyring(r.value ?? [], opts.listPrimary));
        return 0;
      }
      const [method, what, key] = opts.install ? ['POST', 'Installing new gossip encryption key...', opts.install] : opts.use ? ['PUT', 'Changing primary gossip encryption key...', opts.use] : ['DELETE', 'Removing gossip encryption key...', opts.remove];
      io.stdout(`==> ${what}\n`);
      await client.write(method, '/v1/operator/keyring', { Key: key }, { query });
      return 0;
    } catch (e) {
      io.stderr(`error: ${errorText(e)}\n`);
      return 1;
    }
  },
});
