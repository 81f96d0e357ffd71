import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/simulation.ts';
import type { NodeEnv } from '../../sim/sim-node.ts';
import { type CheckStatus, CheckValidationError, checkKind, parseCheckDefinition, validateCheck } from './check-definition.ts';
import { IntervalCheck, type ProbeResult, TtlCheck, truncateOutput } from './check-runner.ts';
import { StatusHandler } from './status-handler.ts';

describe('check definitions', () => {
  it('reads CamelCase, snake_case and Go durations', () => {
    const d = parseCheckDefinition({ name: 'web', http: 'http://x/health', interval: '10s', timeout: 1e9, success_before_passing: 2, FailuresBeforeCritical: 3 });
    expect(d).toMatchObject({ Name: 'web', HTTP: 'http://x/health', IntervalNs: 10e9, TimeoutNs: 1e9, SuccessBeforePassing: 2, FailuresBeforeCritical: 3, FailuresBeforeWarning: 3, Status: 'critical', OutputMaxSize: 4096 });
    expect(checkKind(d)).toBe('http');
    expect(checkKind(parseCheckDefinition({ TTL: '30s' }))).toBe('ttl');
    expect(checkKind(parseCheckDefinition({ args: ['/bin/true'], interval: '5s' }))).toBe('script');
  });

  it.each([
    [{ http: 'http://x', interval: '1s', ttl: '5s' }, 'Interval and TTL cannot both be specified'],
    [{ tcp: 'localhost:1' }, 'Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks'],
    [{ name: 'x' }, 'TTL must be > 0 for TTL checks'],
    [{ ttl: '5s', failures_before_warning: 3, failures_before_critical: 1 }, "FailuresBeforeWarning can't be higher than FailuresBeforeCritical"],
  ])('rejects %j with Consul’s message', (raw, message) => {
    expect(() => validateCheck(parseCheckDefinition(raw))).toThrow(new CheckValidationError(message));
  });

  it('rejects a bad initial status', () => {
    expect(() => parseCheckDefinition({ ttl: '1s', status: 'fine' })).toThrow("Status for checks must 'passing', 'warning', 'critical'");
  });
});

describe('StatusHandler', () => {
  it('waits for the thresholds before changing status', () => {
    const h = new StatusHandler(2, 1, 3);
    const feed = (s: CheckStatus[]) => s.map((x) => h.update(x) ?? '-');
    expect(feed(['passing', 'passing', 'critical', 'critical', 'critical', 'passing', 'passing'])).toEqual([
      '-', 'passing', 'warning', 'warning', 'critical', '-', 'passing',
    ]);
  });

  it('with zero thresholds reports every result at once', () => {
    const h = new StatusHandler(0, 0, 0);
    expect(['passing', 'critical', 'warning'].map((s) => h.update(s as CheckStatus))).toEqual(['passing', 'critical', 'warning']);
  });
});

describe('check runners in virtual time', () => {
  function run(fn: (env: NodeEnv, log: string[]) => void) {
    const sim = new Simulation({ seed: 4 });
    const log: string[] = [];
    sim.addNode({ id: 'a', start: (env) => {
      fn(env, log);
      return {};
    } });
    return { sim, log };
  }

  it('probes on the interval and reports through the thresholds', () => {
    const results: ProbeResult[] = [
      { status: 'passing', output: 'ok' },
      { status: 'critical', output: 'down' },
      { status: 'critical', output: 'down' },
    ];
    const { sim, log } = run((env, log) => {
      const def = parseCheckDefinition({ CheckID: 'c', http: 'http://x', interval: '10s', failures_before_critical: 2 });
      new IntervalCheck(def, (_d, done) => done(results.shift() ?? { status: 'passing', output: 'back' }), (id, s, o) => log.push(`${Math.round(env.time.now() / 1000)}:${id}:${s}:${o}`), env.time, env.random);
    });
    sim.runFor(45_000);
    // The warning threshold defaults to the critical one, so the first failure changes nothing.
    expect(log.map((l) => l.split(':').slice(1).join(':')).slice(0, 3)).toEqual(['c:passing:ok', 'c:critical:down', 'c:passing:back']);
    const seconds = log.map((l) => Number(l.split(':')[0]));
    expect(seconds[1]! - seconds[0]!).toBe(20);
  });

  it('expires a TTL check with Consul’s output', () => {
    let ttl: TtlCheck | undefined;
    const { sim, log } = run((env, log) => {
      ttl = new TtlCheck(parseCheckDefinition({ CheckID: 't', ttl: '5s' }), (id, s, o) => log.push(`${id}:${s}:${o}`), env.time);
    });
    sim.runFor(1000);
    ttl?.update('passing', 'I am alive');
    sim.runFor(4000);
    expect(log).toEqual(['t:passing:I am alive']);
    sim.runFor(1001);
    expect(log[1]).toBe('t:critical:TTL expired (last output before timeout follows): I am alive');
  });

  it('truncates output', () => {
    expect(truncateOutput('abcdef', 3)).toBe('abc\n\n... (captured 3 of 6 bytes)');
    expect(truncateOutput('ab', 3)).toBe('ab');
  });
});
