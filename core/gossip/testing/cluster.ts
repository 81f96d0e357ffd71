/** Builds serf clusters on MemNet for unit tests and the dissemination benchmark. */
import { Prng } from '../../lib/prng.ts';
import { nullLogger } from '../../ports/logger.ts';
import type { TraceSink } from '../../ports/trace.ts';
import { nullTraceSink } from '../../ports/trace.ts';
import { defaultLanConfig, type MemberlistConfig } from '../memberlist/config.ts';
import { defaultSerfConfig, type SerfConfig } from '../serf/config.ts';
import type { SerfEvent } from '../serf/events.ts';
import { Serf } from '../serf/serf.ts';
import { type LinkConfig, MemNet } from './mem-net.ts';

export const GOSSIP_PORT = 7946;

export interface MemCluster {
  net: MemNet;
  nodes: Map<string, Serf>;
  events: Map<string, SerfEvent[]>;
  add(name: string, tune?: (c: SerfConfig) => void): Serf;
  /** Names of members `observer` sees with `status`. */
  seen(observer: string, status: string): string[];
}

export function memCluster(seed: number, link?: Partial<LinkConfig>, ml?: (name: string) => MemberlistConfig, trace: TraceSink = nullTraceSink, keepEvents = true): MemCluster {
  const rng = new Prng(seed);
  const net = new MemNet(rng.split('net'), { latency: 1, jitter: 1, loss: 0, ...link });
  const nodes = new Map<string, Serf>();
  const events = new Map<string, SerfEvent[]>();
  const add = (name: string, tune?: (c: SerfConfig) => void) => {
    const config = defaultSerfConfig(name, ml ? ml(name) : defaultLanConfig(name));
    tune?.(config);
    const list: SerfEvent[] = [];
    events.set(name, list);
    const serf = new Serf({
      config,
      packet: net.packet(name, GOSSIP_PORT),
      stream: net.stream(name, GOSSIP_PORT),
      time: net.time(name),
      random: rng.split(`node:${name}`),
      logger: nullLogger,
      trace,
      onEvent: keepEvents ? (e) => list.push(e) : undefined,
    });
    nodes.set(name, serf);
    return serf;
  };
  const seen = (observer: string, status: string) =>
    (nodes.get(observer)?.membersList() ?? []).filter((m) => m.status === status).map((m) => m.name).sort();
  return { net, nodes, events, add, seen };
}
