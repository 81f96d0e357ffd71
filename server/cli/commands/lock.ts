import { type ChildProcess, spawn } from 'node:child_process';
import { parseGoDuration } from '../../../core/lib/duration.ts';
import { errorText } from '../api-client.ts';
import { parseGoBool, parseGoInt } from '../go-flags.ts';
import { httpCommand } from '../http-command.ts';
import { sleep } from '../lib/blocking.ts';
import { InUseError, KvLock, type LockUnlock } from '../lib/kv-lock.ts';
import { KvSemaphore, SEMAPHORE_KEY } from '../lib/kv-semaphore.ts';

/** Between SIGTERM and SIGKILL when the lock is lost (lockKillGracePeriod). */
const KILL_GRACE_MS = 5_000;
const MONITOR_RETRY_MS = 1_000;

const HELP = `
Usage: consul lock [options] prefix child...

  Acquires a lock or semaphore at a given path, and invokes a child process
  when successful. The child process can assume the lock is held while it
  executes. If the lock is lost or communication is disrupted the child
  process will be sent a SIGTERM signal and given time to gracefully exit.
  After the grace period expires the process will be hard terminated.

  When -n=1, only a single lock holder or leader exists providing mutual
  exclusion. Setting a higher value switches to a semaphore allowing multiple
  holders to coordinate.

  The prefix provided must have write privileges.
`;

interface LockOpts {
  childExitCode: boolean;
  limit: number;
  monitorRetry: number;
  name: string;
  passStdin: boolean;
  shell: boolean;
  timeoutMs: number;
  verbose: boolean;
}

