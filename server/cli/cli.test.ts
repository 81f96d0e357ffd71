import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';

const root = mkdtempSync(join(tmpdir(), 'consul-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

describe('consul dispatcher', () => {
  it('prints the usage list on stdout and exits 127 for an unknown or missing command, as mitchellh/cli does', async () => {
    for (const argv of [['bogus'], []]) {
      const r = await run(...argv);
      expect(r.code).toBe(127);
      expect(r.err).toBe('');
      expect(r.out).toBe(
        'Usage: consul [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n' +
          '    agent       Runs a Consul agent\n' +
          '    keygen      Generates a new encryption key\n' +
          '    validate    Validate config files/directories\n' +
          '    version     Prints the Consul version\n\n',
      );
    }
  });

  it('prints the usage list and exits 0 for --help', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: consul/);
  });

  it('prints command help for -h after a command', async () => {
    const r = await run('validate', '-h');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: consul validate \[options\] FILE_OR_DIRECTORY\.\.\./);
    expect(r.out).toContain(
      "Command Options\n\n  -config-format=<value>\n     Config files are in this format irrespective of their extension.\n     Must be 'hcl' or 'json'\n\n",
    );
    expect(r.out.endsWith('  -quiet\n     When given, a successful run will produce no output.\n')).toBe(true);
  });
});

describe('consul version', () => {
  it('prints Consul’s four lines; --version is the same', async () => {
    for (const argv of [['version'], ['--version'], ['-v']]) {
      const r = await run(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(
        /^Consul v1\.17\.0\nRevision \S*\nBuild Date \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\nProtocol 2 spoken by default, understands 2 to 3 \(agent will automatically use protocol >2 when speaking to compatible agents\)\n$/,
      );
    }
  });

  it('prints JSON with -format=json and rejects other formats', async () => {
    const r = await run('version', '-format=json');
    expect(JSON.parse(r.out)).toMatchObject({ Version: '1.17.0', Prerelease: '', RPC: { Default: 2, Min: 2, Max: 3 } });
    expect((await run('version', '-format=xml')).code).toBe(1);
  });
});

describe('consul keygen', () => {
  it('prints 32 random bytes as standard base64, different each time', async () => {
    const a = await run('keygen');
    const b = await run('keygen');
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(Buffer.from(a.out.trim(), 'base64')).toHaveLength(32);
    expect(a.out).not.toBe(b.out);
  });
});

describe('consul validate', () => {
  it('accepts a valid directory and file, printing Configuration is valid!', async () => {
    const dir = mkdtempSync(join(root, 'ok-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ data_dir: root, bind_addr: '127.0.0.1', server: true, bootstrap_expect: 3 }));
    writeFileSync(join(dir, 'b.hcl'), 'service { name = "web" port = 80 }\n');
    const r = await run('validate', dir);
    expect(r).toMatchObject({ code: 0, out: 'Configuration is valid!\n' });
    expect(r.err).toContain('bootstrap_expect > 0: expecting 3 servers');
    expect(await run('validate', '-quiet', join(dir, 'a.json'))).toMatchObject({ code: 0, out: '', err: '' });
  });

  it('reports the error and exits 1', async () => {
    const dir = mkdtempSync(join(root, 'bad-'));
    writeFileSync(join(dir, 'a.json'), '{"data_dir": "/tmp", "bogus_key": 1}');
    const r = await run('validate', dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`Config validation failed: failed to parse ${join(dir, 'a.json')}: 1 error occurred:\n\t* invalid config key bogus_key\n\n\n`);
    expect(await run('validate')).toMatchObject({ code: 1, err: 'Must specify at least one config file or directory\n' });
    expect((await run('validate', join(root, 'none.json'))).err).toMatch(/^Config validation failed: config: Open failed on /);
  });
});

describe('the consul bin (real process)', () => {
  it('runs `consul version` and `consul bogus` through server/cli/consul.js', () => {
    const bin = join(import.meta.dirname, 'consul.js');
    const v = spawnSync(process.execPath, [bin, 'version'], { encoding: 'utf8' });
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^Consul v1\.17\.0\n/);
    const bad = spawnSync(process.execPath, [bin, 'bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(127);
    expect(bad.stdout).toMatch(/^Usage: consul/);
  });
});

describe('mitchellh/cli argument rules', () => {
  it('refuses flags before the subcommand, with the command help, exit 1', async () => {
    const r = await run('-quiet', 'validate', 'x');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Invalid flags before the subcommand\. If these flags are for\nthe subcommand, please put them after the subcommand\.\n\nUsage: consul validate/);
  });

  it('finds nested commands by the longest registered name', async () => {
    const seen: string[][] = [];
    const entry = (name: string) => ({
      name,
      synopsis: name,
      load: async () => ({ help: () => `Usage: consul ${name}`, run: (a: string[]) => (seen.push([name, ...a]), 0) }),
    });
    const cmds = [entry('kv'), entry('kv get'), entry('version')];
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: () => {} };
    expect(await main(['kv', 'get', '-recurse', 'a'], io, cmds)).toBe(0);
    expect(await main(['kv', 'getter'], io, cmds)).toBe(0);
    expect(seen).toEqual([['kv get', '-recurse', 'a'], ['kv', 'getter']]);
    expect(await main(['kv', 'get', '-h'], io, cmds)).toBe(0);
    expect(out).toContain('Usage: consul kv get');
    expect(out).not.toContain('kv get    kv get'); // the usage list shows top-level commands only
  });

  it('treats -h after -- as an argument', async () => {
    const r = await run('validate', '--', '-h');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Config validation failed: config: Open failed on -h\./);
  });
});
