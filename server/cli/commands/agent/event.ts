import { errorText } from '../../api-client.ts';
import { httpCommand } from '../../http-command.ts';

/** `consul event -name N [-node RE] [-service RE] [-tag RE] [payload]`: fires a user event; prints its ID. */
export const eventCommand = httpCommand({
  help: `
Usage: consul event [options] [payload]

  Dispatches a custom user event across a datacenter. An event must provide
  a name, but a payload is optional. Events support filtering using
  regular expressions on node name, service, and tag definitions.
`,
  defaults: () => ({ name: '', node: '', service: '', tag: '' }),
  flags: (fs, o) =>
    fs
      .add({ name: 'name', usage: 'Name of the event.', set: (v) => void (o.name = v) })
      .add({ name: 'node', usage: 'Regular expression to filter on node names.', set: (v) => void (o.node = v) })
      .add({ name: 'service', usage: 'Regular expression to filter on service instances.', set: (v) => void (o.service = v) })
      .add({ name: 'tag', usage: 'Regular expression to filter on service tags. Must be used with -service.', set: (v) => void (o.tag = v) }),
  async run({ args, opts, io, client }) {
    const fail = (t: string) => {
      io.stderr(`${t}\n`);
      return 1;
    };
    if (!opts.name) return fail('Event name must be specified');
    if (opts.tag && !opts.service) return fail('Cannot provide tag filter without service filter.');
    for (const [what, re] of [
      ['node', opts.node],
      ['service', opts.service],
      ['tag', opts.tag],
    ] as const) {
      try {
        if (re) new RegExp(re);
      } catch (e) {
        return fail(`Failed to compile ${what} filter regexp: ${errorText(e)}`);
      }
    }
    if (args.length > 1) return fail('Too many command line arguments.');
    const payload = args[0] ?? '';
    try {
      await client.getJson('/v1/agent/self', { noDatacenter: true });
    } catch (e) {
      return fail(`Error querying Consul agent: ${errorText(e)}`);
    }
    let id: string;
    try {
      const ev = await client.write<{ ID: string }>('PUT', `/v1/event/fire/${encodeURIComponent(opts.name)}`, payload === '' ? undefined : payload, {
        query: { node: opts.node || undefined, service: opts.service || undefined, tag: opts.tag || undefined },
      });
      id = ev?.ID ?? '';
    } catch (e) {
      return fail(`Error firing event: ${errorText(e)}`);
    }
    io.stdout(`Event ID: ${id}\n`);
    return 0;
  },
});
