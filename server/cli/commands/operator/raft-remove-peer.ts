import { errorText } from '../../api-client.ts';
import { httpCommand } from '../../http-command.ts';

/** `consul operator raft remove-peer -address=IP:port | -id=ID`. */
export const raftRemovePeerCommand = httpCommand({
  help: `
Usage: consul operator raft remove-peer [options]

Remove the Consul server with given -id from the Raft configuration.

There are rare cases where a peer may be left behind in the Raft quorum even
though the server is no longer present and known to the cluster. This command
can be used to remove the failed server so that it is no longer affects the Raft
quorum. If the server still shows in the output of the "consul members" command,
it is preferable to clean up by simply running "consul force-leave" instead of
this command.
`,
  defaults: () => ({ address: '', id: '' }),
  flags: (fs, o) =>
    fs
      .add({ name: 'address', usage: 'The address to remove from the Raft configuration.', set: (v) => void (o.address = v) })
      .add({ name: 'id', usage: 'The ID to remove from the Raft configuration.', set: (v) => void (o.id = v) }),
  async run({ opts, io, client }) {
    try {
      if (!opts.address && !opts.id) throw new Error('an address or id is required for the peer to remove');
      if (opts.address && opts.id) throw new Error('cannot give both an address and id');
      await client.write('DELETE', '/v1/operator/raft/peer', undefined, { query: opts.id ? { id: opts.id } : { address: opts.address } });
    } catch (e) {
      io.stderr(`Error removing peer: ${errorText(e)}\n`);
      return 1;
    }
    io.stdout(opts.address ? `Removed peer with address "${opts.address}"\n` : `Removed peer with id "${opts.id}"\n`);
    return 0;
  },
});