/** Go's exec error text for a finished child. */
function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${signal === 'SIGTERM' ? 'terminated' : signal === 'SIGKILL' ? 'killed' : signal}`;
  return `exit status ${code}`;
}

/**
 * `consul lock [-n N] [-name] [-timeout D] [-shell] [-pass-stdin] [-child-exit-code]
 * [-monitor-retry N] [-verbose] prefix child...` (command/lock): holds `<prefix>/.lock` (or the
 * `-n` semaphore under the prefix) while the child runs with CONSUL_LOCK_HELD=true; if the lock is
 * lost, or on SIGINT/SIGTERM, the child gets SIGTERM and SIGKILL after 5s; then the lock is released
 * and its key cleaned up when nobody else uses it.
 */
export const lockCommand = httpCommand<LockOpts>({
  help: HELP,
  defaults: () => ({ childExitCode: false, limit: 1, monitorRetry: 3, name: '', passStdin: false, shell: true, timeoutMs: 0, verbose: false }),
  flags: (fs, o) =>
    fs
      .add({
        name: 'child-exit-code',
        bool: true,
        usage: "Exit 2 if the child process exited with an error if this is true, otherwise this doesn't propagate an error from the child. The default value is false.",
        set: (v) => void (o.childExitCode = parseGoBool(v)),
      })
      .add({
        name: 'n',
        defValue: '1',
        usage: 'Optional limit on the number of concurrent lock holders. The underlying implementation switches from a lock to a semaphore when the value is greater than 1. The default value is 1.',
        set: (v) => void (o.limit = parseGoInt(v)),
      })
      .add({
        name: 'monitor-retry',
        defValue: '3',
        usage:
          'Number of times to retry if Consul returns a 500 error while monitoring the lock. This allows riding out brief periods of unavailability without causing leader elections, but increases the amount of time required to detect a lost lock in some cases. The default value is 3, with a 1s wait between retries. Set this value to 0 to disable retires.',
        set: (v) => void (o.monitorRetry = parseGoInt(v)),
      })
      .add({ name: 'name', usage: 'Optional name to associate with the lock session. It not provided, one is generated based on the provided child command.', set: (v) => void (o.name = v) })
      .add({ name: 'pass-stdin', bool: true, usage: 'Pass stdin to the child process.', set: (v) => void (o.passStdin = parseGoBool(v)) })
      .add({ name: 'shell', bool: true, defValue: 'true', usage: 'Use a shell to run the command (can set a custom shell via the SHELL environment variable).', set: (v) => void (o.shell = parseGoBool(v)) })
      .add({
        name: 'timeout',
        usage: 'Maximum amount of time to wait to acquire the lock, specified as a duration like "1s" or "3h". The default value is 0.',
        set: (v) => void (o.timeoutMs = parseGoDuration(v) / 1e6),
      })
      .add({ name: 'try', usage: 'DEPRECATED. Use -timeout instead.', set: (v) => void (o.timeoutMs = parseGoDuration(v) / 1e6) })
      .add({ name: 'verbose', bool: true, usage: 'Enable verbose (debugging) output.', set: (v) => void (o.verbose = parseGoBool(v)) }),
  async run({ args, opts, io, client }) {
    const info = (t: string) => opts.verbose && io.stdout(`${t}\n`);
    if (opts.limit <= 0) return fail(io, 'Lock holder limit must be positive');
    if (args.length < 2) return fail(io, 'Key prefix and child command must be specified');
    const prefix = args[0]!.replace(/^\//, '');
    const child = args.slice(1);
    if (opts.timeoutMs < 0) return fail(io, 'Timeout must be positive');
    const name = opts.name || `Consul lock for '${child.join(' ')}' at '${prefix}'`;
    if (opts.monitorRetry < 0) return fail(io, "Number for 'monitor-retry' must be >= 0");
    try {
      await client.getJson('/v1/agent/self', { noDatacenter: true });
    } catch (e) {
      return fail(io, `Error querying Consul agent: ${errorText(e)}`);
    }
    const common = { sessionName: name, monitorRetries: opts.monitorRetry, monitorRetryMs: MONITOR_RETRY_MS, tryOnce: opts.timeoutMs > 0, waitMs: opts.timeoutMs > 0 ? opts.timeoutMs : undefined };
    let lu: LockUnlock;
    if (opts.limit === 1) {
      const key = `${prefix.replace(/\/+$/, '')}/${SEMAPHORE_KEY}`.replace(/^\//, '');
      info(`Setting up lock at path: ${key}`);
      lu = new KvLock(client, { key, ...common });
    } else {
      info(`Setting up semaphore (limit ${opts.limit}) at prefix: ${prefix}`);
      lu = new KvSemaphore(client, { prefix, limit: opts.limit, ...common });
    }

    // SIGINT/SIGTERM play the part of Consul's ShutdownCh.
    const shutdown = new AbortController();
    const onSignal = () => shutdown.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      info('Attempting lock acquisition');
      let lost: AbortSignal | null;
      try {
        lost = await lu.acquire(shutdown.signal);
      } catch (e) {
        return fail(io, `Lock acquisition failed: ${errorText(e)}`);
      }
      if (!lost) return fail(io, 'Shutdown triggered or timeout during lock acquisition');
      let childCode = 0;
      if (shutdown.signal.aborted) io.stderr('Shutdown triggered during lock acquisition\n');
      else childCode = await superviseChild(child, opts, io, lost, shutdown.signal);
      try {
        await lu.release();
      } catch (e) {
        return fail(io, `Lock release failed: ${errorText(e)}`);
      }
      try {
        await lu.destroy();
        info('Cleanup succeeded');
      } catch (e) {
        if (!(e instanceof InUseError)) return fail(io, `Lock cleanup failed: ${errorText(e)}`);
        info('Cleanup aborted, lock in use');
      }
      return opts.childExitCode ? childCode : 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
});

function fail(io: { stderr(t: string): void }, text: string): number {
  io.stderr(`${text}\n`);
  return 1;
}

/** Runs the child until it exits, the lock is lost or shutdown; returns 2 if it failed, else 0. */
async function superviseChild(argv: string[], opts: LockOpts, io: { stdout(t: string): void; stderr(t: string): void }, lost: AbortSignal, shutdown: AbortSignal): Promise<number> {
  const info = (t: string) => opts.verbose && io.stdout(`${t}\n`);
  info('Starting handler');
  const env = { ...process.env, CONSUL_LOCK_HELD: 'true' };
  const stdio: ['inherit' | 'ignore', 'inherit', 'inherit'] = [opts.passStdin ? 'inherit' : 'ignore', 'inherit', 'inherit'];
  const proc: ChildProcess = opts.shell ? spawn(process.env.SHELL || '/bin/sh', ['-c', argv.join(' ')], { env, stdio }) : spawn(argv[0]!, argv.slice(1), { env, stdio });
  const exited = new Promise<number>((resolve) => {
    proc.once('error', (e) => {
      io.stderr(`Error starting handler: ${e.message}\n`);
      resolve(2);
    });
    proc.once('exit', (code, signal) => {
      if (code === 0) return resolve(0);
      io.stderr(`Error running handler: ${exitText(code, signal)}\n`);
      resolve(2);
    });
  });
  const interrupted = new Promise<'lost' | 'shutdown'>((resolve) => {
    if (lost.aborted) return resolve('lost');
    lost.addEventListener('abort', () => resolve('lost'), { once: true });
    shutdown.addEventListener('abort', () => resolve('shutdown'), { once: true });
  });
  const first = await Promise.race([exited.then((code) => ({ code })), interrupted]);
  if (typeof first === 'object') {
    info('Child terminated, releasing lock');
    return first.code;
  }
  info(first === 'lost' ? 'Lock lost, killing child' : 'Shutdown triggered, killing child');
  if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) {
    info(`Terminating child pid ${proc.pid}`);
    proc.kill('SIGTERM');
    const grace = new AbortController();
    const done = await Promise.race([exited.then(() => true), sleep(KILL_GRACE_MS, grace.signal).then(() => false)]);
    grace.abort(); // don't let the grace timer hold the process open
    if (done) info('Child terminated');
    else {
      info(`Child did not exit after grace period of ${KILL_GRACE_MS / 1000}s`);
      info(`Killing child pid ${proc.pid}`);
      proc.kill('SIGKILL');
      await exited;
    }
  }
  return 0;
}
