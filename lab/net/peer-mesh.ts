/**
 * Connects one lab tab to every other tab in its room: a WebSocket to the agent's `/lab/signal`
 * for introductions and WebRTC signaling, then per peer a simple-peer connection carrying two data
 * channels (reliable and ordered for streams, unordered with no retransmits for gossip packets).
 * When WebRTC does not connect in time (or is turned off, `?rtc=0`), frames to that peer go
 * through the signaling socket instead (the relay).
 *
 * A peer's path is chosen once per session and never switches back from the relay to WebRTC, so
 * a stream's frames can never overtake each other on two paths. Frames sent before the path is
 * ready are queued. The lower node name of a pair initiates the WebRTC offer (no glare).
 */
import SimplePeer from 'simple-peer/simplepeer.min.js';
import { decodeRelay, encodeRelay, type PeerInfo, type ServerMessage } from './signal-protocol.ts';
import type { TabNetwork } from './tab-network.ts';

export type PathKind = 'connecting' | 'rtc' | 'relay';

export interface MeshOptions {
  /** `ws://host:port/lab/signal?room=...` */
  url: string;
  self: { name: string; host: string; dc: string; server: boolean };
  net: TabNetwork;
  /** Try WebRTC first (default); false relays everything. */
  rtc: boolean;
  /** How long WebRTC may take before the relay is used. */
  rtcTimeoutMs: number;
  /** Called whenever peers or paths change (the page re-renders). */
  onChange?: () => void;
  log?: (message: string) => void;
}

/** What the page shows about one peer tab. */
export interface PeerView extends PeerInfo {
  path: PathKind;
}

/** Frames queued per peer before its path is up; beyond it the oldest packets are dropped. */
const MAX_QUEUE = 2000;
/**
 * Send-buffer marks for the data channels: Chromium closes a channel whose buffer passes 16 MiB,
 * so reliable frames wait in our own backlog above the high mark until the buffer drains to the
 * low one; unreliable ones (gossip) are dropped above it, as a full UDP socket buffer would.
 */
const HIGH_WATER = 4 << 20;
const LOW_WATER = 1 << 20;
const RELIABLE_ID = 1001;
/** Reconnect back-off for the signaling socket. */
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;
const UNRELIABLE_ID = 1002;

