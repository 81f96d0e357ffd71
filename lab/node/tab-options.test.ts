import { describe, expect, it } from 'vitest';
import { parseTabOptions } from './tab-options.ts';

const parse = (q: string) => parseTabOptions(q, 'http://127.0.0.1:8500', () => 'tab-1');

describe('parseTabOptions', () => {
  it('reads a server tab and defaults the rest', () => {
    expect(parse('?name=s1&server=1')).toEqual({
      name: 's1',
      host: 's1',
      dc: 'dc1',
      server: true,
      bootstrapExpect: 3,
      raftMultiplier: 5,
      room: 'default',
      rtc: true,
      rtcTimeoutMs: 8000,
      signalUrl: 'ws://127.0.0.1:8500/lab/signal?room=default',
      wipe: false,
    });
  });

  it('reads a client tab with every option', () => {
    const o = parse('?name=c1&host=h1&dc=dc2&room=r 1&rtc=0&rtc_timeout_ms=500&raft_multiplier=1&wipe=1&signal=ws://x:1/lab/signal');
    expect(o).toMatchObject({ name: 'c1', host: 'h1', dc: 'dc2', server: false, bootstrapExpect: 0, room: 'r 1', rtc: false, rtcTimeoutMs: 500, raftMultiplier: 1, wipe: true });
    expect(o.signalUrl).toBe('ws://x:1/lab/signal?room=r%201');
    expect(parse('').name).toBe('tab-1');
  });

  it('rejects bad values with a clear message', () => {
    expect(() => parse('?name=../x')).toThrow(/name must be/);
    expect(() => parse('?name=a&dc=d c')).toThrow(/dc must be/);
    expect(() => parse('?name=a&server=yes')).toThrow('server must be 1 or 0, got "yes"');
    expect(() => parse('?name=a&server=1&bootstrap_expect=99')).toThrow('bootstrap_expect must be an integer in [0, 15], got "99"');
    expect(() => parse('?name=a&bootstrap_expect=3')).toThrow('bootstrap_expect needs server=1');
    expect(() => parse('?name=a&raft_multiplier=0')).toThrow(/raft_multiplier/);
  });
});
