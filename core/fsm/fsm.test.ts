import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kvGet } from '../state/kv.ts';
import { COMMAND_VERSION, decodeCommand, encodeCommand } from './commands.ts';
import { ApplyError, ConsulFSM } from './fsm.ts';
import { randomLog } from './random-log.ts';
import { encode } from '@msgpack/msgpack';

describe('commands', () => {
  it('round-trip with bigint flags and the leader timestamp', () => {
    const bytes = encodeCommand({ type: 'kvs', op: 'set', entry: { Key: 'k', Value: new Uint8Array([9]), Flags: 3304740253564472344n } }, 1234);
    const { command, now } = decodeCommand(bytes);
    expect(now).toBe(1234);
    expect(command).toEqual({ type: 'kvs', op: 'set', entry: { Key: 'k', Value: new Uint8Array([9]), Flags: 3304740253564472344n } });
  });

  const malformed: Array<{ name: string; data: Uint8Array; msg: RegExp }> = [
    { name: 'not msgpack', data: new Uint8Array([0xc1]), msg: /malformed command/ },
    { name: 'not an envelope', data: encode({ a: 1 }), msg: /malformed command envelope/ },
    { name: 'other version', data: encode([99, 'kvs', 0, {}]), msg: /unsupported command version 99/ },
    { name: 'unknown type', data: encode([COMMAND_VERSION, 'frob', 0, {}]), msg: /unknown command type "frob"/ },
    { name: 'bad field type', data: encode([COMMAND_VERSION, 'kvs', 0, { op: 'set', entry: { Key: 5 } }]), msg: /invalid command: entry.Key/ },
    { name: 'bad op', data: encode([COMMAND_VERSION, 'kvs', 0, { op: 'zap', entry: { Key: 'k' } }]), msg: /invalid command: op/ },
    { name: 'bad tags', data: encode([COMMAND_VERSION, 'register', 0, { req: { Node: 'n', Address: 'a', Service: { Service: 's', Tags: 'x' } } }]), msg: /Service.Tags/ },
  ];
  for (const m of malformed) {
    it(`apply returns an error for ${m.name} and changes nothing`, () => {
      const fsm = new ConsulFSM();
      fsm.apply(1, encodeCommand({ type: 'kvs', op: 'set', entry: { Key: 'k' } }));
      const before = fsm.state.counts();
      const r = fsm.apply(2, m.data);
      expect(r).toBeInstanceOf(ApplyError);
      expect((r as ApplyError).message).toMatch(m.msg);
      expect(fsm.lastIndex).toBe(2);
      expect(fsm.state.counts()).toEqual(before);
      expect(fsm.state.t.kvs.maxIndex).toBe(1);
    });
  }

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        const fsm = new ConsulFSM();
        const r = fsm.apply(1, data);
        return r instanceof ApplyError || r !== undefined;
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on structurally valid envelopes with arbitrary bodies (property)', () => {
    const types = ['register', 'deregister', 'kvs', 'session-create', 'session-destroy', 'txn', 'tombstone-reap', 'acl-token-set', 'prepared-query-set', 'coordinate-batch', 'autopilot-set', 'system-metadata-set'];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.anything(), (type, body) => {
        const fsm = new ConsulFSM();
        const data = encode([COMMAND_VERSION, type, 0, body], { ignoreUndefined: true });
        fsm.apply(1, data);
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('rejects non-increasing raft indexes', () => {
    const fsm = new ConsulFSM();
    expect(fsm.apply(5, encodeCommand({ type: 'kvs', op: 'set', entry: { Key: 'k' } }))).toBe(true);
    expect(fsm.apply(5, encodeCommand({ type: 'kvs', op: 'set', entry: { Key: 'j' } }))).toBeInstanceOf(ApplyError);
    expect(kvGet(fsm.state, 'j').value).toBeNull();
  });
});

describe('determinism', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`servers applying the same log (one restored midway) end byte-identical, seed ${seed}`, () => {
      const log = randomLog(seed, 600).map((e) => encodeCommand(e.command, e.now));
      const a = new ConsulFSM();
      const b = new ConsulFSM();
      const c = new ConsulFSM();
      const resultsA: unknown[] = [];
      const resultsB: unknown[] = [];
      log.forEach((data, i) => {
        const index = i + 1;
        resultsA.push(a.apply(index, data));
        resultsB.push(b.apply(index, data));
        if (index === 300) c.restore(a.snapshot());
        if (index > 300) c.apply(index, data);
      });
      expect(JSON.stringify(resultsB, big)).toEqual(JSON.stringify(resultsA, big));
      const snap = a.snapshot();
      expect(b.snapshot()).toEqual(snap);
      expect(c.snapshot()).toEqual(snap);
      // The log exercised the interesting paths.
      expect(resultsA.some((r) => r instanceof ApplyError)).toBe(true);
      expect(resultsA.some((r) => r === false)).toBe(true);
    });
  }
});

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}
