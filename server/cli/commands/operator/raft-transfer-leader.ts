import { attempt, httpCommand } from '../../http-command.ts';

/** `consul operator raft transfer-leader [-id=ID]`: prints `Success`. */
export const raftTransferLeaderCommand = httpCommand({
  help: `
Usage: consul operator raft transfer-leader [options]

  Transfer raft leadership to another node.
`,
  defaults: () => ({ id: '' }),
  flags: (fs, o) => fs.add({ name: 'id', usage: 'The ID of the node to transfer leadership to.', set: (v) => void (o.id = v) }),
  async run({ opts, io, client }) {
    const r = await attempt(io, 'Error transfering leadership', async () => {
      const reply = await client.write<{ Success?: boolean }>('POST', '/v1/operator/raft/transfer-leader', undefined, { query: { id: opts.id || undefined } }).catch((e) => {
        throw new Error(`Failed to transfer leadership ${(e as Error).message}`);
      });
      if (!reply?.Success) throw new Error('Failed to transfer leadership');
    });
    if (!r.ok) return 1;
    io.stdout('Success\n');
    return 0;
  },
});
