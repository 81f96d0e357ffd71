/**
 * Lets lab tabs join this agent's own gossip pool through the relay: the agent becomes a virtual
 * peer of the signaling room "agent", and its packet and stream transports are wrapped so that
 * traffic for a tab's host (`c1:8301`) goes over the lab's frames (lab/net/tab-network.ts, the
 * same code the tabs run) through the tab's signaling socket, while every other address still
 * uses the real UDP and TCP sockets. Tabs reach the agent at its advertised `host:port`s, which
 * their own tab network maps to this virtual peer.
 *
 * Tabs have no gossip key: this works with agents that do not encrypt gossip (as `-dev`). Other
 * real agents in the pool cannot reach a tab directly; they learn about it through this agent.
 */
import type { AgentRuntime } from '../../core/agent/agent-runtime.ts';
import type { Timers } from '../../core/ports/clock.ts';
import type { Address, PacketHandler, PacketTransport, Stream, StreamTransport } from '../../core/ports/transport.ts';
import type { PeerInfo, ServerMessage } from '../../lab/net/signal-protocol.ts';
import { splitAddress, TabNetwork } from '../../lab/net/tab-network.ts';
import type { SignalServer, VirtualPeer } from './signal-server.ts';

/** The signaling room whose tabs join the agent's pool. */
export const AGENT_ROOM = 'agent';

export interface AgentBridgeOptions {
  signal: SignalServer;
  name: string;
  /** The agent's advertised LAN host (the tabs address it by this). */
  host: string;
  serfLanPort: number;
  dc: string;
  server: boolean;
  timers: Timers;
  log?: (message: string) => void;
}

export class AgentBridge {
  readonly net: TabNetwork;
  private readonly peer: VirtualPeer;
  /** Tab name → its host, for the tabs in the room now. */
  private readonly hosts = new Map<string, string>();
  private readonly packets = new Map<number, PacketTransport>();
  private readonly streams = new Map<number, StreamTransport>();

  constructor(private readonly o: AgentBridgeOptions) {
    this.net = new TabNetwork(o.host, o.timers);
    this.peer = o.signal.addVirtualPeer(
      AGENT_ROOM,
      { name: o.name, host: o.host, dc: o.dc, server: o.server, rtc: false, serfLan: o.serfLanPort },
      { onMessage: (m) => this.onMessage(m), onRelay: (from, frame) => this.onRelay(from, frame) },
    );
    for (const p of this.peer.peers) this.attach(p);
  }

  private attach(p: PeerInfo): void {
    this.hosts.set(p.name, p.host);
    this.net.attach(p.host, (frame) => this.peer.sendRelay(p.name, frame));
    this.o.log?.(`lab tab ${p.name} is reachable at ${p.host} through the relay`);
  }

  private onMessage(m: ServerMessage): void {
    if (m.t === 'joined') this.attach(m.peer);
    else if (m.t === 'left') {
      const host = this.hosts.get(m.name);
      if (host === undefined) return;
      this.hosts.delete(m.name);
      this.net.detach(host);
    }
  }

  private onRelay(from: string, frame: Uint8Array): void {
    const host = this.hosts.get(from);
    if (host !== undefined) this.net.receive(host, frame);
  }

  /** Whether `addr` belongs to a tab in the room. */
  isTab(addr: Address): boolean {
    try {
      return this.net.peerHosts().includes(splitAddress(addr).host);
    } catch {
      return false;
    }
  }

  /** The runtime the agent runs on: the same, with its transports bridged. */
  wrap<T extends AgentRuntime>(rt: T): T {
    return {
      ...rt,
      packet: (port) => memo(this.packets, port, () => new BridgedPackets(rt.packet(port), this.net.packet(port), this)),
      stream: (port) => memo(this.streams, port, () => new BridgedStreams(rt.stream(port), this.net.stream(port), this)),
    };
  }

  close(): void {
    this.peer.remove();
    for (const host of this.hosts.values()) this.net.detach(host);
    this.hosts.clear();
  }
}

function memo<T>(m: Map<number, T>, k: number, make: () => T): T {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    m.set(k, v);
  }
  return v;
}

/** Datagrams: tabs' hosts over the lab frames, the rest over UDP; both deliver to one handler. */
class BridgedPackets implements PacketTransport {
  constructor(
    private readonly real: PacketTransport,
    private readonly lab: PacketTransport,
    private readonly bridge: AgentBridge,
  ) {}
  get localAddress(): Address {
    return this.real.localAddress;
  }
  get maxPacketSize(): number {
    return Math.min(this.real.maxPacketSize, this.lab.maxPacketSize);
  }
  send(to: Address, data: Uint8Array): void {
    if (this.bridge.isTab(to)) this.lab.send(to, data);
    else this.real.send(to, data);
  }
  onPacket(handler: PacketHandler): void {
    this.real.onPacket(handler);
    this.lab.onPacket(handler);
  }
  close(): void {
    this.real.close();
    this.lab.close();
  }
}

/** Streams: dials to tabs go over the lab frames; streams from tabs are accepted like TCP ones. */
class BridgedStreams implements StreamTransport {
  constructor(
    private readonly real: StreamTransport,
    private readonly lab: StreamTransport,
    private readonly bridge: AgentBridge,
  ) {}
  get localAddress(): Address {
    return this.real.localAddress;
  }
  dial(to: Address, timeoutMs?: number): Stream {
    return this.bridge.isTab(to) ? this.lab.dial(to, timeoutMs) : this.real.dial(to, timeoutMs);
  }
  onAccept(handler: (stream: Stream) => void): void {
    this.real.onAccept(handler);
    this.lab.onAccept(handler);
  }
  close(): void {
    this.real.close();
    this.lab.close();
  }
}
