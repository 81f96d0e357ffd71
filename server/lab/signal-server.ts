/**
 * The lab's signaling and relay endpoint on the agent's HTTP port (`/lab/signal`, WebSocket via
 * `ws`): tabs say hello with their node name, learn about each other, exchange WebRTC offers,
 * answers and candidates through it, and fall back to relaying their link frames through it when
 * WebRTC cannot connect. Tabs meet in rooms (`/lab/signal?room=x`, default "default") so that
 * separate labs on one agent do not see each other.
 *
 * Signals for a name that is not connected yet are held (a while, a bounded number) and delivered
 * when it says hello: the initiator's offer can outrun the other tab's page load.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { type ClientMessage, decodeRelay, encodeRelay, NAME_PATTERN, type PeerInfo, type ServerMessage } from '../../lab/net/signal-protocol.ts';

export const SIGNAL_PATH = '/lab/signal';
/** How long and how many signals are held for a tab that has not connected yet. */
const HOLD_MS = 30_000;
const HOLD_MAX = 200;
/** A connection that sends no hello in this time is closed. */
const HELLO_TIMEOUT_MS = 10_000;

interface Tab {
  info: PeerInfo;
  socket: WebSocket;
}

interface Room {
  tabs: Map<string, Tab>;
  held: Map<string, { at: number; msg: ServerMessage }[]>;
}

export interface SignalServer {
  /** Takes the upgrade if it is for `/lab/signal`; returns false (touching nothing) otherwise. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Tabs per room, for the agent's logs and tests. */
  rooms(): Record<string, PeerInfo[]>;
  close(): Promise<void>;
}

export function createSignalServer(log: (message: string) => void = () => {}): SignalServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const rooms = new Map<string, Room>();
  let nextSession = 1;

  const roomOf = (name: string): Room => {
    let r = rooms.get(name);
    if (!r) {
      r = { tabs: new Map(), held: new Map() };
      rooms.set(name, r);
    }
    return r;
  };
  const send = (socket: WebSocket, msg: ServerMessage) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
  };
  const broadcast = (room: Room, except: string, msg: ServerMessage) => {
    for (const [name, tab] of room.tabs) if (name !== except) send(tab.socket, msg);
  };

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const roomName = new URL(req.url ?? '/', 'http://x').searchParams.get('room') || 'default';
    const room = roomOf(roomName);
    let me: Tab | undefined;
    const helloTimer = setTimeout(() => me || socket.close(4001, 'no hello'), HELLO_TIMEOUT_MS);
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      const bytes = toBytes(raw);
      if (isBinary) return relay(room, me, bytes);
      let msg: ClientMessage;
      try {
        msg = JSON.parse(new TextDecoder().decode(bytes)) as ClientMessage;
      } catch {
        return send(socket, { t: 'error', message: 'signal: message is not JSON' });
      }
      if (msg.t === 'hello') {
        if (me) return send(socket, { t: 'error', message: 'signal: hello sent twice' });
        if (typeof msg.name !== 'string' || !NAME_PATTERN.test(msg.name)) return send(socket, { t: 'error', message: `signal: invalid node name ${JSON.stringify(msg.name)}` });
        clearTimeout(helloTimer);
        me = hello(room, socket, msg);
        log(`lab tab ${me.info.name} joined room ${roomName} (session ${me.info.session})`);
        return;
      }
      if (msg.t === 'signal' && me) return forward(room, me, msg);
      send(socket, { t: 'error', message: `signal: unexpected ${JSON.stringify((msg as { t?: unknown }).t)}${me ? '' : ' before hello'}` });
    });
    socket.on('close', () => {
      clearTimeout(helloTimer);
      if (!me || room.tabs.get(me.info.name) !== me) return;
      room.tabs.delete(me.info.name);
      broadcast(room, me.info.name, { t: 'left', name: me.info.name, session: me.info.session });
      log(`lab tab ${me.info.name} left room ${roomName}`);
    });
    socket.on('error', () => socket.terminate());
  });

  function hello(room: Room, socket: WebSocket, msg: Extract<ClientMessage, { t: 'hello' }>): Tab {
    const info: PeerInfo = { name: msg.name, host: typeof msg.host === 'string' && msg.host !== '' ? msg.host : msg.name, dc: msg.dc || 'dc1', server: msg.server === true, rtc: msg.rtc !== false, session: nextSession++ };
    const old = room.tabs.get(info.name);
    if (old) {
      // The same node reopened (a restart): the old connection is a dead tab.
      room.tabs.delete(info.name);
      broadcast(room, info.name, { t: 'left', name: info.name, session: old.info.session });
      old.socket.close(4000, 'replaced by a new session');
    }
    const tab = { info, socket };
    send(socket, { t: 'welcome', session: info.session, peers: [...room.tabs.values()].map((t) => t.info) });
    room.tabs.set(info.name, tab);
    broadcast(room, info.name, { t: 'joined', peer: info });
    const held = room.held.get(info.name) ?? [];
    room.held.delete(info.name);
    const now = Date.now();
    for (const h of held) if (now - h.at < HOLD_MS) send(socket, h.msg);
    return tab;
  }

  function forward(room: Room, me: Tab, msg: Extract<ClientMessage, { t: 'signal' }>): void {
    const out: ServerMessage = { t: 'signal', from: me.info.name, fromSession: me.info.session, toSession: Number(msg.toSession) || 0, data: msg.data };
    const target = room.tabs.get(String(msg.to));
    if (target) return send(target.socket, out);
    const queue = room.held.get(String(msg.to)) ?? [];
    queue.push({ at: Date.now(), msg: out });
    if (queue.length > HOLD_MAX) queue.shift();
    room.held.set(String(msg.to), queue);
  }

  function relay(room: Room, me: Tab | undefined, bytes: Uint8Array): void {
    if (!me) return;
    let decoded: { name: string; frame: Uint8Array };
    try {
      decoded = decodeRelay(bytes);
    } catch {
      return;
    }
    const target = room.tabs.get(decoded.name);
    if (target && target.socket.readyState === WebSocket.OPEN) target.socket.send(encodeRelay(me.info.name, decoded.frame));
  }

  return {
    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== SIGNAL_PATH) return false;
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      return true;
    },
    rooms() {
      const out: Record<string, PeerInfo[]> = {};
      for (const [name, room] of rooms) if (room.tabs.size > 0) out[name] = [...room.tabs.values()].map((t) => t.info);
      return out;
    },
    close() {
      for (const c of wss.clients) c.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

function toBytes(raw: RawData): Uint8Array {
  if (Array.isArray(raw)) return new Uint8Array(Buffer.concat(raw));
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}
