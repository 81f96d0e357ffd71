/**
 * Runs a TabNode for a page and exposes it as `window.__consulNode` for tests and the console:
 * the latest state snapshot (leader, term, commitIndex, members, kv...), KV writes and reads, and
 * the partition hooks `cut(peer, { oneWay })` / `heal(peer?)`.
 */
import { TabNode, type ReadMode } from './tab-node.ts';
import { parseTabOptions, type TabOptions } from './tab-options.ts';
import type { TabState } from './tab-state.ts';

/** How often the page's snapshot is refreshed. */
const REFRESH_MS = 400;

export interface ConsulNodeHandle {
  /** "starting", "running", "failed" (see `error`) or "stopped". */
  status: 'starting' | 'running' | 'failed' | 'stopped';
  error: string;
  options: TabOptions | undefined;
  state: TabState | undefined;
  readonly leader: string;
  readonly term: number;
  readonly commitIndex: number;
  readonly members: TabState['members'];
  readonly kv: TabState['kv'];
  put(key: string, value: string): Promise<boolean>;
  get(key: string, mode?: ReadMode, dc?: string): Promise<{ value: string; index: number; knownLeader: boolean; lastContactMs: number } | undefined>;
  cut(peer: string, opts?: { oneWay?: boolean }): void;
  heal(peer?: string): void;
  /**
   * Crashes the node in place and starts it again from IndexedDB (what a reload does, without
   * reloading the page): unsynced writes are lost, synced ones come back.
   */
  restart(): Promise<void>;
  stop(): void;
}

declare global {
  interface Window {
    __consulNode?: ConsulNodeHandle;
  }
}

/** Parses the URL, starts the node and calls `onUpdate` after each refresh and status change. */
export function startTabController(search: string, origin: string, onUpdate: (h: ConsulNodeHandle) => void): ConsulNodeHandle {
  let node: TabNode | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const need = (): TabNode => {
    if (!node) throw new Error(`the node is ${handle.status}`);
    return node;
  };
  const handle: ConsulNodeHandle = {
    status: 'starting',
    error: '',
    options: undefined,
    state: undefined,
    get leader() {
      return handle.state?.leader ?? '';
    },
    get term() {
      return handle.state?.term ?? 0;
    },
    get commitIndex() {
      return handle.state?.commitIndex ?? 0;
    },
    get members() {
      return handle.state?.members ?? [];
    },
    get kv() {
      return handle.state?.kv ?? [];
    },
    put: (k, v) => need().put(k, v),
    get: (k, mode, dc) => need().get(k, mode, dc),
    cut: (peer, opts) => {
      need().cut(peer, opts);
      onUpdate(handle);
    },
    heal: (peer) => {
      need().heal(peer);
      onUpdate(handle);
    },
    restart: async () => {
      const options = handle.options;
      if (!options) throw new Error('the node has no options');
      handle.stop();
      handle.status = 'starting';
      handle.state = undefined;
      onUpdate(handle);
      await boot({ ...options, wipe: false });
    },
    stop: () => {
      clearTimeout(timer);
      node?.stop();
      node = undefined;
      handle.status = 'stopped';
      onUpdate(handle);
    },
  };
  const fail = (e: unknown) => {
    handle.status = 'failed';
    handle.error = e instanceof Error ? e.message : String(e);
    onUpdate(handle);
  };
  const loop = async () => {
    const current = node;
    if (!current) return;
    await current.refresh();
    // Stopped or restarted meanwhile: that node's loop ends here.
    if (node !== current) return;
    handle.state = current.state();
    onUpdate(handle);
    timer = setTimeout(loop, REFRESH_MS);
  };
  try {
    handle.options = parseTabOptions(search, origin, () => `tab-${Math.floor(Math.random() * 1e6)}`);
  } catch (e) {
    fail(e);
    return handle;
  }
  window.__consulNode = handle;
  const boot = (options: TabOptions) =>
    TabNode.start(options, () => onUpdate(handle)).then(
      (n) => {
        if (handle.status === 'stopped') return n.stop();
        node = n;
        handle.status = 'running';
        void loop();
      },
      fail,
    );
  void boot(handle.options);
  return handle;
}
