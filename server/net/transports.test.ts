/** The Node socket adapters and the gossip edge (labels, encryption) on loopback. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Stream, StreamCloseReason } from '../../core/ports/transport.ts';
import { keyFromBase64 } from '../../core/gossip/security/keyring.ts';
import { type GossipNode, startGossipNode } from '../runtime/gossip-node.ts';
import { ConsoleLogger } from '../runtime/console-logger.ts';
import { bindGossipTransports } from './gossip-transports.ts';
import { TcpTransport } from './tcp-transport.ts';
import { UdpTransport } from './udp-transport.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

function next<T>(register: (cb: (v: T) => void) => void): Promise<T> {
  return new Promise((resolve) => register(resolve));
}

describe('UDP and TCP transports', () => {
  it('delivers datagrams with the sender address', async () => {
    const a = await UdpTransport.bind('127.0.0.1', 0);
    const b = await UdpTransport.bind('127.0.0.1', 0);
    closers.push(() => a.close(), () => b.close());
    const got = next<[string, Uint8Array]>((cb) => b.onPacket((from, data) => cb([from, data])));
    a.send(b.localAddress, Uint8Array.from([1, 2, 3]));
    const [from, data] = await got;
    expect(from).toBe(a.localAddress);
    expect(Array.from(data)).toEqual([1, 2, 3]);
    expect(() => a.send(b.localAddress, new Uint8Array(70_000))).toThrow(/exceeds/);
  });

  it('streams bytes in order both ways and reports refused dials', async () => {
    const server = await TcpTransport.listen('127.0.0.1', 0);
    const client = await TcpTransport.listen('127.0.0.1', 0);
    closers.push(() => server.close(), () => client.close());
    server.onAccept((s: Stream) => {
      s.onData((chunk) => s.write(chunk));
      s.onClose(() => undefined);
    });
    const s = client.dial(server.localAddress, 2_000);
    const chunks: number[] = [];
    const done = next<void>((cb) =>
      s.onData((c) => {
        chunks.push(...c);
        if (chunks.length === 6) cb();
      }),
    );
    s.write(Uint8Array.from([1, 2, 3]));
    s.write(Uint8Array.from([4, 5, 6]));
    await done;
    expect(chunks).toEqual([1, 2, 3, 4, 5, 6]);
    s.close();

    const port = Number(server.localAddress.split(':')[1]);
    server.close();
    const refused = client.dial(`127.0.0.1:${port}`, 2_000);
    const reason = await next<StreamCloseReason>((cb) => refused.onClose(cb));
    expect(reason).toEqual({ kind: 'refused' });
  });

  it('binds UDP and TCP on the same port', async () => {
    const t = await bindGossipTransports('127.0.0.1', 0);
    closers.push(() => t.packet.close(), () => t.stream.close());
    expect(t.packet.localAddress).toBe(t.stream.localAddress);
  });
});

describe('gossip edge on real sockets', () => {
  const nodes: GossipNode[] = [];
  afterEach(() => {
    for (const n of nodes.splice(0)) n.shutdown();
  });

  async function start(name: string, opts: { keys?: string[]; label?: string }, lines?: string[]): Promise<GossipNode> {
    const n = await startGossipNode({
      name,
      profile: 'local',
      keys: opts.keys?.map(keyFromBase64),
      label: opts.label,
      logger: lines ? new ConsoleLogger('debug', '', (l) => lines.push(l)) : undefined,
    });
    nodes.push(n);
    return n;
  }

  const join = (n: GossipNode, to: GossipNode) =>
    new Promise<number>((resolve) => n.serf.join([to.address], false, (joined) => resolve(joined)));

  it('joins with the same label and key; rejects a different label with a clear log line', async () => {
    const key = 'cg8StVXbQJ0gPvMd9o7yrg==';
    const a = await start('edge-a', { keys: [key], label: 'dc1' });
    const b = await start('edge-b', { keys: [key], label: 'dc1' });
    expect(await join(b, a)).toBe(1);
    const lines: string[] = [];
    const c = await start('edge-c', { keys: [key], label: 'dc2' }, lines);
    expect(await join(a, c)).toBe(0);
    expect(lines.some((l) => /unacceptable label/.test(l))).toBe(true);
  });

  it('an unencrypted node cannot join an encrypted one', async () => {
    const a = await start('plain-a', {});
    const lines: string[] = [];
    const b = await start('sealed-b', { keys: ['cg8StVXbQJ0gPvMd9o7yrg=='] }, lines);
    expect(await join(a, b)).toBe(0);
    expect(lines.some((l) => /not encrypted/.test(l))).toBe(true);
  });
});
