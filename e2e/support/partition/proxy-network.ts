/**
 * The fallback when the machine does not allow network namespaces: a fault-injecting proxy in
 * front of every agent, in the test process. Agent n binds 127.0.0.n and advertises 127.0.0.(10+n),
 * where the proxy listens on the same ports (serf LAN over UDP and TCP, server RPC over TCP), so
 * all agent-to-agent traffic passes through it. The test reaches each agent's HTTP API directly.
 *
 * Who sends what: a UDP packet's source is the sender's bound serf socket (127.0.0.n); the proxy
 * forwards it from the sender's own proxy address, so replies come back through the proxy too. TCP
 * dials leave from 127.0.0.1 whoever dials, so the proxy finds the dialling agent by the socket's
 * inode: /proc/net/tcp maps the connection to an inode, and /proc/<pid>/fd of each agent shows who
 * holds it.
 *
 * A cut A→B drops A's UDP packets to B and stalls the A→B direction of every TCP connection
 * between them (bytes are held, as TCP would retransmit them, and delivered on heal); a new
 * connection from A to B is accepted but gets no answer, like a dropped SYN.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AgentPorts, AgentSlot, PartitionNetwork } from './network.ts';

const real = (n: number) => `127.0.0.${n}`;
const proxied = (n: number) => `127.0.0.${10 + n}`;

/** A proxied TCP connection: one held-back queue per direction. */
interface Pipe {
  from: number;
  to: number;
  client: Socket;
  upstream: Socket;
  /** Bytes held while the client→upstream (`from`→`to`) direction is cut. */
  held: Buffer[];
  /** Bytes held while the upstream→client (`to`→`from`) direction is cut. */
  heldBack: Buffer[];
}

/** `127.0.0.1:port` as /proc/net/tcp writes it (little-endian address, big-endian port). */
function procAddr(ip: string, port: number): string {
  const hex = ip
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0').toUpperCase())
    .reverse()
    .join('');
  return `${hex}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

export class ProxyNetwork implements PartitionNetwork {
  readonly kind = 'proxy';
  private readonly cutSet = new Set<string>();
  private readonly pids = new Map<number, number>();
  private readonly servers: Server[] = [];
  /** The proxy's UDP sockets, by `<agent>:<port>`. */
  private readonly udp = new Map<string, UdpSocket>();
  private readonly pipes = new Set<Pipe>();

  private constructor(
    readonly ports: AgentPorts,
    private readonly count: number,
  ) {}

  get description(): string {
    return `fault-injecting proxy: agents bind 127.0.0.1-${this.count} and advertise 127.0.0.11-${10 + this.count}, where the test's proxy forwards serf UDP/TCP and RPC`;
  }

  /** Starts the proxy listeners for `count` agents on `ports`. */
  static async create(count: number, ports: AgentPorts): Promise<ProxyNetwork> {
    const net = new ProxyNetwork(ports, count);
    try {
      for (let n = 1; n <= count; n++) {
        for (const port of [ports.serfLan, ports.serfWan]) await net.listenUdp(n, port);
        for (const port of [ports.serfLan, ports.serfWan, ports.server]) await net.listenTcp(n, port);
      }
    } catch (e) {
      await net.destroy();
      throw e;
    }
    return net;
  }

  slot(n: number): AgentSlot {
    return { bindIp: real(n), advertiseIp: proxied(n), httpIp: real(n), wrap: [] };
  }

  /** Which process is agent `n` (its TCP dials are recognised by their sockets). */
  attachProcess(n: number, pid: number): void {
    this.pids.set(n, pid);
  }

  private isCut(from: number, to: number): boolean {
    return this.cutSet.has(`${from}->${to}`);
  }

  private listenUdp(n: number, port: number): Promise<void> {
    const sock = createSocket('udp4');
    this.udp.set(`${n}:${port}`, sock);
    sock.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      const from = this.agentOfIp(rinfo.address);
      if (from === undefined || this.isCut(from, n)) return;
      // Out through the sender's proxy socket, so that the receiver answers via the proxy.
      this.udp.get(`${from}:${port}`)?.send(msg, port, real(n));
    });
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(port, proxied(n), () => {
        sock.removeListener('error', reject);
        sock.on('error', () => {});
        resolve();
      });
    });
  }

  private agentOfIp(ip: string): number | undefined {
    const m = /^127\.0\.0\.(\d+)$/.exec(ip);
    const n = m ? Number(m[1]) : 0;
    return n >= 1 && n <= this.count ? n : undefined;
  }

  private listenTcp(to: number, port: number): Promise<void> {
    const server = createServer((client) => this.accept(client, to, port));
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, proxied(to), () => resolve());
    });
  }

  private accept(client: Socket, to: number, port: number): void {
    client.on('error', () => {});
    const from = this.dialler(client.remoteAddress ?? '', client.remotePort ?? 0, proxied(to), port);
    if (from === undefined) {
      // Not one of the agents (or gone already): refuse rather than forward unattributed bytes.
      client.destroy();
      return;
    }
    const upstream = connect({ host: real(to), port });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pipe: Pipe = { from, to, client, upstream, held: [], heldBack: [] };
    this.pipes.add(pipe);
    client.on('data', (chunk: Buffer) => (this.isCut(from, to) ? pipe.held.push(chunk) : upstream.write(chunk)));
    upstream.on('data', (chunk: Buffer) => (this.isCut(to, from) ? pipe.heldBack.push(chunk) : client.write(chunk)));
    const close = () => {
      this.pipes.delete(pipe);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
  }

  /** The agent holding the client end of a TCP connection to `toIp:toPort` from `ip:port`. */
  private dialler(ip: string, port: number, toIp: string, toPort: number): number | undefined {
    const byIp = this.agentOfIp(ip);
    if (byIp !== undefined && ip !== '127.0.0.1') return byIp;
    const local = procAddr(ip, port);
    const remote = procAddr(toIp, toPort);
    let inode = '';
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1] === local && f[2] === remote) inode = f[9] ?? '';
    }
    if (inode === '' || inode === '0') return undefined;
    const target = `socket:[${inode}]`;
    for (const [n, pid] of this.pids) {
      let fds: string[] = [];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return n;
        } catch {
          // closed meanwhile
        }
      }
    }
    return undefined;
  }

  async cut(from: number, to: number): Promise<void> {
    this.cutSet.add(`${from}->${to}`);
  }

  async heal(): Promise<void> {
    this.cutSet.clear();
    for (const p of this.pipes) {
      for (const chunk of p.held.splice(0)) p.upstream.write(chunk);
      for (const chunk of p.heldBack.splice(0)) p.client.write(chunk);
    }
  }

  cuts(): string[] {
    return [...this.cutSet];
  }

  async destroy(): Promise<void> {
    for (const p of this.pipes) {
      p.client.destroy();
      p.upstream.destroy();
    }
    this.pipes.clear();
    for (const s of this.udp.values()) s.close();
    this.udp.clear();
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
    this.servers.length = 0;
  }
}
