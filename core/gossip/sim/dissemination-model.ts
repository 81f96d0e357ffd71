/**
 * A lightweight model of how one broadcast spreads through a memberlist pool that has converged:
 * every node gossips every GossipInterval to GossipNodes random peers (random phase per node),
 * and piggybacks on its probe ping and on acks, through memberlist's own TransmitLimitedQueue with
 * its retransmit limit. Membership itself is not simulated (every node knows every other), which
 * keeps 10,000-node runs cheap. Serf's published convergence figures come from a model of the same
 * kind; the 1,000-node figure is also measured with the full stack (see the gossip scenario).
 */
import { Prng } from '../../lib/prng.ts';
import { TransmitLimitedQueue } from '../memberlist/broadcast-queue.ts';
import type { MemberlistConfig } from '../memberlist/config.ts';
import { MemNet } from '../testing/mem-net.ts';

export interface DisseminationResult {
  nodes: number;
  /** ms from the broadcast until `fraction` of the nodes had it; -1 if never. */
  reachMs: number;
  /** Fraction reached by the end. */
  finalCoverage: number;
  packets: number;
}

export function disseminationModel(
  nodes: number,
  config: MemberlistConfig,
  seed: number,
  options: { fraction?: number; loss?: number; maxMs?: number } = {},
): DisseminationResult {
  const fraction = options.fraction ?? 0.999;
  const rng = new Prng(seed);
  const net = new MemNet(rng.split('net'), { latency: 0.2, jitter: 0.8, loss: options.loss ?? 0 });
  const queues: TransmitLimitedQueue[] = [];
  const has = new Uint8Array(nodes);
  let reached = 0;
  let reachMs = -1;
  const start = 0;
  const random = rng.split('gossip');
  const message = new Uint8Array(60);
  const target = Math.ceil(nodes * fraction);

  const receive = (i: number) => {
    if (has[i]) return;
    has[i] = 1;
    reached++;
    queues[i]?.queueBroadcast({ message });
    if (reachMs < 0 && reached >= target) reachMs = net.now - start;
  };
  const send = (to: number, carries: boolean) => {
    net.packetsSent++;
    if (!carries) return;
    if ((options.loss ?? 0) > 0 && random.chance(options.loss ?? 0)) return;
    net.schedule(0.2 + random.float() * 0.8, () => receive(to));
  };
  const pickOther = (i: number) => {
    const j = random.int(nodes - 1);
    return j >= i ? j + 1 : j;
  };
  const takes = (i: number) => (queues[i]?.getBroadcasts(2, config.udpBufferSize - 100).length ?? 0) > 0;

  for (let i = 0; i < nodes; i++) {
    queues.push(new TransmitLimitedQueue(() => nodes, config.retransmitMult));
    const gossipLoop = (delay: number) =>
      net.schedule(delay, () => {
        for (let k = 0; k < config.gossipNodes; k++) {
          if (!(queues[i]?.numQueued() ?? 0)) break;
          send(pickOther(i), takes(i));
        }
        gossipLoop(config.gossipInterval);
      });
    gossipLoop(random.float() * config.gossipInterval);
    // A probe each interval: the ping and the ack both piggyback broadcasts.
    const probeLoop = (delay: number) =>
      net.schedule(delay, () => {
        const peer = pickOther(i);
        send(peer, takes(i));
        net.schedule(0.5, () => send(i, takes(peer)));
        probeLoop(config.probeInterval);
      });
    probeLoop(random.float() * config.probeInterval);
  }
  // Let timers settle into their phases, then inject the update at a random node.
  net.runFor(5_000);
  const origin = random.int(nodes);
  const t0 = net.now;
  receive(origin);
  const startAt = t0;
  const maxMs = options.maxMs ?? 60_000;
  net.runFor(maxMs, () => reachMs >= 0);
  return {
    nodes,
    reachMs: reachMs < 0 ? -1 : reachMs - startAt,
    finalCoverage: reached / nodes,
    packets: net.packetsSent,
  };
}
