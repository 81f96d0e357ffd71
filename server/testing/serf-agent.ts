/**
 * Test harness for interop with a real HashiCorp Serf agent: builds `serf` from Debian's
 * golang-github-hashicorp-serf-dev sources with Debian's Go into a temporary directory (nothing is
 * vendored or committed), starts agents on loopback and drives them through the serf CLI.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GOCODE = '/usr/share/gocode';
const SERF_PKG = 'github.com/hashicorp/serf/cmd/serf';

/** Why interop cannot run here, or undefined when Go and the serf sources are present. */
export function interopUnavailable(): string | undefined {
  const paths = (process.env.PATH ?? '').split(':');
  if (!paths.some((p) => existsSync(join(p, 'go')))) return 'Go is not installed (apt-get install golang-go golang-github-hashicorp-serf-dev)';
  if (!existsSync(join(GOCODE, 'src/github.com/hashicorp/serf'))) {
    return 'serf sources missing (apt-get install golang-github-hashicorp-serf-dev)';
  }
  return undefined;
}

/** Builds the serf binary once per machine into the temp directory; returns its path. */
export async function buildSerf(): Promise<string> {
  const dir = join(tmpdir(), 'consul-ts-serf-interop');
  const bin = join(dir, 'serf');
  if (existsSync(bin)) return bin;
  mkdirSync(join(dir, 'gopath'), { recursive: true });
  await run('go', ['build', '-o', bin, SERF_PKG], {
    env: {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: `${join(dir, 'gopath')}:${GOCODE}`,
      GOCACHE: join(dir, 'gocache'),
      GOFLAGS: '',
    },
    timeout: 600_000,
  });
  return bin;
}

/** A port free for both TCP and UDP on 127.0.0.1 (best effort). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

export interface SerfMember {
  name: string;
  addr: string;
  port: number;
  tags: Record<string, string>;
  status: string;
}

export class SerfAgent {
  private constructor(
    readonly bin: string,
    readonly name: string,
    readonly address: string,
    readonly rpc: string,
    readonly eventsFile: string,
    readonly logFile: string,
    private readonly proc: ChildProcess,
    private log: string[],
  ) {}

  static async start(bin: string, name: string, opts: { encrypt?: string; profile?: string } = {}): Promise<SerfAgent> {
    const port = await freePort();
    const rpcPort = await freePort();
    const dir = join(tmpdir(), 'consul-ts-serf-interop', `${name}-${port}`);
    mkdirSync(dir, { recursive: true });
    const eventsFile = join(dir, 'events.txt');
    writeFileSync(eventsFile, '');
    const handler = `printf '%s:' "$SERF_USER_EVENT" >> ${eventsFile}; cat >> ${eventsFile}; echo >> ${eventsFile}`;
    const args = [
      'agent',
      `-node=${name}`,
      `-bind=127.0.0.1:${port}`,
      `-rpc-addr=127.0.0.1:${rpcPort}`,
      `-profile=${opts.profile ?? 'local'}`,
      '-log-level=debug',
      `-event-handler=user=${handler}`,
    ];
    if (opts.encrypt) args.push(`-encrypt=${opts.encrypt}`);
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    const logFile = join(dir, 'agent.log');
    const onData = (b: Buffer) => {
      log.push(b.toString());
      writeFileSync(logFile, log.join(''));
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    const agent = new SerfAgent(bin, name, `127.0.0.1:${port}`, `127.0.0.1:${rpcPort}`, eventsFile, logFile, proc, log);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (log.join('').includes('Serf agent running')) return agent;
      await new Promise((r) => setTimeout(r, 100));
    }
    agent.kill();
    throw new Error(`serf agent ${name} did not start:\n${log.join('')}`);
  }

  logText(): string {
    return this.log.join('');
  }

  /** Runs `serf <command> -rpc-addr=... <args...>` (flags must precede arguments). */
  async cli(command: string, ...args: string[]): Promise<string> {
    const { stdout } = await run(this.bin, [command, `-rpc-addr=${this.rpc}`, ...args], { timeout: 20_000 });
    return stdout;
  }

  async members(): Promise<SerfMember[]> {
    const out = JSON.parse(await this.cli('members', '-format=json')) as { members: SerfMember[] };
    return out.members;
  }

  async status(name: string): Promise<string | undefined> {
    return (await this.members()).find((m) => m.name === name)?.status;
  }

  async join(address: string): Promise<string> {
    return this.cli('join', address);
  }

  async event(name: string, payload: string): Promise<string> {
    return this.cli('event', name, payload);
  }

  async leave(): Promise<string> {
    return this.cli('leave');
  }

  /** User events the agent received, as `name:payload` lines. */
  events(): string[] {
    return readFileSync(this.eventsFile, 'utf8').split('\n').filter((l) => l.length > 0);
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}
