import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AgentRuntime } from '../../core/agent/agent-runtime.ts';
import type { Timers } from '../../core/ports/clock.ts';
import type { PacketTransport, StreamTransport } from '../../core/ports/transport.ts';
import { decodeRelay, encodeRelay, type ServerMessage } from '../../lab/net/signal-protocol.ts';
import { TabNetwork } from '../../lab/net/tab-network.ts';
import { AGENT_ROOM, AgentBridge } from './agent-bridge.ts';
import { createSignalServer, type SignalServer } from './signal-server.ts';

const timers: Timers = {
  setTimer(ms, cb) {
    const t = setTimeout(cb, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

let http: Server | undefined;
let signal: SignalServer | undefined;
let ws: WebSocket | undefined;
afterEach(async () => {
  ws?.terminate();
  await signal?.close();
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

/** Real transports that only record what the agent sent to real addresses. */
function fakeReal() {
  const sent: string[] = [];
  const packet: PacketTransport = { localAddress: '127.0.0.1:8301', maxPacketSize: 65_536, send: (to) => void sent.push(to), onPacket() {}, close() {} };
  const stream: StreamTransport = { localAddress: '127.0.0.1:8301', dial: (to) => {
      sent.push(`dial ${to}`);
      throw new Error('no real dials in this test');
    },
    onAccept() {},
    close() {},
  };
  return { sent, rt: { packet: () => packet, stream: () => stream } as unknown as AgentRuntime };
}

describe('AgentBridge', () => {
  it('routes tab hosts over the relay and everything else over the real sockets, both ways', async () => {
    signal = createSignalServer();
    http = createServer();
    http.on('upgrade', (req, socket, head) => signal!.handleUpgrade(req, socket, head) || socket.destroy());
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
    const bridge = new AgentBridge({ signal, name: 'agent1', host: '127.0.0.1', serfLanPort: 8301, dc: 'dc1', server: true, timers });
    const real = fakeReal();
    const rt = bridge.wrap(real.rt);

    // The tab: a TabNetwork whose only path is the relay.
    const tab = new TabNetwork('t1', timers);
    const msgs: ServerMessage[] = [];
    ws = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/lab/signal?room=${AGENT_ROOM}`);
    ws.on('message', (data, binary) => {
      if (!binary) return void msgs.push(JSON.parse(String(data)) as ServerMessage);
      const r = decodeRelay(new Uint8Array(data as Buffer));
      tab.receive(r.name === 'agent1' ? '127.0.0.1' : r.name, r.frame);
    });
    await new Promise((r) => ws!.once('open', r));
    ws.send(JSON.stringify({ t: 'hello', name: 't1', host: 't1', dc: 'dc1', server: false, rtc: false }));
    await until(() => msgs.length > 0);
    expect(msgs[0]).toMatchObject({ t: 'welcome', peers: [{ name: 'agent1', host: '127.0.0.1', rtc: false, serfLan: 8301 }] });
    tab.attach('127.0.0.1', (frame) => ws!.send(encodeRelay('agent1', frame)));
    await until(() => bridge.isTab('t1:8301'));

    // Tab → agent, and agent → tab, for packets.
    const atAgent: string[] = [];
    rt.packet(8301).onPacket((from, d) => atAgent.push(`${from} ${d[0]}`));
    const atTab: string[] = [];
    tab.packet(8301).onPacket((from, d) => atTab.push(`${from} ${d[0]}`));
    tab.packet(8301).send('127.0.0.1:8301', new Uint8Array([1]));
    rt.packet(8301).send('t1:8301', new Uint8Array([2]));
    rt.packet(8301).send('10.0.0.9:8301', new Uint8Array([3]));
    await until(() => atAgent.length === 1 && atTab.length === 1);
    expect(atAgent).toEqual(['t1:8301 1']);
    expect(atTab).toEqual(['127.0.0.1:8301 2']);
    expect(real.sent).toEqual(['10.0.0.9:8301']);

    // A stream from the agent to the tab.
    const got: number[] = [];
    tab.stream(8301).onAccept((s) => s.onData((c) => got.push(...c)));
    const s = rt.stream(8301).dial('t1:8301');
    s.write(new Uint8Array([7, 8]));
    await until(() => got.length === 2);
    expect(got).toEqual([7, 8]);

    // The tab leaves: its host is no longer routed to the relay.
    ws.close();
    await until(() => !bridge.isTab('t1:8301'));
    bridge.close();
    expect(signal.rooms()).toEqual({});
  });
});
