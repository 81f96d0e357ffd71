import { spawn } from 'node:child_process';
import { errorText } from '../api-client.ts';
import { parseGoBool } from '../go-flags.ts';
import { httpCommand } from '../http-command.ts';
import { sleep } from '../lib/blocking.ts';
import { type WatchParams, watchFn, watchJson } from '../lib/watch-plan.ts';

const HELP = `
Usage: consul watch [options] [child...]

  Watches for changes in a given data view from Consul. If a child process
  is specified, it will be invoked with the latest results on changes. Otherwise,
  the latest values are dumped to stdout and the watch terminates.

  Providing the watch type is required, and other parameters may be required
  or supported depending on the watch type.
`;

/** Blocking-query wait per request (the watch package uses the agent default; we ask for 5 minutes). */
const WAIT_MS = 300_000;
/** watch/plan.go: retry after an error, doubling up to the max. */
const RETRY_MS = 5_000;
const MAX_BACKOFF_MS = 640_000;

interface WatchOpts extends WatchParams {
  tag: string[];
  shell: boolean;
}

/**
 * `consul watch -type=<key|keyprefix|services|nodes|service|checks|event> [params] [handler...]`
 * (command/watch): without a handler prints the first result as indented JSON and exits; with one,
 * runs it (through the shell unless -shell=false) on the first result and on every change, with the
 * JSON on stdin and CONSUL_INDEX in the environment, until interrupted or a handler fails (exit 1).
 */
export const watchCommand = httpCommand<WatchOpts>({
  help: HELP,
  defaults: () => ({ type: '', tag: [], shell: true }),
  flags: (fs, o) =>
    fs
      .add({ name: 'type', usage: 'Specifies the watch type. One of key, keyprefix, services, nodes, service, checks, or event.', set: (v) => void (o.type = v) })
      .add({ name: 'key', usage: 'Specifies the key to watch. Only for \'key\' type.', set: (v) => void (o.key = v) })
      .add({ name: 'prefix', usage: "Specifies the key prefix to watch. Only for 'keyprefix' type.", set: (v) => void (o.prefix = v) })
      .add({ name: 'service', usage: "Specifies the service to watch. Required for 'service' type, optional for 'checks' type.", set: (v) => void (o.service = v) })
      .add({ name: 'tag', usage: "Specifies the service tag(s) to filter on. Optional for 'service' type. May be specified multiple times", set: (v) => void o.tag.push(v) })
      .add({ name: 'passingonly', usage: "Specifies if only hosts passing all checks are displayed. Optional for 'service' type, must be one of `[true|false]`. Defaults false.", set: (v) => void (o.passingonly = parseGoBool(v)) })
      .add({ name: 'state', usage: "Specifies the states to watch. Optional for 'checks' type.", set: (v) => void (o.state = v) })
      .add({ name: 'name', usage: "Specifies an event name to watch. Only for 'event' type.", set: (v) => void (o.name = v) })
      .add({ name: 'shell', bool: true, defValue: 'true', usage: 'Use a shell to run the command (can set a custom shell via the SHELL environment variable).', set: (v) => void (o.shell = parseGoBool(v)) }),
  async run({ args, opts, io, client }) {
    if (!opts.type) {
      io.stderr('Must specify watch type\n');
      return 1;
    }
    let fetch: ReturnType<typeof watchFn>;
    try {
      fetch = watchFn({ ...opts, tag: opts.tag.length ? opts.tag : undefined });
    } catch (e) {
      io.stderr(`${errorText(e)}\n`);
      return 1;
    }
    try {
      await client.getJson('/v1/agent/self', { noDatacenter: true });
    } catch (e) {
      io.stderr(`Error querying Consul agent: ${errorText(e)}\n`);
      return 1;
    }
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      return await runPlan(fetch, client, args, opts, io, stop);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
});

type Io = { stdout(t: string): void; stderr(t: string): void };

/** watch/plan.go Run: block, skip unchanged results, hand changes to the handler. */
async function runPlan(fetch: ReturnType<typeof watchFn>, client: Parameters<ReturnType<typeof watchFn>>[0], args: string[], opts: WatchOpts, io: Io, stop: AbortController): Promise<number> {
  let lastIndex = 0;
  let lastJson: string | undefined;
  let failures = 0;
  while (!stop.signal.aborted) {
    let got: { index: number; result: unknown };
    try {
      got = await fetch(client, lastIndex, WAIT_MS, stop.signal);
      failures = 0;
    } catch (e) {
      if (stop.signal.aborted) break;
      failures++;
      const backoff = Math.min(RETRY_MS * 2 ** (failures - 1), MAX_BACKOFF_MS);
      io.stderr(`[ERR] consul.watch: Watch (type: ${opts.type}) errored: ${errorText(e)}, retry in ${backoff / 1000}s\n`);
      await sleep(backoff, stop.signal);
      continue;
    }
    const changed = got.index !== lastIndex || lastIndex === 0;
    // An index that went backwards resets the watch (blocking.mdx).
    lastIndex = got.index < lastIndex ? 0 : got.index;
    const json = watchJson(got.result, undefined);
    if (!changed || json === lastJson) continue;
    lastJson = json;
    if (args.length === 0) {
      io.stdout(`${watchJson(got.result, '    ')}\n`);
      return 0;
    }
    if (!(await runHandler(args, opts.shell, got.index, `${json}\n`, io))) return 1;
  }
  return 0;
}

/** Runs the handler with the JSON on stdin; false (after printing why) if it failed. */
function runHandler(args: string[], shell: boolean, index: number, input: string, io: Io): Promise<boolean> {
  const env = { ...process.env, CONSUL_INDEX: String(index) };
  const proc = shell
    ? spawn(process.env.SHELL || '/bin/sh', ['-c', args.join(' ')], { env, stdio: ['pipe', 'inherit', 'inherit'] })
    : spawn(args[0]!, args.slice(1), { env, stdio: ['pipe', 'inherit', 'inherit'] });
  proc.stdin?.on('error', () => {}); // a handler that ignores stdin may close it early
  proc.stdin?.end(input);
  return new Promise((resolve) => {
    proc.once('error', (e) => {
      io.stderr(`Error starting handler: ${e.message}\n`);
      resolve(false);
    });
    proc.once('exit', (code, signal) => {
      if (code === 0) return resolve(true);
      io.stderr(`Error executing handler: ${signal ? `signal: ${signal}` : `exit status ${code}`}\n`);
      resolve(false);
    });
  });
}
