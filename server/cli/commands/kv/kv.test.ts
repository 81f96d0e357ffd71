import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../../testing/agent-process.ts';
import { runCli, spawnCli, stopAgent } from '../../cli-test-helpers.ts';

let agent: AgentProcess;
let addr: string;
const kv = (sub: string, ...args: string[]) => runCli('kv', sub, '-http-addr', addr, ...args);

beforeAll(async () => {
  agent = await startAgentProcess(['-dev', '-grpc-port', '-1']);
  addr = agent.http;
}, 40_000);
afterAll(async () => {
  await stopAgent(agent);
});

describe('consul kv against a real agent', () => {
  it('puts and gets raw values; a missing key is Error! No key exists at: with exit 1', async () => {
    expect(await kv('put', 'app/name', 'hello world')).toEqual({ code: 0, out: 'Success! Data written to: app/name\n', err: '' });
    expect(await kv('get', 'app/name')).toEqual({ code: 0, out: 'hello world\n', err: '' });
    expect(await kv('get', '/app/name')).toMatchObject({ code: 0, out: 'hello world\n' });
    expect(await kv('get', 'app/missing')).toEqual({ code: 1, out: '', err: 'Error! No key exists at: app/missing\n' });
    expect(await kv('get')).toEqual({ code: 1, out: '', err: 'Error! Missing KEY argument\n' });
    expect(await kv('put')).toEqual({ code: 1, out: '', err: 'Error! Missing KEY argument\n' });
  });

  it('prints -detailed as Consul’s tabwriter block, with uint64 flags exact and Session -', async () => {
    await kv('put', '-flags', '16210313421097356768', 'app/flagged', 'v');
    const r = await kv('get', '-detailed', 'app/flagged');
    expect(r.code).toBe(0);
    const idx = /ModifyIndex +(\d+)/.exec(r.out)![1];
    expect(r.out).toBe(
      `CreateIndex      ${idx}\nFlags            16210313421097356768\nKey              app/flagged\nLockIndex        0\nModifyIndex      ${idx}\nSession          -\nValue            v\n`,
    );
  });

  it('lists with -recurse (key:value), -keys with -separator, and -base64', async () => {
    await kv('put', 'tree/a', '1');
    await kv('put', 'tree/b/c', '2');
    await kv('put', '-base64', 'tree/bin', Buffer.from([0, 1, 2, 255]).toString('base64'));
    expect((await kv('get', '-recurse', 'tree/b/')).out).toBe('tree/b/c:2\n');
    expect((await kv('get', '-keys', 'tree/')).out).toBe('tree/a\ntree/b/\ntree/bin\n');
    expect((await kv('get', '-keys', '-separator', '', 'tree/')).out).toBe('tree/a\ntree/b/c\ntree/bin\n');
    expect((await kv('get', '-base64', '-recurse', 'tree/bin')).out).toBe('tree/bin:AAEC/w==\n');
    expect((await kv('get', '-recurse', 'nothing-here')).out).toBe('');
  });

  it('refuses bad base64 with -base64 and writes nothing', async () => {
    const r = await kv('put', '-base64', 'tree/bad', 'not base64!');
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(/^Error! Cannot base 64 decode data: illegal base64 data at input byte/);
    expect((await kv('get', 'tree/bad')).code).toBe(1);
  });

  it('does check-and-set writes and deletes', async () => {
    await kv('put', 'cas/k', 'one');
    const idx = /ModifyIndex +(\d+)/.exec((await kv('get', '-detailed', 'cas/k')).out)![1]!;
    expect(await kv('put', '-cas', '-modify-index', '1', 'cas/k', 'x')).toEqual({ code: 1, out: '', err: 'Error! Did not write to cas/k: CAS failed\n' });
    expect(await kv('put', '-cas', '-modify-index', idx, 'cas/k', 'two')).toMatchObject({ code: 0, out: 'Success! Data written to: cas/k\n' });
    expect(await kv('put', '-cas', 'cas/k', 'x')).toEqual({ code: 1, out: '', err: 'Must specify -modify-index with -cas!\n' });
    const idx2 = /ModifyIndex +(\d+)/.exec((await kv('get', '-detailed', 'cas/k')).out)![1]!;
    expect(await kv('delete', '-cas', '-modify-index', idx, 'cas/k')).toEqual({ code: 1, out: '', err: 'Error! Did not delete key cas/k: CAS failed\n' });
    expect(await kv('delete', '-cas', '-recurse', '-modify-index', idx2, 'cas/k')).toEqual({ code: 1, out: '', err: 'Cannot specify both -cas and -recurse!\n' });
    expect(await kv('delete', '-modify-index', idx2, 'cas/k')).toEqual({ code: 1, out: '', err: 'Cannot specify -modify-index without -cas!\n' });
    expect(await kv('delete', '-cas', '-modify-index', idx2, 'cas/k')).toEqual({ code: 0, out: 'Success! Deleted key: cas/k\n', err: '' });
  });

  it('acquires and releases a lock on a key with a session', async () => {
    const res = await fetch(`${addr}/v1/session/create`, { method: 'PUT', body: '{"Name":"t"}' });
    const { ID } = (await res.json()) as { ID: string };
    expect(await kv('put', '-acquire', 'locks/a', 'x')).toEqual({ code: 1, out: '', err: 'Error! Missing -session (required with -acquire and -release)\n' });
    expect(await kv('put', '-acquire', '-session', ID, 'locks/a', 'x')).toMatchObject({ code: 0, out: 'Success! Lock acquired on: locks/a\n' });
    expect((await kv('get', '-detailed', 'locks/a')).out).toMatch(new RegExp(`LockIndex +1\nModifyIndex +\\d+\nSession +${ID}\n`));
    expect(await kv('put', '-release', '-session', ID, 'locks/a')).toMatchObject({ code: 0, out: 'Success! Lock released on: locks/a\n' });
    expect(await kv('put', '-release', '-session', ID, 'locks/a')).toEqual({ code: 1, out: '', err: 'Error! Did not release lock\n' });
    const bad = await kv('put', '-acquire', '-session', '00000000-0000-0000-0000-000000000000', 'locks/a');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('Error! Failed writing data: Unexpected response code: 500 (invalid session "00000000-0000-0000-0000-000000000000")\n');
  });

  it('deletes a prefix with -recurse', async () => {
    await kv('put', 'gone/a', '1');
    await kv('put', 'gone/b', '2');
    expect(await kv('delete', '-recurse', 'gone')).toEqual({ code: 0, out: 'Success! Deleted keys with prefix: gone\n', err: '' });
    expect((await kv('get', '-recurse', 'gone')).out).toBe('');
    expect(await kv('delete', 'gone/a')).toEqual({ code: 0, out: 'Success! Deleted key: gone/a\n', err: '' });
  });

  it('exports Consul’s tab-indented JSON and imports it back, from @file and from stdin', async () => {
    await kv('put', 'exp/a', 'alpha');
    await kv('put', '-flags', '42', 'exp/b/c', '');
    const exp = await kv('export', 'exp');
    expect(exp.code).toBe(0);
    expect(exp.out).toBe('[\n\t{\n\t\t"key": "exp/a",\n\t\t"flags": 0,\n\t\t"value": "YWxwaGE="\n\t},\n\t{\n\t\t"key": "exp/b/c",\n\t\t"flags": 42,\n\t\t"value": ""\n\t}\n]\n');
    await kv('delete', '-recurse', 'exp');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'kv-')), 'export.json');
    writeFileSync(file, exp.out);
    expect(await kv('import', `@${file}`)).toEqual({ code: 0, out: 'Imported: exp/a\nImported: exp/b/c\n', err: '' });
    expect((await kv('export', 'exp')).out).toBe(exp.out);
    const viaStdin = await spawnCli(['kv', 'import', '-http-addr', addr, '-prefix', 'copy', '-'], { stdin: exp.out }).done;
    expect(viaStdin).toMatchObject({ code: 0, out: 'Imported: copy/exp/a\nImported: copy/exp/b/c\n' });
    expect((await kv('get', '-detailed', 'copy/exp/b/c')).out).toMatch(/Flags +42\n/);
  });

  it('refuses a malformed import before writing anything', async () => {
    const doc = JSON.stringify([
      { key: 'imp/ok', flags: 0, value: 'b2s=' },
      { key: 'imp/bad', flags: 0, value: '***' },
    ]);
    const r = await kv('import', doc);
    expect(r.code).toBe(1);
    expect(r.err).toBe('Error! Error base 64 decoding value for key imp/bad: illegal base64 data at input byte 0\n');
    expect((await kv('get', 'imp/ok')).code).toBe(1);
    expect((await kv('import', '{not json')).err).toMatch(/^Error! Cannot unmarshal data: /);
  });

  it('reads the value from stdin with - and from a file with @', async () => {
    const r = await spawnCli(['kv', 'put', '-http-addr', addr, 'stdin/k', '-'], { stdin: 'from stdin\n' }).done;
    expect(r).toMatchObject({ code: 0, out: 'Success! Data written to: stdin/k\n' });
    expect((await kv('get', 'stdin/k')).out).toBe('from stdin\n\n');
    expect(await kv('put', 'f/k', '@/nonexistent/file')).toEqual({ code: 1, out: '', err: 'Error! Failed to read file: open /nonexistent/file: no such file or directory\n' });
  });

  it('takes the address from CONSUL_HTTP_ADDR (with or without scheme) and prints Go-style transport errors', async () => {
    const host = addr.replace('http://', '');
    for (const a of [host, addr]) {
      const r = await spawnCli(['kv', 'get', 'app/name'], { env: { CONSUL_HTTP_ADDR: a } }).done;
      expect(r).toMatchObject({ code: 0, out: 'hello world\n' });
    }
    const r = await kv('get', '-http-addr', '127.0.0.1:1', 'app/name');
    expect(r).toEqual({ code: 1, out: '', err: 'Error querying Consul agent: Get "http://127.0.0.1:1/v1/kv/app/name": dial tcp 127.0.0.1:1: connect: connection refused\n' });
  });

  it('prints an HTTP error as Unexpected response code with the body, and writes nothing', async () => {
    const big = 'x'.repeat(600 * 1024);
    const r = await spawnCli(['kv', 'put', '-http-addr', addr, 'big/k', '-'], { stdin: big }).done;
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Error! Failed writing data: Unexpected response code: 413 \(Request body\(614400 bytes\) too large, max size: 524288 bytes\. See .*\)\n$/);
    expect((await kv('get', 'big/k')).code).toBe(1);
  });

  it('sends -datacenter as ?dc= and prints the agent’s 500 for an unknown datacenter', async () => {
    expect(await kv('get', '-datacenter', 'nowhere', 'app/name')).toEqual({ code: 1, out: '', err: 'Error querying Consul agent: Unexpected response code: 500 (No path to datacenter)\n' });
    expect(await kv('get', '-datacenter', 'dc1', '-stale', 'app/name')).toMatchObject({ code: 0, out: 'hello world\n' });
  });

  it('prints the kv help with subcommands and exits 1 for a bare `consul kv`', async () => {
    const r = await runCli('kv');
    expect(r.code).toBe(1);
    expect(r.out).toContain('Subcommands:\n    delete    Removes data from the KV store\n');
    const h = await runCli('kv', 'get', '-h');
    expect(h.code).toBe(0);
    expect(h.out).toContain('HTTP API Options\n\n  -ca-file=<value>\n');
    expect(h.out).toContain('  -datacenter=<value>\n');
    expect(h.out).toContain('  -http-addr=<address>\n     The address and port of the Consul HTTP agent.');
    expect(h.out).toContain('Command Options\n\n  -base64\n');
  });
});
