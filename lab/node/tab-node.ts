/**
 * One Consul node in a browser tab: the real core Agent (serf gossip, Raft and the state store on
 * servers, the RPC client on clients) and the real HTTP API handler, on real time, talking to the
 * other tabs over WebRTC (or the relay) and keeping Raft's state in IndexedDB.
 *
 * Start-up order matters: the stores are loaded first (reads are synchronous), then the tab meets
 * its peers, then the agent starts and joins every tab already there.
 */
import { Agent } from '../../core/agent/agent.ts';
import type { Member } from '../../core/gossip/serf/events.ts';
import type { AgentConfig } from '../../core/agent/agent-config.ts';
import type { AgentRuntime } from '../../core/agent/agent-runtime.ts';
import { formatUUID } from '../../core/agent/server/uuid.ts';
import { DEFAULT_HTTP_API_OPTIONS } from '../../core/http/api.ts';
import type { ApiResponse } from '../../core/http/api-response.ts';
import { createHttpApi } from '../../core/http/http-api.ts';
import { nullTraceSink } from '../../core/ports/trace.ts';
import { consulTiming } from '../../core/raft/timing.ts';
import { PeerMesh } from '../net/peer-mesh.ts';
import { TabNetwork } from '../net/tab-network.ts';
import { IdbStorage } from '../store/idb-storage.ts';
import { BrowserLogger, BrowserTimeSource, browserWallClock, LogRing, secureSeededPrng } from './browser-runtime.ts';
import type { PeerInfo } from '../net/signal-protocol.ts';
import type { TabOptions } from './tab-options.ts';
import { describeEntry, type KvView, type TabState } from './tab-state.ts';

export const SERF_LAN_PORT = 8301;
export const SERVER_PORT = 8300;
export const SERF_WAN_PORT = 8302;
const LOG_TAIL = 12;
/** While this tab sees no one else in its pool but peers exist, it retries joining this often. */
const REJOIN_MS = 3000;

export type ReadMode = 'default' | 'consistent' | 'stale';

/** The IndexedDB database of one node of one lab room. */
export function databaseName(o: Pick<TabOptions, 'room' | 'dc' | 'name'>): string {
  return `consul-lab/${o.room}/${o.dc}/${o.name}`;
}

export class TabNode {
  private kv: KvView[] = [];
  private kvError = '';
  private leaderName = '';
  private rejoinTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private restoredLastIndex = 0;

  private constructor(
    readonly options: TabOptions,
    readonly agent: Agent,
    readonly net: TabNetwork,
    readonly mesh: PeerMesh,
    private readonly storage: IdbStorage,
    private readonly api: { fetch: (r: Request) => Promise<ApiResponse> },
    private readonly ring: LogRing,
  ) {}

  /** Loads state, meets the other tabs and starts the agent. */
  static async start(o: TabOptions, onChange: () => void = () => {}): Promise<TabNode> {
    if (o.wipe) await IdbStorage.destroy(databaseName(o));
    const storage = await IdbStorage.open(databaseName(o));
    const restoredLastIndex = storage.logStore('raft').lastIndex();
    const random = secureSeededPrng();
    const nodeId = await stableNodeId(storage, () => formatUUID(random.bytes(new Uint8Array(16))));
    const ring = new LogRing();
    const logger = new BrowserLogger(ring, 'info');
    const time = new BrowserTimeSource();
    const net = new TabNetwork(o.host, time);
    const mesh = new PeerMesh({
      url: o.signalUrl,
      self: { name: o.name, host: o.host, dc: o.dc, server: o.server },
      net,
      rtc: o.rtc,
      rtcTimeoutMs: o.rtcTimeoutMs,
      onChange,
      log: (m) => logger.named('lab.mesh').log('info', m),
    });
    let peers: Awaited<ReturnType<PeerMesh['start']>>;
    try {
      peers = await mesh.start();
    } catch (e) {
      storage.close();
      throw e;
    }
    const runtime: AgentRuntime = {
      time,
      wall: browserWallClock,
      random,
      logger,
      trace: nullTraceSink,
      packet: (port) => net.packet(port),
      stream: (port) => net.stream(port),
      logStore: (n) => storage.logStore(n),
      stableStore: (n) => storage.stableStore(n),
      snapshotStore: (n) => storage.snapshotStore(n),
    };
    const agent = new Agent(agentConfig(o, nodeId), runtime);
    agent.start();
    const api = createHttpApi(agent, DEFAULT_HTTP_API_OPTIONS, time);
    const node = new TabNode(o, agent, net, mesh, storage, api, ring);
    node.restoredLastIndex = restoredLastIndex;
    if (restoredLastIndex > 0) node.log(`restored the Raft log from IndexedDB up to index ${restoredLastIndex}`);
    node.joinPeers(peers);
    node.rejoinTimer = setInterval(() => node.rejoinIfAlone(), REJOIN_MS);
    return node;
  }

