import { describe, expect, it } from 'vitest';
import { FlagSet } from './go-flags.ts';
import { commandUsage, wrap } from './usage.ts';

describe('wrap (kr/text minimum raggedness)', () => {
  it('keeps short text on one line and balances longer text', () => {
    expect(wrap('a b c', 10)).toBe('a b c');
    expect(wrap('aaa bb cc ddddd', 6)).toBe('aaa\nbb cc\nddddd');
    // Greedy would give "aa bb cc" / "dddddddd"; both fit, balanced is the same here.
    expect(wrap('aa bb cc dddddddd', 8)).toBe('aa bb cc\ndddddddd');
    expect(wrap('one', 1)).toBe('one');
  });
});

describe('commandUsage (command/flags.Usage)', () => {
  it('prints help, titled groups and -flag=<value> entries indented by five', () => {
    const fs = new FlagSet()
      .add({ name: 'stale', usage: 'Permit any agent to answer.', bool: true, set: () => {} })
      .add({ name: 'datacenter', usage: 'Name of the datacenter to query.', set: () => {} });
    const http = new FlagSet().add({ name: 'http-addr', usage: 'The `address` and port of the Consul HTTP agent.', set: () => {} });
    expect(commandUsage('\nUsage: consul x [options]\n\n  Does x.\n', [['HTTP API Options', http], ['Command Options', fs]])).toBe(
      'Usage: consul x [options]\n\n  Does x.\n\n' +
        'HTTP API Options\n\n  -http-addr=<address>\n     The address and port of the Consul HTTP agent.\n\n' +
        'Command Options\n\n  -datacenter=<value>\n     Name of the datacenter to query.\n\n  -stale\n     Permit any agent to answer.\n',
    );
  });
});
