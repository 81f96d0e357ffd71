import { describe, expect, it } from 'vitest';
import type { NodeEnv } from './sim-node.ts';
import { Simulation } from './simulation.ts';
import type { StreamCloseReason } from '../ports/transport.ts';

/** A node that records what reaches it. */
class Probe {
  readonly packets: string[] = [];
  private readonly out;
  constructor(readonly env: NodeEnv) {
    env.packet(1).onPacket((from, data) => this.packets.push(`${from}:${new TextDecoder().decode(data)}`));
    this.out = env.packet(2);
  }
  send(to: string, text: string): void {
    this.out.send(`${to}:1`, new TextEncoder().encode(text));
  }
}

function world(seed = 1, network = {}) {
  const sim = new Simulation({ seed, network });
  for (const id of ['a', 'b', 'c']) sim.addNode({ id, start: (env) => new Probe(env) });
  return sim;
}

const probe = (sim: Simulation, id: string) => sim.node<Probe>(id).process as Probe;

describe('Simulation: time and timers', () => {
  it('runs timers in virtual time on each node clock', () => {
    const sim = new Simulation({ seed: 1 });
    const fired: Array<[string, number]> = [];
    for (const [id, rate] of [['fast', 1.01], ['slow', 0.99]] as const) {
      sim.addNode({
        id,
        clockRate: rate,
        start: (env) => env.time.setTimer(1000, () => fired.push([id, sim.now])),
      });
    }
    sim.runFor(2000);
    expect(fired.map(([id]) => id)).toEqual(['fast', 'slow']);
    expect(fired[0]?.[1]).toBeCloseTo(1000 / 1.01, 2);
    expect(fired[1]?.[1]).toBeCloseTo(1000 / 0.99, 2);
    expect(sim.now).toBe(2000);
  });

  it('holds a paused node’s timers until resume and drops a crashed node’s', () => {
    const sim = new Simulation({ seed: 1 });
    const fired: string[] = [];
    sim.addNode({ id: 'p', start: (env) => env.time.setTimer(10, () => fired.push(`p@${sim.now}`)) });
    sim.addNode({ id: 'c', start: (env) => env.time.setTimer(10, () => fired.push('c')) });
    sim.pause('p');
    sim.crash('c');
    sim.runFor(50);
    expect(fired).toEqual([]);
    sim.resume('p');
    sim.runFor(1);
    expect(fired).toEqual(['p@50']);
  });

  it('cancels timers', () => {
    const sim = new Simulation({ seed: 1 });
    let fired = false;
    sim.addNode({
      id: 'x',
      start: (env) => {
        env.time.setTimer(5, () => (fired = true)).cancel();
        return {};
      },
    });
    sim.runFor(10);
    expect(fired).toBe(false);
  });
});

describe('Simulation: datagrams and faults', () => {
  it('delivers datagrams with latency', () => {
    const sim = world();
    probe(sim, 'a').send('b', 'hi');
    expect(probe(sim, 'b').packets).toEqual([]);
    sim.runFor(100);
    expect(probe(sim, 'b').packets).toEqual(['a:2:hi']);
  });

  it('drops across a symmetric partition and heals', () => {
    const sim = world();
    sim.net.partition([['a'], ['b', 'c']]);
    probe(sim, 'a').send('b', '1');
    probe(sim, 'b').send('a', '2');
    probe(sim, 'b').send('c', '3');
    sim.runFor(100);
    expect(probe(sim, 'a').packets).toEqual([]);
    expect(probe(sim, 'b').packets).toEqual([]);
    expect(probe(sim, 'c').packets).toEqual(['b:2:3']);
    sim.net.heal();
    probe(sim, 'a').send('b', '4');
    sim.runFor(100);
    expect(probe(sim, 'b').packets).toEqual(['a:2:4']);
  });

  it('cuts one way only', () => {
    const sim = world();
    sim.net.cut('a', 'b', { oneWay: true });
    probe(sim, 'a').send('b', 'x');
    probe(sim, 'b').send('a', 'y');
    sim.runFor(100);
    expect(probe(sim, 'b').packets).toEqual([]);
    expect(probe(sim, 'a').packets).toEqual(['b:2:y']);
  });

  it('loses everything at loss 1 and duplicates everything at duplicate 1', () => {
    const lossy = world(1, { loss: 1 });
    probe(lossy, 'a').send('b', 'x');
    lossy.runFor(100);
    expect(probe(lossy, 'b').packets).toEqual([]);
    const dup = world(1, { duplicate: 1 });
    probe(dup, 'a').send('b', 'x');
    dup.runFor(100);
    expect(probe(dup, 'b').packets).toEqual(['a:2:x', 'a:2:x']);
  });

  it('clogs a link until a given time', () => {
    const sim = world();
    sim.net.clog('a', 'b', 500);
    probe(sim, 'a').send('b', 'late');
    sim.runFor(499);
    expect(probe(sim, 'b').packets).toEqual([]);
    sim.runFor(2);
    expect(probe(sim, 'b').packets).toEqual(['a:2:late']);
  });

  it('applies datacenter-to-datacenter latency', () => {
    const sim = new Simulation({ seed: 1, network: { dcLatency: { 'dc1|dc2': { kind: 'fixed', ms: 70 } } } });
    sim.addNode({ id: 'a', dc: 'dc1', start: (env) => new Probe(env) });
    sim.addNode({ id: 'b', dc: 'dc2', start: (env) => new Probe(env) });
    probe(sim, 'a').send('b', 'wan');
    sim.runFor(69);
    expect(probe(sim, 'b').packets).toEqual([]);
    sim.runFor(2);
    expect(probe(sim, 'b').packets).toEqual(['a:2:wan']);
  });
});

