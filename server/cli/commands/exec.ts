import { errorText } from '../api-client.ts';
import { parseGoBool } from '../go-flags.ts';
import { httpCommand } from '../http-command.ts';
import { parseGoDuration } from '../../../core/lib/duration.ts';
import { readStdin } from '../lib/read-input.ts';
import { decodeKvPairs, kvPath } from '../lib/kv-pair.ts';
import { destroySession, renewPeriodic } from '../lib/session.ts';

const HELP = `
Usage: consul exec [options] [-|command...]

  Evaluates a command on remote Consul nodes. The nodes responding can
  be filtered using regular expressions on node name, service, and tag
  definitions. If a command is '-', stdin will be read until EOF
  and used as a script input.
`;

interface ExecOpts {
  node: string;
  service: string;
  tag: string;
  prefix: string;
  shell: boolean;
  waitMs: number;
  replWaitMs: number;
  verbose: boolean;
}

/**
 * `consul exec [-node RE] [-service RE] [-tag RE] [-wait D] command...` (command/exec): remote
 * execution through KV and events, as Consul does it. A session (behavior delete) holds the job
 * spec at `_rexec/<session>/job`; a `_rexec` user event asks the matching agents to run it; agents
 * that allow remote execution write `<node>/ack`, `<node>/out/<n>` and `<node>/exit` under the
 * prefix, which this command follows with blocking reads until no node has been heard from for
 * -wait. Agents have remote exec disabled by default (disable_remote_exec), and then nobody
 * acknowledges: the command reports `0 / 0 node(s) completed / acknowledged`.
 */
export const execCommand = httpCommand<ExecOpts>({
  help: HELP,
  defaults: () => ({ node: '', service: '', tag: '', prefix: '_rexec', shell: true, waitMs: 2000, replWaitMs: 200, verbose: false }),
  flags: (fs, o) =>
    fs
      .add({ name: 'node', usage: 'Regular expression to filter on node names.', set: (v) => void (o.node = v) })
      .add({ name: 'service', usage: 'Regular expression to filter on service instances.', set: (v) => void (o.service = v) })
      .add({ name: 'tag', usage: 'Regular expression to filter on service tags. Must be used with -service.', set: (v) => void (o.tag = v) })
      .add({ name: 'prefix', defValue: '_rexec', usage: 'Prefix in the KV store to use for request data.', set: (v) => void (o.prefix = v) })
      .add({ name: 'shell', bool: true, defValue: 'true', usage: 'Use a shell to run the command.', set: (v) => void (o.shell = parseGoBool(v)) })
      .add({ name: 'wait', defValue: '2s', usage: 'Period to wait with no responses before terminating execution.', set: (v) => void (o.waitMs = parseGoDuration(v) / 1e6) })
      .add({ name: 'wait-repl', defValue: '200ms', usage: 'Period to wait for replication before firing event. This is an optimization to allow stale reads to be performed.', set: (v) => void (o.replWaitMs = parseGoDuration(v) / 1e6) })
      .add({ name: 'verbose', bool: true, usage: 'Enables verbose output.', set: (v) => void (o.verbose = parseGoBool(v)) }),
  async run({ args, opts, io, client }) {
    const fail = (t: string) => {
      io.stderr(`${t}\n`);
      return 1;
    };
    if (args.length === 0) return fail('Must specify a command to execute');
    if (opts.tag && !opts.service) return fail('Cannot provide tag filter without service filter.');
    let script: Buffer | null = null;
    let command = args.join(' ');
    if (args.length === 1 && args[0] === '-') {
      script = await readStdin();
      command = '';
    }
    try {
      await client.getJson('/v1/agent/self', { noDatacenter: true });
    } catch (e) {
      return fail(`Error querying Consul agent: ${errorText(e)}`);
    }
    let session: string;
    try {
      const s = await client.write<{ ID: string }>('PUT', '/v1/session/create', { Name: 'Remote Exec', Behavior: 'delete', TTL: '15s' });
      session = s?.ID ?? '';
    } catch (e) {
      return fail(`Failed to create session: ${errorText(e)}`);
    }
    const stopRenew = renewPeriodic(client, session, 15_000);
    const base = `${opts.prefix}/${session}`;
    try {
      const spec = { Command: command, Script: script ? script.toString('base64') : null, Wait: Math.round(opts.waitMs * 1e6) };
      const made = await client.write<boolean>('PUT', kvPath(`${base}/job`), JSON.stringify(spec), { query: { acquire: session } }).catch((e) => {
        throw new Error(`Failed to create job file: ${errorText(e)}`);
      });
      if (made !== true) throw new Error('Failed to create job file: failed to acquire key');
      if (opts.verbose) io.stdout(`Uploaded remote execution spec\n`);
      await new Promise((r) => setTimeout(r, opts.replWaitMs));
      const payload = JSON.stringify({ Prefix: opts.prefix, Session: session });
      const ev = await client
        .write<{ ID: string }>('PUT', '/v1/event/fire/_rexec', payload, { query: { node: opts.node || undefined, service: opts.service || undefined, tag: opts.tag || undefined } })
        .catch((e) => {
          throw new Error(`Failed to fire event: ${errorText(e)}`);
        });
      if (opts.verbose) io.stdout(`Fired remote execution event. ${ev?.ID ?? ''}\n`);
      const { acks, exits, bad } = await follow(client, base, opts.waitMs, io);
      io.stdout(`${exits} / ${acks} node(s) completed / acknowledged\n`);
      return bad ? 2 : 0;
    } catch (e) {
      return fail(errorText(e));
    } finally {
      stopRenew();
      // Behavior "delete": destroying the session removes the job; clear the rest of the prefix too.
      await destroySession(client, session).catch(() => {});
      await client.write('DELETE', kvPath(`${base}/`), undefined, { query: { recurse: true } }).catch(() => {});
    }
  },
});

