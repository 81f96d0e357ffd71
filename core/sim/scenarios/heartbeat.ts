import type { Random } from '../../ports/random.ts';
import type { LogStore } from '../../ports/storage.ts';
import type { Stream } from '../../ports/transport.ts';
import { drawSwarmProfile } from '../faults.ts';
import type { ScenarioOptions, ScenarioResult, SimScenario } from '../scenario.ts';
import type { NodeEnv, NodeProcess } from '../sim-node.ts';
import { Simulation } from '../simulation.ts';

/**
 * The simulator's own proving ground. Every node appends a counter to its log and syncs it
 * ("acknowledges" it once the sync calls back), gossips its acknowledged counter to everyone over
 * datagrams, and periodically pushes its whole view to a random peer over a framed stream.
 *
 * Checkers: no acknowledged write is ever missing after a crash (disk semantics); streams deliver
 * every frame intact and in order (framing under split chunks); views never go backwards within an
 * incarnation; after the faults heal, every node learns every other node's latest counter (liveness).
 */
const PACKET_PORT = 7000;
const STREAM_PORT = 7001;

/** What checkers observe from outside the nodes. */
interface Ledger {
  acked: Map<string, number>;
  failures: string[];
  streamFrames: number;
}

/** Frames: 4-byte big-endian length, then `from|counter,counter,...|checksum`. */
function encodeFrame(text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

function checksum(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}

/** Accumulates stream bytes and yields whole frames. */
class FrameReader {
  private buf = new Uint8Array(0);
  push(chunk: Uint8Array): string[] {
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf);
    next.set(chunk, this.buf.length);
    this.buf = next;
    const frames: string[] = [];
    while (this.buf.length >= 4) {
      const len = new DataView(this.buf.buffer, this.buf.byteOffset).getUint32(0);
      if (this.buf.length < 4 + len) break;
      frames.push(new TextDecoder().decode(this.buf.subarray(4, 4 + len)));
      this.buf = this.buf.slice(4 + len);
    }
    return frames;
  }
}

class HeartbeatNode implements NodeProcess {
  private readonly log: LogStore;
  private readonly random: Random;
  private readonly seen = new Map<string, number>();
  private counter: number;

  constructor(
    private readonly env: NodeEnv,
    private readonly peers: string[],
    private readonly ledger: Ledger,
  ) {
    this.log = env.logStore('heartbeat');
    this.random = env.random.split('heartbeat');
    this.counter = this.log.lastIndex();
    const acked = ledger.acked.get(env.id) ?? 0;
    if (this.counter < acked) {
      ledger.failures.push(`${env.id} restarted with log at ${this.counter} but ${acked} was acknowledged`);
    }
    const packets = env.packet(PACKET_PORT);
    packets.onPacket((_from, data) => this.onGossip(new TextDecoder().decode(data)));
    const streams = env.stream(STREAM_PORT);
    streams.onAccept((stream) => this.serve(stream));
    this.tick(packets);
    this.pushLoop(streams);
  }

  private tick(packets: { send(to: string, data: Uint8Array): void }): void {
    this.env.time.setTimer(50, () => {
      const index = this.log.lastIndex() + 1;
      this.log.append([{ index, term: 1, type: 0, data: new Uint8Array([index & 0xff]) }]);
      this.log.sync((err) => {
        if (err) return;
        const prev = this.ledger.acked.get(this.env.id) ?? 0;
        if (index > prev) this.ledger.acked.set(this.env.id, index);
        this.counter = Math.max(this.counter, index);
      });
      const message = new TextEncoder().encode(`${this.env.id}=${this.counter}`);
      for (const peer of this.peers) if (peer !== this.env.id) packets.send(`${peer}:${PACKET_PORT}`, message);
      this.tick(packets);
    });
  }

  private onGossip(text: string): void {
    for (const pair of text.split(',')) {
      const [id, value] = pair.split('=');
      if (id === undefined || value === undefined || id === this.env.id) continue;
      const n = Number(value);
      const prev = this.seen.get(id) ?? 0;
      if (n > prev) this.seen.set(id, n);
    }
  }

  private view(): string {
    return [...this.seen].map(([id, n]) => `${id}=${n}`).join(',');
  }

  private pushLoop(streams: { dial(to: string): Stream }): void {
    this.env.time.setTimer(200 + this.random.int(300), () => {
      const others = this.peers.filter((p) => p !== this.env.id);
      const peer = others[this.random.int(others.length)];
      if (peer !== undefined) this.push(streams.dial(`${peer}:${STREAM_PORT}`));
      this.pushLoop(streams);
    });
  }

  private push(stream: Stream): void {
    for (let i = 0; i < 3; i++) {
      const body = `${i}|${this.view()}`;
      stream.write(encodeFrame(`${body}|${checksum(body)}`));
    }
    stream.close();
  }

  private serve(stream: Stream): void {
    const reader = new FrameReader();
    let expected = 0;
    stream.onData((chunk) => {
      for (const frame of reader.push(chunk)) {
        const cut = frame.lastIndexOf('|');
        const body = frame.slice(0, cut);
        const seq = Number(body.slice(0, body.indexOf('|')));
        if (Number(frame.slice(cut + 1)) !== checksum(body) || seq !== expected) {
          this.ledger.failures.push(`${this.env.id} got a corrupt or out-of-order frame from ${stream.remoteAddress}`);
        }
        expected++;
        this.ledger.streamFrames++;
        this.onGossip(body.slice(body.indexOf('|') + 1));
      }
    });
  }

  /** True when this node has heard at least `target[id]` from every other node. */
  caughtUp(target: Map<string, number>): boolean {
    for (const [id, n] of target) if (id !== this.env.id && (this.seen.get(id) ?? 0) < n) return false;
    return true;
  }
}

/** Runs one seed: a safety phase under swarm faults, then a liveness phase. */
function run(seed: number, options: ScenarioOptions = {}): ScenarioResult {
  const sim = new Simulation({ seed, log: options.log, network: { splitChunks: 0.3 } });
  const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];
  const ledger: Ledger = { acked: new Map(), failures: [], streamFrames: 0 };
  for (const [i, id] of ids.entries()) {
    sim.addNode({ id, dc: i < 3 ? 'dc1' : 'dc2', start: (env) => new HeartbeatNode(env, ids, ledger) });
  }
  const profile = drawSwarmProfile(sim.random.split('profile'), 100, 2);
  const faults = sim.faults(profile);
  faults.start();
  sim.runFor(5_000);
  faults.stopAndHeal();
  sim.runFor(100);
  const target = new Map(ledger.acked);
  const converged = sim.runUntil(
    () => ids.every((id) => sim.node<HeartbeatNode>(id).process?.caughtUp(target) ?? false),
    10_000,
  );
  if (!converged) ledger.failures.push('liveness: views did not converge within 10 s after healing');
  return {
    ok: ledger.failures.length === 0,
    failures: ledger.failures,
    traceHash: sim.trace.hash(),
    stats: { events: sim.trace.size, virtualMs: sim.now, streamFrames: ledger.streamFrames },
    recentTrace: ledger.failures.length > 0 ? sim.trace.recent(30) : undefined,
  };
}

export const heartbeatScenario: SimScenario = {
  name: 'heartbeat',
  description: 'durable counters gossiped over datagrams and framed streams under swarm faults',
  run,
};