describe('Simulation: streams', () => {
  function streamWorld(network = {}) {
    const sim = new Simulation({ seed: 2, network });
    const received: string[] = [];
    const closes: StreamCloseReason[] = [];
    sim.addNode({
      id: 'srv',
      start: (env) => {
        env.stream(9).onAccept((s) => {
          s.onData((c) => received.push(new TextDecoder().decode(c)));
          s.onClose((r) => closes.push(r));
        });
        return {};
      },
    });
    sim.addNode({ id: 'cli', start: (env) => ({ env }) });
    const cli = () => (sim.node<{ env: NodeEnv }>('cli').process as { env: NodeEnv }).env;
    return { sim, received, closes, cli };
  }

  it('delivers bytes in order even when chunks are split', () => {
    const { sim, received, closes, cli } = streamWorld({ splitChunks: 1 });
    const s = cli().stream(1).dial('srv:9');
    for (let i = 0; i < 20; i++) s.write(new TextEncoder().encode(`<${i}>`));
    s.close();
    sim.runFor(1000);
    expect(received.join('')).toBe(Array.from({ length: 20 }, (_, i) => `<${i}>`).join(''));
    expect(received.length).toBeGreaterThan(20);
    expect(closes).toEqual([undefined]);
  });

  it('refuses a dial to a port nobody listens on, times out into a partition', () => {
    const { sim, cli } = streamWorld();
    const reasons: StreamCloseReason[] = [];
    cli().stream(1).dial('srv:10').onClose((r) => reasons.push(r));
    sim.runFor(100);
    expect(reasons).toEqual([{ kind: 'refused' }]);
    sim.net.isolate('srv');
    cli().stream(2).dial('srv:9', 300).onClose((r) => reasons.push(r));
    sim.runFor(299);
    expect(reasons.length).toBe(1);
    sim.runFor(2);
    expect(reasons[1]).toEqual({ kind: 'timeout' });
  });

  it('resets the peer when a node crashes', () => {
    const { sim, closes, cli } = streamWorld();
    const s = cli().stream(1).dial('srv:9');
    s.write(new Uint8Array([1]));
    sim.runFor(50);
    sim.crash('cli');
    sim.runFor(50);
    expect(closes).toEqual([{ kind: 'reset' }]);
  });
});

describe('Simulation: disk', () => {
  function diskNode(tornWrites: boolean) {
    const sim = new Simulation({ seed: 3, disk: { tornWrites } });
    sim.addNode({ id: 'd', start: (env) => ({ env }) });
    const env = () => (sim.node<{ env: NodeEnv }>('d').process as { env: NodeEnv }).env;
    return { sim, env };
  }
  const rec = (index: number) => ({ index, term: 1, type: 0, data: new Uint8Array([index]) });

  it('keeps synced writes and loses unsynced ones on a crash', () => {
    const { sim, env } = diskNode(false);
    const log = env().logStore('raft');
    const stable = env().stableStore('raft');
    log.append([rec(1), rec(2)]);
    stable.set('term', new Uint8Array([5]));
    let synced = false;
    log.sync(() => (synced = true));
    stable.sync(() => {});
    sim.runFor(10);
    expect(synced).toBe(true);
    log.append([rec(3)]);
    stable.set('term', new Uint8Array([6]));
    expect(log.lastIndex()).toBe(3);
    sim.crash('d');
    sim.start('d');
    expect(env().logStore('raft').lastIndex()).toBe(2);
    expect(env().stableStore('raft').get('term')).toEqual(new Uint8Array([5]));
  });

  it('leaves a prefix of unsynced writes when writes tear', () => {
    for (let seed = 0; seed < 30; seed++) {
      const sim = new Simulation({ seed, disk: { tornWrites: true } });
      sim.addNode({ id: 'd', start: (env) => ({ env }) });
      const env = () => (sim.node<{ env: NodeEnv }>('d').process as { env: NodeEnv }).env;
      const log = env().logStore('l');
      log.append([rec(1), rec(2), rec(3)]);
      log.append([rec(4)]);
      log.truncateFrom(4);
      log.append([rec(4), rec(5)]);
      sim.crash('d');
      sim.start('d');
      const after = env().logStore('l');
      const indexes = after.range(1, 10).map((e) => e.index);
      expect(indexes).toEqual(Array.from({ length: after.lastIndex() }, (_, i) => i + 1));
      expect(after.lastIndex()).toBeLessThanOrEqual(5);
    }
  });

  it('completes syncs in request order and drops their callbacks on a crash', () => {
    const { sim, env } = diskNode(false);
    const log = env().logStore('l');
    const order: number[] = [];
    for (let i = 1; i <= 5; i++) {
      log.append([rec(i)]);
      log.sync(() => order.push(i));
    }
    sim.runFor(100);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    log.append([rec(6)]);
    log.sync(() => order.push(6));
    sim.crash('d');
    sim.runFor(100);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('makes a snapshot visible only once saved', () => {
    const { sim, env } = diskNode(false);
    const snaps = env().snapshotStore('s');
    const meta = { id: '1-10', index: 10, term: 1, configuration: new Uint8Array(), size: 0 };
    snaps.save(meta, new Uint8Array([1, 2]), () => {});
    expect(snaps.latest()).toBeUndefined();
    sim.runFor(10);
    expect(snaps.latest()?.meta.index).toBe(10);
    expect(snaps.latest()?.meta.size).toBe(2);
  });
});
