/**
 * The lab's signaling and relay endpoint on the agent's HTTP port (`/lab/signal`, WebSocket via
 * `ws`): tabs say hello with their node name, learn about each other, exchange WebRTC offers,
 * answers and candidates through it, and fall back to relaying their link frames through it when
 * WebRTC cannot connect. Tabs meet in rooms (`/lab/signal?room=x`, default "default") so that
 * separate labs on one agent do not see each other.
 *
 * Signals for a name that is not connected yet are held (a while, a bounded number) and delivered
 * when it says hello: the initiator's offer can outrun the other tab's page load.
 *
 * Besides tabs, a room can hold virtual peers living in this process (`addVirtualPeer`): the
 * agent itself joins the "agent" room that way (server/lab/agent-bridge.ts), so tabs reach its
 * gossip and RPC ports through the relay.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { type ClientMessage, decodeRelay, encodeRelay, NAME_PATTERN, type PeerInfo, type ServerMessage } from '../../lab/net/signal-protocol.ts';

export const SIGNAL_PATH = '/lab/signal';
/** How long and how many signals are held for a tab that has not connected yet. */
const HOLD_MS = 30_000;
const HOLD_MAX = 200;
/** A connection that sends no hello in this time is closed. */
const HELLO_TIMEOUT_MS = 10_000;

/** A member of a room: a tab's socket, or a virtual peer in this process. */
interface Endpoint {
  info: PeerInfo;
  json(msg: ServerMessage): void;
  /** A relayed frame from tab `from`. */
  relay(from: string, frame: Uint8Array): void;
  /** Another session took this name. */
  replaced(): void;
}

interface Room {
  tabs: Map<string, Endpoint>;
  held: Map<string, { at: number; msg: ServerMessage }[]>;
}

/** What a virtual peer hears: the room's control messages and frames relayed to it. */
export interface VirtualPeerHandlers {
  onMessage(msg: ServerMessage): void;
  onRelay(from: string, frame: Uint8Array): void;
}

/** A virtual peer's handle: send frames to tabs, see who is there, leave. */
export interface VirtualPeer {
  readonly info: PeerInfo;
  /** The tabs in the room when the peer was added. */
  readonly peers: PeerInfo[];
  sendRelay(to: string, frame: Uint8Array): void;
  remove(): void;
}

export interface SignalServer {
  /** Takes the upgrade if it is for `/lab/signal`; returns false (touching nothing) otherwise. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Adds an in-process member to `room` (its name must not be taken by a tab). */
  addVirtualPeer(room: string, info: Omit<PeerInfo, 'session'>, handlers: VirtualPeerHandlers): VirtualPeer;
  /** Tabs per room, for the agent's logs and tests. */
  rooms(): Record<string, PeerInfo[]>;
  close(): Promise<void>;
}

/** ws's WebSocket.OPEN. */
const OPEN = 1;

