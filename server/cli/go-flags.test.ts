import { describe, expect, it } from 'vitest';
import { FlagSet, parseGoBool, parseGoInt } from './go-flags.ts';

function set() {
  const got: Record<string, unknown> = { list: [] as string[] };
  const fs = new FlagSet()
    .add({ name: 'server', usage: 'Switches agent to server mode.', bool: true, set: (v) => void (got.server = parseGoBool(v)) })
    .add({ name: 'node', usage: 'Name of this node.', set: (v) => void (got.node = v) })
    .add({ name: 'port', usage: 'A port.', set: (v) => void (got.port = parseGoInt(v)) })
    .add({ name: 'join', usage: 'Address to join.', set: (v) => void (got.list as string[]).push(v) })
    .add({ name: 'meta', usage: 'Metadata of the form `key:value`.', set: () => {} });
  return { fs, got };
}

describe('FlagSet (Go flag syntax)', () => {
  it.each<[string[], Record<string, unknown>, string[]]>([
    [['-server'], { server: true }, []],
    [['--server'], { server: true }, []],
    [['-server=false'], { server: false }, []],
    [['-server', 'false'], { server: true }, ['false']],
    [['-node', 'n1'], { node: 'n1' }, []],
    [['-node=n1', '--port=8500'], { node: 'n1', port: 8500 }, []],
    [['-join', 'a', '-join=b'], { list: ['a', 'b'] }, []],
    [['-node', 'n1', 'rest', '-server'], { node: 'n1' }, ['rest', '-server']],
    [['--', '-server'], {}, ['-server']],
    [['-', '-server'], {}, ['-', '-server']],
    [['-node', '-server'], { node: '-server' }, []],
  ])('%j', (args, expected, rest) => {
    const { fs, got } = set();
    expect(fs.parse(args)).toEqual(rest);
    expect(got).toMatchObject(expected);
  });

  it.each([
    [['-foo'], 'flag provided but not defined: -foo'],
    [['-node'], 'flag needs an argument: -node'],
    [['-port', 'x'], 'invalid value "x" for flag -port: strconv.Atoi: parsing "x": invalid syntax'],
    [['-server=maybe'], 'invalid boolean value "maybe" for -server: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['---x'], 'bad flag syntax: ---x'],
    [['-=x'], 'bad flag syntax: -=x'],
    [['-h'], 'flag: help requested'],
  ])('%j fails with %s', (args, message) => {
    expect(() => set().fs.parse(args)).toThrow(message);
  });

  it('prints defaults like Go, sorted, with back-quoted value names', () => {
    expect(set().fs.defaults()).toBe(
      '  -join value\n    \tAddress to join.\n' +
        '  -meta key:value\n    \tMetadata of the form key:value.\n' +
        '  -node value\n    \tName of this node.\n' +
        '  -port value\n    \tA port.\n' +
        '  -server\n    \tSwitches agent to server mode.\n',
    );
  });
});