  /**
   * Joins the LAN pool through the peers of this datacenter and, on servers, the WAN pool through
   * the server tabs of every datacenter (Consul's WAN holds all servers of all datacenters). The
   * agent's own pool (room "agent") is joined on LAN only: its WAN port is not bridged.
   */
  private joinPeers(peers: PeerInfo[]): void {
    const lan = peers.filter((p) => p.dc === this.options.dc).map((p) => `${p.host}:${p.serfLan ?? SERF_LAN_PORT}`);
    if (lan.length > 0) this.agent.join(lan, (n, errors) => this.log(n > 0 ? `joined ${n} of ${lan.length} peers (LAN)` : `LAN join failed: ${errors.join('; ')}`));
    if (!this.options.server) return;
    const wan = peers.filter((p) => p.server && p.serfLan === undefined).map((p) => `${p.host}:${SERF_WAN_PORT}`);
    if (wan.length > 0) this.agent.joinWan(wan, (n, errors) => this.log(n > 0 ? `joined ${n} of ${wan.length} servers (WAN)` : `WAN join failed: ${errors.join('; ')}`));
  }

  private rejoinIfAlone(): void {
    if (this.stopped) return;
    const peers = this.mesh.view();
    const known = new Set([...this.agent.members(), ...this.agent.wanMembers()].filter((m) => m.status === 'alive').map((m) => m.name));
    // A peer tab neither pool knows (both tabs started alone, or a join was lost): join again.
    const missing = peers.filter((p) => (p.dc === this.options.dc ? !known.has(p.name) : this.options.server && p.server && !known.has(`${p.name}.${p.dc}`)));
    if (missing.length > 0) this.joinPeers(missing);
  }

  private log(m: string): void {
    new BrowserLogger(this.ring).named('lab').log('info', m);
  }

  /** Cuts the link with a peer tab (its node name or host): both ways, or only outgoing. */
  cut(peer: string, opts: { oneWay?: boolean } = {}): void {
    const info = this.mesh.find(peer);
    if (!info) throw new Error(`no peer tab "${peer}"`);
    this.net.cut(info.host, opts.oneWay === true);
    this.log(`link to ${info.name} cut${opts.oneWay ? ' (one-way, outgoing)' : ''}`);
  }

  /** Heals the cut with `peer`, or every cut. */
  heal(peer?: string): void {
    const host = peer === undefined ? undefined : (this.mesh.find(peer)?.host ?? peer);
    this.net.heal(host);
    this.log(peer === undefined ? 'all links healed' : `link to ${peer} healed`);
  }

  /** PUT /v1/kv/<key> through this node's HTTP API handler. Resolves true when applied. */
  async put(key: string, value: string): Promise<boolean> {
    const res = await this.api.fetch(new Request(`http://${this.options.host}/v1/kv/${encodeKey(key)}`, { method: 'PUT', body: value }));
    const text = await res.text();
    if (!res.ok) throw new Error(`PUT ${key}: ${res.status} ${text.trim()}`);
    return text.trim() === 'true';
  }