export function createSignalServer(log: (message: string) => void = () => {}): SignalServer {
  // `ws` is loaded on the first upgrade: most agents never serve a lab tab, and the module costs
  // several megabytes of resident memory.
  let wss: WebSocketServer | undefined;
  let loading: Promise<WebSocketServer> | undefined;
  const server = (): Promise<WebSocketServer> => {
    loading ??= import('ws').then(({ WebSocketServer: Server }) => {
      wss = new Server({ noServer: true, maxPayload: 1 << 20 });
      wss.on('connection', onConnection);
      return wss;
    });
    return loading;
  };
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
    if (socket.readyState === OPEN) socket.send(JSON.stringify(msg));
  };
  const broadcast = (room: Room, except: string, msg: ServerMessage) => {
    for (const [name, tab] of room.tabs) if (name !== except) tab.json(msg);
  };

  function onConnection(socket: WebSocket, req: IncomingMessage): void {
    const roomName = new URL(req.url ?? '/', 'http://x').searchParams.get('room') || 'default';
    const room = roomOf(roomName);
    let me: Endpoint | undefined;
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
        const invalid = checkHello(room, msg);
        if (invalid) return send(socket, { t: 'error', message: invalid });
        clearTimeout(helloTimer);
        me = hello(room, socketEndpoint(socket, msg), msg.name);
        log(`lab tab ${me.info.name} joined room ${roomName} (session ${me.info.session})`);
        return;
      }
      if (msg.t === 'signal' && me) return forward(room, me, msg);
      send(socket, { t: 'error', message: `signal: unexpected ${JSON.stringify((msg as { t?: unknown }).t)}${me ? '' : ' before hello'}` });
    });
    socket.on('close', () => {
      clearTimeout(helloTimer);
      if (!me) return;
      leave(room, me);
      log(`lab tab ${me.info.name} left room ${roomName}`);
    });
    socket.on('error', () => socket.terminate());
  }

  function checkHello(room: Room, msg: Extract<ClientMessage, { t: 'hello' }>): string | undefined {
    if (typeof msg.name !== 'string' || !NAME_PATTERN.test(msg.name)) return `signal: invalid node name ${JSON.stringify(msg.name)}`;
    const host = typeof msg.host === 'string' && msg.host !== '' ? msg.host : msg.name;
    for (const t of room.tabs.values()) {
      if (!('virtual' in t)) continue;
      if (t.info.name === msg.name || t.info.host === host) return `signal: ${msg.name} (${host}) is taken by the agent in this room`;
    }
    return undefined;
  }

  function socketEndpoint(socket: WebSocket, msg: Extract<ClientMessage, { t: 'hello' }>): Endpoint {
    return {
      info: {
        name: msg.name,
        host: typeof msg.host === 'string' && msg.host !== '' ? msg.host : msg.name,
        dc: msg.dc || 'dc1',
        server: msg.server === true,
        rtc: msg.rtc !== false,
        session: nextSession++,
      },
      json: (m) => send(socket, m),
      relay: (from, frame) => {
        if (socket.readyState === OPEN) socket.send(encodeRelay(from, frame));
      },
      replaced: () => socket.close(4000, 'replaced by a new session'),
    };
  }

  function hello(room: Room, tab: Endpoint, name: string): Endpoint {
    const old = room.tabs.get(name);
    if (old) {
      // The same node reopened (a restart): the old connection is a dead tab.
      room.tabs.delete(name);
      broadcast(room, name, { t: 'left', name, session: old.info.session });
      old.replaced();
    }
    tab.json({ t: 'welcome', session: tab.info.session, peers: [...room.tabs.values()].map((t) => t.info) });
    room.tabs.set(name, tab);
    broadcast(room, name, { t: 'joined', peer: tab.info });
    const held = room.held.get(name) ?? [];
    room.held.delete(name);
    const now = Date.now();
    for (const h of held) if (now - h.at < HOLD_MS) tab.json(h.msg);
    return tab;
  }

  function leave(room: Room, me: Endpoint): void {
    if (room.tabs.get(me.info.name) !== me) return;
    room.tabs.delete(me.info.name);
    broadcast(room, me.info.name, { t: 'left', name: me.info.name, session: me.info.session });
  }

  function forward(room: Room, me: Endpoint, msg: Extract<ClientMessage, { t: 'signal' }>): void {
    const out: ServerMessage = { t: 'signal', from: me.info.name, fromSession: me.info.session, toSession: Number(msg.toSession) || 0, data: msg.data };
    const target = room.tabs.get(String(msg.to));
    if (target) return target.json(out);
    const queue = room.held.get(String(msg.to)) ?? [];
    queue.push({ at: Date.now(), msg: out });
    if (queue.length > HOLD_MAX) queue.shift();
    room.held.set(String(msg.to), queue);
  }

  function relay(room: Room, me: Endpoint | undefined, bytes: Uint8Array): void {
    if (!me) return;
    let decoded: { name: string; frame: Uint8Array };
    try {
      decoded = decodeRelay(bytes);
    } catch {
      return;
    }
    room.tabs.get(decoded.name)?.relay(me.info.name, decoded.frame);
  }

  return {
    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== SIGNAL_PATH) return false;
      // The client sends nothing before our 101, so the socket can wait for ws to load.
      server().then(
        (w) => w.handleUpgrade(req, socket, head, (ws) => w.emit('connection', ws, req)),
        () => socket.destroy(),
      );
      return true;
    },
    addVirtualPeer(roomName, info, handlers) {
      const room = roomOf(roomName);
      const peers = [...room.tabs.values()].map((t) => t.info);
      const endpoint: Endpoint & { virtual: true } = {
        virtual: true,
        info: { ...info, session: nextSession++ },
        json: (m) => handlers.onMessage(m),
        relay: (from, frame) => handlers.onRelay(from, frame),
        replaced: () => {},
      };
      // A tab already using the name loses it: the agent's identity wins.
      room.tabs.get(info.name)?.replaced();
      room.tabs.delete(info.name);
      hello(room, endpoint, info.name);
      return {
        info: endpoint.info,
        peers: peers.filter((p) => p.name !== info.name),
        sendRelay: (to, frame) => room.tabs.get(to)?.relay(info.name, frame),
        remove: () => leave(room, endpoint),
      };
    },
    rooms() {
      const out: Record<string, PeerInfo[]> = {};
      for (const [name, room] of rooms) if (room.tabs.size > 0) out[name] = [...room.tabs.values()].map((t) => t.info);
      return out;
    },
    close() {
      const w = wss;
      if (!w) return Promise.resolve();
      for (const c of w.clients) c.terminate();
      return new Promise((resolve) => w.close(() => resolve()));
    },
  };
}

function toBytes(raw: RawData): Uint8Array {
  if (Array.isArray(raw)) return new Uint8Array(Buffer.concat(raw));
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}
