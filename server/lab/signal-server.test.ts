import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { decodeRelay, encodeRelay, type ServerMessage } from '../../lab/net/signal-protocol.ts';
import { createSignalServer, type SignalServer } from './signal-server.ts';

let http: Server | undefined;
let signal: SignalServer | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await signal?.close();
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
});

async function start(): Promise<string> {
  signal = createSignalServer();
  http = createServer((_req, res) => res.end('http'));
  http.on('upgrade', (req, socket, head) => {
    if (!signal!.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** A tab's socket with a queue of what it received. */
async function tab(url: string) {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const msgs: ServerMessage[] = [];
  const frames: { name: string; frame: number[] }[] = [];
  let closed: number | undefined;
  ws.on('message', (data, binary) => {
    const bytes = new Uint8Array(data as Buffer);
    if (binary) {
      const r = decodeRelay(bytes);
      frames.push({ name: r.name, frame: [...r.frame] });
    } else msgs.push(JSON.parse(String(data)) as ServerMessage);
  });
  ws.on('close', (code) => (closed = code));
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  return { ws, msgs, frames, closed: () => closed, send: (m: unknown) => ws.send(JSON.stringify(m)) };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('lab signal server', () => {
  it('introduces tabs, forwards signals (holding them for a tab not there yet) and relays frames', async () => {
    const base = await start();
    const a = await tab(`${base}/lab/signal?room=r1`);
    a.send({ t: 'hello', name: 's1', host: 's1', dc: 'dc1', server: true });
    await until(() => a.msgs.length === 1);
    expect(a.msgs[0]).toMatchObject({ t: 'welcome', peers: [] });
    // An offer for s2 before s2 exists is held.
    a.send({ t: 'signal', to: 's2', toSession: 0, data: { type: 'offer' } });
    const b = await tab(`${base}/lab/signal?room=r1`);
    b.send({ t: 'hello', name: 's2', host: 'h2', dc: 'dc1', server: false });
    await until(() => b.msgs.length === 2);
    expect(b.msgs[0]).toMatchObject({ t: 'welcome', peers: [{ name: 's1', server: true }] });
    expect(b.msgs[1]).toMatchObject({ t: 'signal', from: 's1', data: { type: 'offer' } });
    await until(() => a.msgs.length === 2);
    expect(a.msgs[1]).toMatchObject({ t: 'joined', peer: { name: 's2', host: 'h2', server: false } });
    // Another room sees none of it.
    const other = await tab(`${base}/lab/signal?room=r2`);
    other.send({ t: 'hello', name: 's1', host: 's1', dc: 'dc1', server: true });
    await until(() => other.msgs.length === 1);
    expect(other.msgs[0]).toMatchObject({ t: 'welcome', peers: [] });
    expect(Object.keys(signal!.rooms()).sort()).toEqual(['r1', 'r2']);
    // Relay: addressed to s2, arrives from s1.
    a.ws.send(encodeRelay('s2', new Uint8Array([1, 2, 3])));
    await until(() => b.frames.length === 1);
    expect(b.frames[0]).toEqual({ name: 's1', frame: [1, 2, 3] });
  });

  it('a tab reopening under the same name replaces the old session; bad input gets an error', async () => {
    const base = await start();
    const a = await tab(`${base}/lab/signal`);
    a.send({ t: 'hello', name: 'n1', host: 'n1', dc: 'dc1', server: true });
    const b = await tab(`${base}/lab/signal`);
    b.send({ t: 'hello', name: 'n2', host: 'n2', dc: 'dc1', server: true });
    await until(() => a.msgs.length === 2);
    const a2 = await tab(`${base}/lab/signal`);
    a2.send({ t: 'hello', name: 'n1', host: 'n1', dc: 'dc1', server: true });
    await until(() => a.closed() === 4000);
    await until(() => b.msgs.length === 3);
    expect(b.msgs.slice(1).map((m) => m.t)).toEqual(['left', 'joined']);
    const bad = await tab(`${base}/lab/signal`);
    bad.ws.send('not json');
    bad.send({ t: 'hello', name: '../etc', host: '', dc: '', server: false });
    bad.send({ t: 'signal', to: 'n1', toSession: 1, data: null });
    await until(() => bad.msgs.length === 3);
    expect(bad.msgs.map((m) => (m.t === 'error' ? m.message : m.t))).toEqual([
      'signal: message is not JSON',
      'signal: invalid node name "../etc"',
      'signal: unexpected "signal" before hello',
    ]);
  });

  it('leaves other upgrade paths alone', async () => {
    const base = await start();
    const ws = new WebSocket(`${base}/elsewhere`);
    sockets.push(ws);
    const err = await new Promise<Error>((r) => ws.once('error', r));
    expect(err.message).toMatch(/socket hang up|ECONNRESET|closed/);
  });
});
