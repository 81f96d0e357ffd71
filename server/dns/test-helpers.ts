/**
 * Helpers for the DNS server tests: `dig` as a subprocess, raw UDP/TCP exchanges, and a tiny
 * upstream DNS server on loopback for recursion tests.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { RRType } from '../../core/dns/constants.ts';
import { FrameReader, frame } from './frame-reader.ts';

const run = promisify(execFile);

/** Runs `dig @127.0.0.1 -p <port> <args...>` and returns stdout. */
export async function dig(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args]);
  return stdout;
}

/** Sends one UDP packet and resolves with the first reply (or undefined after `timeoutMs`). */
export function udpExchange(port: number, packet: Uint8Array, timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const done = (v: Buffer | undefined) => {
      clearTimeout(timer);
      s.close();
      resolve(v);
    };
    s.on('message', (m) => done(m));
    s.send(packet, port, '127.0.0.1');
  });
}

/** Sends length-framed queries over one TCP connection and collects `expect` framed replies. */
export function tcpExchange(port: number, packets: Uint8Array[], expect = packets.length, timeoutMs = 3000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const replies: Buffer[] = [];
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(replies);
    }, timeoutMs);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (replies.length >= expect) {
        clearTimeout(timer);
        socket.destroy();
        resolve(replies);
      }
    });
    for (const p of packets) {
      const frame = Buffer.alloc(p.length + 2);
      frame.writeUInt16BE(p.length, 0);
      frame.set(p, 2);
      socket.write(frame);
    }
  });
}

/** Answers like a tiny authoritative server: A for names in `records`, NXDOMAIN otherwise. */
function upstreamAnswer(msg: Buffer, records: Record<string, string>): Buffer {
  let p = 12;
  const labels: string[] = [];
  while (msg[p]) {
    labels.push(msg.subarray(p + 1, p + 1 + msg[p]!).toString('latin1'));
    p += msg[p]! + 1;
  }
  const qEnd = p + 5;
  const ip = records[`${labels.join('.').toLowerCase()}.`];
  const qtype = msg.readUInt16BE(p + 1);
  const answer = ip && qtype === RRType.A ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, ...ip.split('.').map(Number)]) : Buffer.alloc(0);
  const reply = Buffer.concat([msg.subarray(0, qEnd), answer]);
  reply.writeUInt16BE(0x8180 | (ip ? 0 : 3), 2);
  reply.writeUInt16BE(1, 4);
  reply.writeUInt16BE(answer.length ? 1 : 0, 6);
  reply.writeUInt32BE(0, 8);
  return reply;
}

/** A loopback upstream used by the recursion tests. */
export interface TestUpstream {
  port: number;
  udpQueries: () => number;
  tcpQueries: () => number;
  close: () => Promise<void>;
}

/**
 * A minimal authoritative upstream on 127.0.0.1, UDP and TCP on the same port: answers A for names
 * in `records` and NXDOMAIN for the rest, and counts queries per transport. It shares nothing with
 * the resolver's code.
 */
export async function startUpstream(records: Record<string, string>): Promise<TestUpstream> {
  let udp = 0;
  let tcp = 0;
  const onUdp = (socket: UdpSocket) => (msg: Buffer, rinfo: { port: number; address: string }) => {
    udp++;
    socket.send(upstreamAnswer(msg, records), rinfo.port, rinfo.address);
  };
  const onTcp = (c: Socket) => {
    const reader = new FrameReader();
    c.on('error', () => {});
    c.on('data', (chunk: Buffer) => {
      for (const msg of reader.push(chunk)) {
        tcp++;
        c.write(frame(upstreamAnswer(msg, records)));
      }
    });
  };
  const { socket, server, port } = await bindSamePort(onUdp, onTcp);
  return {
    port,
    udpQueries: () => udp,
    tcpQueries: () => tcp,
    close: async () => {
      await new Promise<void>((r) => socket.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * Binds UDP on a free port, then TCP on the same one. The TCP port may already be taken (another
 * test's connection), so it retries with a new UDP port, as DnsServer.start does.
 */
async function bindSamePort(
  onUdp: (s: UdpSocket) => (msg: Buffer, rinfo: { port: number; address: string }) => void,
  onTcp: (c: Socket) => void,
): Promise<{ socket: UdpSocket; server: Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const socket: UdpSocket = createSocket('udp4');
    socket.on('message', onUdp(socket));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const port = socket.address().port;
    const server = createServer(onTcp);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      return { socket, server, port };
    } catch (e) {
      socket.close();
      if (attempt >= 20) throw e;
    }
  }
}