interface PeerConn {
  info: PeerInfo;
  path: PathKind;
  sp: SimplePeer.Instance | undefined;
  reliable: RTCDataChannel | undefined;
  unreliable: RTCDataChannel | undefined;
  queue: { frame: Uint8Array; reliable: boolean }[];
  /** Reliable frames waiting for the channel's send buffer to drain. */
  backlog: Uint8Array[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class PeerMesh {
  private ws: WebSocket | undefined;
  private session = 0;
  private readonly peers = new Map<string, PeerConn>();
  /** Signals from sessions not introduced yet. */
  private readonly early: Extract<ServerMessage, { t: 'signal' }>[] = [];
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs = MIN_BACKOFF_MS;
  /** Signaling errors the server reported, shown on the page. */
  readonly errors: string[] = [];

  constructor(private readonly o: MeshOptions) {}

  /** Connects and says hello; resolves with the peers already there. */
  start(): Promise<PeerInfo[]> {
    return new Promise((resolve, reject) => this.connect({ resolve, reject }));
  }

  /**
   * Opens the signaling socket. After the first welcome, a lost socket (the agent restarted) is
   * reopened with back-off; the new session is a new identity to the other tabs, so every link is
   * rebuilt from the new welcome. A socket closed because another tab took this name stays closed.
   */
  private connect(first?: { resolve: (peers: PeerInfo[]) => void; reject: (e: Error) => void }): void {
    const ws = new WebSocket(this.o.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ t: 'hello', ...this.o.self, rtc: this.o.rtc }));
    ws.onerror = () => first?.reject(new Error(`cannot reach the lab signaling endpoint ${this.o.url}`));
    ws.onclose = (ev) => {
      if (this.closed || this.ws !== ws) return;
      if (first && this.session === 0) return first.reject(new Error(`the lab signaling endpoint closed before welcoming this tab (${ev.code} ${ev.reason})`));
      if (ev.code === 4000) {
        this.errors.push('another tab opened this node name: this tab is disconnected from the lab');
        this.changed();
        return;
      }
      this.log(`signaling closed (${ev.code} ${ev.reason}), reconnecting in ${this.backoffMs} ms`);
      this.reconnectTimer = setTimeout(() => this.connect(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    };
    ws.onmessage = (ev) => {
      if (ev.data instanceof ArrayBuffer) return this.onRelay(new Uint8Array(ev.data));
      const msg = JSON.parse(String(ev.data)) as ServerMessage;
      if (msg.t !== 'welcome') return this.onMessage(msg);
      for (const name of [...this.peers.keys()]) this.removePeer(name);
      this.session = msg.session;
      this.backoffMs = MIN_BACKOFF_MS;
      for (const p of msg.peers) this.addPeer(p);
      first?.resolve(msg.peers);
    };
  }

  /** The peers and their paths, sorted by name. */
  view(): PeerView[] {
    return [...this.peers.values()].map((p) => ({ ...p.info, path: p.path })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The peer tab with this node name or host. */
  find(nameOrHost: string): PeerInfo | undefined {
    for (const p of this.peers.values()) if (p.info.name === nameOrHost || p.info.host === nameOrHost) return p.info;
    return undefined;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    for (const name of [...this.peers.keys()]) this.removePeer(name);
    this.ws?.close();
  }

  private log(m: string): void {
    this.o.log?.(m);
  }

  private changed(): void {
    this.o.onChange?.();
  }

  private onMessage(msg: ServerMessage): void {
    switch (msg.t) {
      case 'joined':
        this.addPeer(msg.peer);
        return;
      case 'left':
        if (this.peers.get(msg.name)?.info.session === msg.session) this.removePeer(msg.name);
        return;
      case 'signal':
        return this.onSignal(msg);
      case 'error':
        this.errors.push(msg.message);
        this.log(msg.message);
        this.changed();
        return;
      case 'welcome':
        return;
    }
  }

  private addPeer(info: PeerInfo): void {
    if (info.name === this.o.self.name) return;
    if (this.peers.has(info.name)) this.removePeer(info.name);
    const peer: PeerConn = { info, path: 'connecting', sp: undefined, reliable: undefined, unreliable: undefined, queue: [], backlog: [], timer: undefined };
    this.peers.set(info.name, peer);
    this.o.net.attach(info.host, (frame, reliable) => this.send(peer, frame, reliable));
    if (this.o.rtc && info.rtc) {
      this.startRtc(peer, this.o.self.name < info.name);
      peer.timer = setTimeout(() => this.switchToRelay(peer, 'WebRTC did not connect in time'), this.o.rtcTimeoutMs);
    } else this.switchToRelay(peer, this.o.rtc ? 'the peer relays everything' : 'WebRTC off');
    // Signals that arrived before this session was introduced.
    for (const s of this.early.splice(0)) this.onSignal(s);
    this.log(`peer ${info.name} (session ${info.session}) joined`);
    this.changed();
  }

  private removePeer(name: string): void {
    const peer = this.peers.get(name);
    if (!peer) return;
    this.peers.delete(name);
    clearTimeout(peer.timer);
    peer.sp?.destroy();
    this.o.net.detach(peer.info.host);
    this.log(`peer ${name} left`);
    this.changed();
  }

  private startRtc(peer: PeerConn, initiator: boolean): void {
    const sp = new SimplePeer({ initiator, trickle: true, config: { iceServers: [] } });
    peer.sp = sp;
    // Two channels negotiated out of band (same ids on both sides), so no renegotiation is needed.
    const pc = (sp as unknown as { _pc: RTCPeerConnection })._pc;
    const reliable = pc.createDataChannel('lab-streams', { negotiated: true, id: RELIABLE_ID, ordered: true });
    const unreliable = pc.createDataChannel('lab-packets', { negotiated: true, id: UNRELIABLE_ID, ordered: false, maxRetransmits: 0 });
    for (const ch of [reliable, unreliable]) {
      ch.binaryType = 'arraybuffer';
      ch.onmessage = (ev) => this.o.net.receive(peer.info.host, new Uint8Array(ev.data as ArrayBuffer));
      ch.onopen = () => this.maybeRtcReady(peer);
      ch.onclose = () => this.rtcLost(peer, sp);
    }
    reliable.bufferedAmountLowThreshold = LOW_WATER;
    reliable.onbufferedamountlow = () => this.drain(peer);
    peer.reliable = reliable;
    peer.unreliable = unreliable;
    sp.on('signal', (data) => {
      this.ws?.send(JSON.stringify({ t: 'signal', to: peer.info.name, toSession: peer.info.session, data }));
    });
    sp.on('error', (err) => this.log(`WebRTC with ${peer.info.name}: ${err.message}`));
    sp.on('close', () => this.rtcLost(peer, sp));
  }

  private maybeRtcReady(peer: PeerConn): void {
    if (peer.path !== 'connecting' || peer.reliable?.readyState !== 'open' || peer.unreliable?.readyState !== 'open') return;
    clearTimeout(peer.timer);
    peer.path = 'rtc';
    this.flush(peer);
    this.log(`WebRTC with ${peer.info.name} connected`);
    this.changed();
  }

  /** The WebRTC path broke: its streams are gone; what follows goes through the relay. */
  private rtcLost(peer: PeerConn, sp: SimplePeer.Instance): void {
    if (this.peers.get(peer.info.name) !== peer || peer.sp !== sp || peer.path === 'relay') return;
    const wasUp = peer.path === 'rtc';
    peer.sp = undefined;
    peer.backlog = [];
    sp.destroy();
    if (wasUp) this.o.net.attach(peer.info.host, (frame, reliable) => this.send(peer, frame, reliable));
    this.switchToRelay(peer, 'WebRTC closed');
  }

  private switchToRelay(peer: PeerConn, why: string): void {
    if (peer.path === 'relay' || this.peers.get(peer.info.name) !== peer) return;
    clearTimeout(peer.timer);
    peer.path = 'relay';
    this.log(`relaying to ${peer.info.name}: ${why}`);
    this.flush(peer);
    this.changed();
  }

  private onSignal(msg: Extract<ServerMessage, { t: 'signal' }>): void {
    if (msg.toSession !== 0 && msg.toSession !== this.session) return; // for an earlier me
    const peer = this.peers.get(msg.from);
    if (!peer || peer.info.session < msg.fromSession) {
      this.early.push(msg);
      if (this.early.length > 200) this.early.shift();
      return;
    }
    if (peer.info.session !== msg.fromSession || !peer.sp) return;
    peer.sp.signal(msg.data as SimplePeer.SignalData);
  }

  private onRelay(bytes: Uint8Array): void {
    let r: { name: string; frame: Uint8Array };
    try {
      r = decodeRelay(bytes);
    } catch {
      return;
    }
    const peer = this.peers.get(r.name);
    if (peer) this.o.net.receive(peer.info.host, r.frame);
  }

  private send(peer: PeerConn, frame: Uint8Array, reliable: boolean): void {
    if (peer.path === 'connecting') {
      peer.queue.push({ frame, reliable });
      if (peer.queue.length > MAX_QUEUE) {
        const i = peer.queue.findIndex((q) => !q.reliable);
        peer.queue.splice(Math.max(i, 0), 1);
      }
      return;
    }
    if (peer.path === 'relay') {
      if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeRelay(peer.info.name, frame));
      return;
    }
    const ch = reliable ? peer.reliable : peer.unreliable;
    if (ch?.readyState !== 'open') return;
    if (ch.bufferedAmount > HIGH_WATER || (reliable && peer.backlog.length > 0)) {
      if (reliable) peer.backlog.push(frame);
      return;
    }
    try {
      ch.send(frame as Uint8Array<ArrayBuffer>);
    } catch (e) {
      // A full send buffer or a channel closing under us: the path is broken, as for a reset TCP.
      this.log(`send to ${peer.info.name} failed: ${(e as Error).message}`);
    }
  }

  /** Sends backlogged reliable frames while the channel's buffer is under the high mark. */
  private drain(peer: PeerConn): void {
    const ch = peer.reliable;
    if (ch?.readyState !== 'open' || peer.path !== 'rtc') return;
    while (peer.backlog.length > 0 && ch.bufferedAmount <= HIGH_WATER) {
      const frame = peer.backlog.shift()!;
      try {
        ch.send(frame as Uint8Array<ArrayBuffer>);
      } catch (e) {
        this.log(`send to ${peer.info.name} failed: ${(e as Error).message}`);
        return;
      }
    }
  }

  private flush(peer: PeerConn): void {
    const q = peer.queue;
    peer.queue = [];
    for (const { frame, reliable } of q) this.send(peer, frame, reliable);
  }
}