/** Follows `<base>/<node>/{ack,out/N,exit}` until nothing new arrives for `waitMs` and every ack has exited. */
async function follow(client: Parameters<Parameters<typeof httpCommand<ExecOpts>>[0]['run']>[0]['client'], base: string, waitMs: number, io: { stdout(t: string): void }) {
  const seen = new Set<string>();
  const acked = new Set<string>();
  const exited = new Set<string>();
  let bad = false;
  let index = 0;
  let quietSince = Date.now();
  for (;;) {
    const left = waitMs - (Date.now() - quietSince);
    if (left <= 0 && acked.size === exited.size) break;
    const r = await client.request('GET', kvPath(`${base}/`), { query: { recurse: true, index: index ? String(index) : undefined, wait: `${Math.max(50, Math.ceil(left))}ms` }, accept: [404] });
    index = r.index;
    const pairs = r.status === 404 ? [] : decodeKvPairs(r.body.toString('utf8'));
    let fresh = false;
    for (const p of pairs) {
      if (seen.has(`${p.Key}@${p.ModifyIndex}`)) continue;
      seen.add(`${p.Key}@${p.ModifyIndex}`);
      const rest = p.Key.slice(base.length + 1);
      const [node, kind] = rest.split('/');
      if (!node || rest === 'job') continue;
      fresh = true;
      if (kind === 'ack') acked.add(node);
      else if (kind === 'out') {
        const lines = p.Value.toString('utf8').replace(/\n$/, '').split('\n');
        io.stdout(lines.map((l) => `    ${node}: ${l}\n`).join(''));
      }
      else if (kind === 'exit') {
        exited.add(node);
        const code = Number(p.Value.toString('utf8') || '0');
        if (code !== 0) bad = true;
        io.stdout(`==> ${node}: finished with exit code ${code}\n`);
      }
    }
    if (fresh) quietSince = Date.now();
  }
  return { acks: acked.size, exits: exited.size, bad };
}
