import { attempt, httpCommand } from '../../http-command.ts';
import { type OutputOpts, outputFlags, print } from './acl-common.ts';
import { formatToken, type TokenView } from './acl-format.ts';

/** `consul acl bootstrap` (command/acl/bootstrap). */
export const aclBootstrapCommand = httpCommand({
  help: `
Usage: consul acl bootstrap [options]

  The bootstrap command will request Consul to generate a new token with unlimited privileges to use
  for management purposes and output its details. This can only be done once and afterwards bootstrapping
  will be disabled. If all tokens are lost and you need to bootstrap again you can follow the bootstrap
  reset procedure.
`,
  defaults: (): OutputOpts => ({ format: 'pretty', meta: false }),
  flags: (fs, o) => outputFlags(fs, o),
  async run({ args, opts, io, client }) {
    if (args.length > 0) {
      io.stderr('Should have no arguments\n');
      return 1;
    }
    const r = await attempt(io, 'Failed ACL bootstrapping', () => client.write<TokenView>('PUT', '/v1/acl/bootstrap'));
    if (!r.ok || !r.value) return 1;
    print(io, opts, r.value, formatToken);
    return 0;
  },
});
