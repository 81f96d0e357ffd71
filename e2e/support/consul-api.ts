/**
 * Seeds and inspects a running agent through its public `/v1` API (the same calls `consul` and the
 * client libraries make), for the dashboard's browser tests and benchmark. Nothing here fakes an
 * answer: every value comes from the agent.
 */

/** A `/v1` client for the agent at `addr` (`host:port`). */
export class ConsulApi {
  readonly base: string;
  /** The ACL token sent as X-Consul-Token ('' = none), for agents with ACLs on. */
  readonly token: string;

  constructor(addr: string, token = '') {
    this.base = addr.startsWith('http') ? addr : `http://${addr}`;
    this.token = token;
  }

  /** One request; throws with Consul's error text on a non-2xx answer (404 allowed for reads). */
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; data: unknown; index: string | null }> {
    const init: RequestInit = { method, headers: this.token === '' ? {} : { 'X-Consul-Token': this.token } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(`${this.base}/v1/${path}`, init);
    const text = await res.text();
    if (!res.ok && !(res.status === 404 && method === 'GET')) throw new Error(`${method} /v1/${path}: ${res.status} ${text}`);
    let data: unknown = null;
    try {
      data = text === '' ? null : JSON.parse(text);
    } catch {
      data = text;
    }
    return { status: res.status, data, index: res.headers.get('X-Consul-Index') };
  }

  /** Whether an agent answers `/v1/status/leader` with a leader. */
  async hasLeader(): Promise<boolean> {
    try {
      const r = await this.call('GET', 'status/leader');
      return typeof r.data === 'string' && r.data !== '';
    } catch {
      return false;
    }
  }

  /** `PUT /v1/catalog/register` of a node with one service and one service check. */
  registerService(o: {
    node: string;
    address: string;
    service: string;
    id: string;
    port: number;
    tags?: string[];
    meta?: Record<string, string>;
    status?: 'passing' | 'warning' | 'critical';
    output?: string;
  }): Promise<unknown> {
    return this.call('PUT', 'catalog/register', {
      Node: o.node,
      Address: o.address,
      Service: { ID: o.id, Service: o.service, Port: o.port, Tags: o.tags ?? [], Meta: o.meta ?? {} },
      Check: {
        CheckID: `check:${o.id}`,
        Name: `${o.service} health`,
        ServiceID: o.id,
        Status: o.status ?? 'passing',
        Output: o.output ?? '',
      },
    });
  }

  /** `PUT /v1/catalog/deregister` of a whole node. */
  deregisterNode(node: string): Promise<unknown> {
    return this.call('PUT', 'catalog/deregister', { Node: node });
  }

  /** `PUT /v1/kv/<key>`. */
  putKv(key: string, value: string): Promise<unknown> {
    return this.call('PUT', `kv/${key}`, value);
  }

  /** The decoded value of a key, or null when absent. */
  async getKv(key: string): Promise<string | null> {
    const r = await this.call('GET', `kv/${key}`);
    if (r.status === 404) return null;
    const pair = (r.data as { Value: string | null }[])[0];
    return pair?.Value == null ? '' : Buffer.from(pair.Value, 'base64').toString('utf8');
  }

  /** `DELETE /v1/kv/<prefix>?recurse`. */
  deleteTree(prefix: string): Promise<unknown> {
    return this.call('DELETE', `kv/${prefix}?recurse`);
  }
}
