import { parseGoBool } from '../../go-flags.ts';
import { attempt, httpCommand } from '../../http-command.ts';
import { tabwrite } from '../../lib/columnize.ts';
import { nodeMetaQuery, setMapFlag } from '../../lib/flag-map.ts';

/** `consul catalog services [-node N] [-node-meta k=v] [-tags]`: names sorted, tags beside with -tags. */
export const catalogServicesCommand = httpCommand({
  help: `
Usage: consul catalog services [options]

  Retrieves the list services registered in a given datacenter. By default, the
  datacenter of the local agent is queried.

  To retrieve the list of services:

      $ consul catalog services

  To include the services' tags in the output:

      $ consul catalog services -tags

  To list services which run on a particular node:

      $ consul catalog services -node=web

  To filter services on node metadata:

      $ consul catalog services -node-meta="foo=bar"

  For a full list of options and examples, please see the Consul documentation.
`,
  defaults: () => ({ node: '', nodeMeta: new Map<string, string>(), tags: false }),
  flags: (fs, o) =>
    fs
      .add({ name: 'node', usage: 'Node `id or name` for which to list services.', set: (v) => void (o.node = v) })
      .add({
        name: 'node-meta',
        usage: 'Metadata to filter nodes with the given `key=value` pairs. If specified, only services running on nodes matching the given metadata will be returned. This flag may be specified multiple times to filter on multiple sources of metadata.',
        set: (v) => setMapFlag(o.nodeMeta, v),
      })
      .add({ name: 'tags', bool: true, usage: "Display each service's tags as a comma-separated list beside each service entry.", set: (v) => void (o.tags = parseGoBool(v)) }),
  async run({ args, opts, io, client }) {
    if (args.length > 0) {
      io.stderr(`Too many arguments (expected 0, got ${args.length})\n`);
      return 1;
    }
    const query = { 'node-meta': nodeMetaQuery(opts.nodeMeta) };
    const services = new Map<string, string[]>();
    if (opts.node) {
      const r = await attempt(io, 'Error listing services for node', () =>
        client.getJson<{ Services?: Record<string, { Service: string; Tags?: string[] | null }> } | null>(`/v1/catalog/node/${encodeURIComponent(opts.node)}`, { query }),
      );
      if (!r.ok) return 1;
      for (const s of Object.values(r.value.value?.Services ?? {})) services.set(s.Service, [...(services.get(s.Service) ?? []), ...(s.Tags ?? [])]);
    } else {
      const r = await attempt(io, 'Error listing services', () => client.getJson<Record<string, string[] | null>>('/v1/catalog/services', { query }));
      if (!r.ok) return 1;
      for (const [k, v] of Object.entries(r.value.value ?? {})) services.set(k, v ?? []);
    }
    if (services.size === 0) {
      io.stderr('No services match the given query - try expanding your search.\n');
      return 0;
    }
    const order = [...services.keys()].sort();
    if (opts.tags) io.stdout(`${tabwrite(order.map((s) => `${s}\t${[...services.get(s)!].sort().join(',')}`), 6).trim()}\n`);
    else for (const s of order) io.stdout(`${s}\n`);
    return 0;
  },
});
