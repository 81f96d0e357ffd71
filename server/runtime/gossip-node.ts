/**
 * Runs one serf/memberlist node on real sockets: binds UDP+TCP on one port, wraps them in the
 * encryption/label edge, and starts Serf with the Node clock. The agent and the interop tests use
 * this.
 */
import { defaultLanConfig, defaultLocalConfig, defaultWanConfig } from '../../core/gossip/memberlist/config.ts';
import { EdgePacketTransport, EdgeStreamTransport, edgeOverhead } from '../../core/gossip/security/edge.ts';
import { Keyring } from '../../core/gossip/security/keyring.ts';
import { keyQueryResponder } from '../../core/gossip/serf/key-manager.ts';
import { defaultSerfConfig, type SerfConfig } from '../../core/gossip/serf/config.ts';
import type { SerfEvent } from '../../core/gossip/serf/events.ts';
import { Serf } from '../../core/gossip/serf/serf.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { nullLogger } from '../../core/ports/logger.ts';
import { nullTraceSink, type TraceSink } from '../../core/ports/trace.ts';
import { bindGossipTransports } from '../net/gossip-transports.ts';
import { cryptoNonces, secureSeededPrng } from './crypto-random.ts';
import { NodeTimeSource } from './node-time.ts';

export interface GossipNodeOptions {
  name: string;
  host?: string;
  port?: number;
  profile?: 'lan' | 'wan' | 'local';
  /** Encryption keys, primary first. */
  keys?: Uint8Array[];
  label?: string;
  tags?: Record<string, string>;
  logger?: Logger;
  trace?: TraceSink;
  onEvent?: (e: SerfEvent) => void;
  /** Adjusts the serf config (and its memberlist config) before start. */
  tune?: (c: SerfConfig) => void;
}

export interface GossipNode {
  serf: Serf;
  keyring: Keyring;
  address: string;
  /** Leaves gracefully, then shuts down. */
  leaveAndShutdown(): Promise<void>;
  /** Shuts down at once (as a crash would, but closing sockets). */
  shutdown(): void;
}

export async function startGossipNode(opts: GossipNodeOptions): Promise<GossipNode> {
  const logger = opts.logger ?? nullLogger;
  const { packet, stream, address } = await bindGossipTransports(opts.host ?? '127.0.0.1', opts.port ?? 0, logger);
  const keyring = new Keyring(opts.keys ?? []);
  const edgeOpts = { keyring, label: opts.label ?? '', nonces: cryptoNonces, logger, verifyIncoming: true, verifyOutgoing: true };
  const profile = opts.profile ?? 'lan';
  const ml =
    profile === 'local' ? defaultLocalConfig(opts.name) : profile === 'wan' ? defaultWanConfig(opts.name) : defaultLanConfig(opts.name);
  const config = defaultSerfConfig(opts.name, ml);
  config.tags = opts.tags ?? {};
  opts.tune?.(config);
  const serf = new Serf({
    config,
    packet: new EdgePacketTransport(packet, edgeOpts),
    stream: new EdgeStreamTransport(stream, edgeOpts),
    time: new NodeTimeSource(),
    random: secureSeededPrng(),
    logger,
    trace: opts.trace ?? nullTraceSink,
    onEvent: opts.onEvent,
    packetOverhead: edgeOverhead(edgeOpts),
    internalQuery: keyQueryResponder(keyring),
  });
  return {
    serf,
    keyring,
    address,
    leaveAndShutdown: () =>
      new Promise((resolve) => {
        serf.leave(() => {
          serf.shutdown();
          resolve();
        });
      }),
    shutdown: () => serf.shutdown(),
  };
}
