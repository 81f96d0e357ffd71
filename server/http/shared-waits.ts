/**
 * Identical blocking queries share one core request (a singleflight): every parked
 * `GET /v1/...?index=N` with the same target, token and other request headers gets the same
 * answer, so they are served by one `fetch` call whose Response is encoded once and written to each
 * waiting connection. A waiter then costs its socket and one Set entry; no Request, AbortSignal,
 * URL, Headers, promise chain or timer of its own. Consul's clients accept a blocking answer at any
 * time before their wait runs out, so a waiter that joined late being answered with the group is
 * within the contract. When every waiter of a group has gone, its request is aborted.
 */
import type { ApiResponse } from '../../core/http/api-response.ts';
import type { ApiRequest } from '../../core/http/context.ts';
import type { FetchHandler } from './lean-server.ts';
import type { Conn, Waiting } from './lean-server.ts';
import type { RequestHead } from './http1-parser.ts';
import { isOpenEnded, WireResponse } from './wire-response.ts';

/** Headers that do not change what the API answers (framing and client identification). */
const IGNORED = new Set(['host', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'connection', 'keep-alive']);

/** Requests identical to each other, waiting on one core request. */
class Group implements Waiting {
  readonly members = new Set<Conn>();
  readonly abort = new AbortController();

  constructor(
    private readonly waits: SharedWaits,
    readonly key: string,
  ) {}

  /** A waiter's socket closed: it is dropped; the last one to go aborts the request. */
  leave(conn: Conn): void {
    if (!this.members.delete(conn)) return;
    this.waits.left(this);
  }
}

/** The groups of identical blocking queries in flight on one listener. */
export class SharedWaits {
  private readonly groups = new Map<string, Group>();
  private count = 0;

  constructor(
    private readonly gzipMinSize: number,
    private readonly finish: (conn: Conn, wire: WireResponse) => Promise<void> | undefined,
  ) {}

  /** Requests parked in groups right now. */
  get waiters(): number {
    return this.count;
  }

  /** Blocking queries of the /v1 API (not the open-ended monitor stream). */
  shareable(target: string): boolean {
    return target.startsWith('/v1/') && /[?&](index|hash)=/.test(target) && !target.startsWith('/v1/agent/monitor');
  }

  /**
   * Parks `conn` in the group of requests identical to `head`, starting the group's request with
   * `makeRequest` when it is the first.
   */
  join(conn: Conn, head: RequestHead, remote: string, makeRequest: (signal: AbortSignal) => ApiRequest, handler: FetchHandler): void {
    const key = groupKey(head, remote);
    let group = this.groups.get(key);
    if (!group) {
      const created = new Group(this, key);
      let request: ApiRequest;
      try {
        request = makeRequest(created.abort.signal);
      } catch {
        void this.finish(conn, WireResponse.text(400, 'Bad Request'));
        return;
      }
      group = created;
      this.groups.set(key, created);
      handler(request, remote).then(
        (response) => this.release(key, created, response),
        (err: unknown) => this.releaseWire(key, created, WireResponse.text(500, err instanceof Error ? err.message : String(err))),
      );
    }
    group.members.add(conn);
    conn.waiting = group;
    this.count++;
  }

  /** Called by a group when one of its waiters went away. */
  left(group: Group): void {
    this.count--;
    if (group.members.size > 0) return;
    if (this.groups.get(group.key) === group) this.groups.delete(group.key);
    group.abort.abort();
  }

  private async release(key: string, group: Group, response: ApiResponse): Promise<void> {
    if (this.groups.get(key) === group) this.groups.delete(key);
    // Blocking reads answer with a whole body; an open-ended stream cannot be shared.
    if (isOpenEnded(response)) {
      if (response.body instanceof ReadableStream) await response.body.cancel().catch(() => {});
      return this.releaseWire(key, group, WireResponse.text(500, 'streamed response to a shared request'));
    }
    let wire: WireResponse;
    try {
      wire = await WireResponse.from(response, this.gzipMinSize);
    } catch (err) {
      wire = WireResponse.text(500, err instanceof Error ? err.message : String(err));
    }
    await this.releaseWire(key, group, wire);
  }

  private async releaseWire(key: string, group: Group, wire: WireResponse): Promise<void> {
    if (this.groups.get(key) === group) this.groups.delete(key);
    const members = [...group.members];
    group.members.clear();
    this.count -= members.length;
    // Compress once for every member that accepts gzip, before any of them is written.
    if (members.some((m) => m.wants.gzip)) await wire.prepare({ gzip: true, conn: 'keep', head: false });
    for (const m of members) {
      m.waiting = undefined;
      void this.finish(m, wire);
    }
  }
}

/** Everything that can change the answer: the target, the headers that matter, and for `?near` the address. */
function groupKey(head: RequestHead, remote: string): string {
  let key = head.target;
  const h = head.headers;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i] as string;
    if (!IGNORED.has(name)) key += `\n${name}:${h[i + 1]}`;
  }
  if (head.target.includes('near')) key += `\nremote:${remote}`;
  return key;
}