  /** GET /v1/kv/<key> with the given consistency mode; undefined when the key does not exist. */
  async get(key: string, mode: ReadMode = 'default', dc = ''): Promise<{ value: string; index: number; knownLeader: boolean; lastContactMs: number } | undefined> {
    const params = [mode === 'default' ? '' : mode, dc === '' ? '' : `dc=${encodeURIComponent(dc)}`].filter((p) => p !== '');
    const q = params.length > 0 ? `?${params.join('&')}` : '';
    const res = await this.api.fetch(new Request(`http://${this.options.host}/v1/kv/${encodeKey(key)}${q}`));
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`GET ${key} (${mode}): ${res.status} ${(await res.text()).trim()}`);
    const rows = (await res.json()) as { Value: string | null }[];
    return {
      value: decodeValue(rows[0]?.Value ?? null),
      index: Number(res.headers.get('X-Consul-Index') ?? 0),
      knownLeader: res.headers.get('X-Consul-KnownLeader') === 'true',
      lastContactMs: Number(res.headers.get('X-Consul-LastContact') ?? 0),
    };
  }

  /** Re-reads what needs an RPC (the KV listing, the leader); call before `state()`. */
  async refresh(): Promise<void> {
    try {
      const res = await this.api.fetch(new Request(`http://${this.options.host}/v1/kv/?recurse&stale`));
      if (res.status === 404) this.kv = [];
      else if (!res.ok) throw new Error(`${res.status} ${(await res.text()).trim()}`);
      else {
        const rows = (await res.json()) as { Key: string; Value: string | null; ModifyIndex: number }[];
        this.kv = rows.map((r) => ({ key: r.Key, value: decodeValue(r.Value), modifyIndex: r.ModifyIndex }));
      }
      this.kvError = '';
    } catch (e) {
      this.kvError = (e as Error).message;
    }
    try {
      const res = await this.api.fetch(new Request(`http://${this.options.host}/v1/status/leader`));
      const addr = res.ok ? ((await res.json()) as string) : '';
      const host = addr.slice(0, addr.lastIndexOf(':'));
      this.leaderName = host === '' ? '' : host === this.options.host ? this.options.name : (this.mesh.find(host)?.name ?? host);
    } catch {
      this.leaderName = '';
    }
  }

  /** A JSON snapshot of the node (see TabState). */
  state(): TabState {
    const raft = this.agent.server?.raft;
    const st = raft?.status();
    const log = this.storage.logStore('raft');
    const last = log.lastIndex();
    const tail = raft ? log.range(Math.max(log.firstIndex(), last - LOG_TAIL + 1), last) : [];
    const view = (m: Member) => ({ name: m.name, addr: m.addr, status: m.status, role: m.tags.role === 'consul' ? ('server' as const) : ('client' as const) });
    const members = this.agent.members().map(view);
    members.sort((a, b) => a.name.localeCompare(b.name));
    const wanMembers = this.agent.wanMembers().map(view);
    wanMembers.sort((a, b) => a.name.localeCompare(b.name));
    return {
      name: this.options.name,
      host: this.options.host,
      dc: this.options.dc,
      role: st ? (st.state === 'precandidate' ? 'pre-candidate' : st.state) : 'client',
      term: st?.term ?? 0,
      leader: this.leaderName,
      commitIndex: st?.commit ?? 0,
      appliedIndex: st?.applied ?? 0,
      firstIndex: raft ? log.firstIndex() : 0,
      lastIndex: raft ? last : 0,
      restoredLastIndex: this.restoredLastIndex,
      members,
      wanMembers,
      datacenters: this.agent.server?.datacenters() ?? [this.options.dc],
      kv: this.kv,
      kvError: this.kvError,
      logTail: tail.map((e) => describeEntry(e, st?.commit ?? 0)),
      peers: this.mesh.view(),
      cuts: this.net.cuts(),
      logs: this.ring.lines.slice(-40),
      at: Date.now(),
    };
  }

  /** Stops like a crash: nothing more is written; what was synced stays in IndexedDB. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.rejoinTimer);
    this.agent.shutdown();
    this.mesh.close();
    this.storage.close();
  }
}

function agentConfig(o: TabOptions, nodeId: string): AgentConfig {
  return {
    nodeName: o.name,
    nodeId,
    datacenter: o.dc,
    server: o.server,
    // As Consul's config builder does: an expect of 1 is bootstrap mode (a lone server elects itself).
    bootstrap: o.bootstrapExpect === 1,
    bootstrapExpect: o.bootstrapExpect === 1 ? 0 : o.bootstrapExpect,
    advertiseHost: o.host,
    ports: { serfLan: SERF_LAN_PORT, server: SERVER_PORT, serfWan: o.server ? SERF_WAN_PORT : 0 },
    raftTiming: consulTiming(o.raftMultiplier),
    devMode: false,
    nodeMeta: { lab: 'tab' },
    version: '1.22.0-lab',
    antiEntropyIntervalMs: 10_000,
  };
}

/** The node ID survives restarts (Raft knows the server by it): kept in the stable store. */
async function stableNodeId(storage: IdbStorage, fresh: () => string): Promise<string> {
  const store = storage.stableStore('agent');
  const existing = store.get('node-id');
  if (existing) return new TextDecoder().decode(existing);
  const id = fresh();
  store.set('node-id', new TextEncoder().encode(id));
  await new Promise<void>((resolve, reject) => store.sync((err) => (err ? reject(err) : resolve())));
  return id;
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function decodeValue(b64: string | null): string {
  if (b64 === null) return '';
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
