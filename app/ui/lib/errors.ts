/**
 * How the dashboard names what went wrong with a `/v1` call. Pure: the classification and the
 * texts shown on screen are decided here and unit-tested.
 */

/** What kind of failure a request met; each has its own explanation on screen. */
export type ConsulErrorKind =
  | 'unreachable'
  | 'no-leader'
  | 'forbidden'
  | 'acl-disabled'
  | 'not-found'
  | 'unsupported'
  | 'no-datacenter'
  | 'http';

/** A failed `/v1` request: its kind, HTTP status (0 when no response arrived) and body text. */
export class ConsulError extends Error {
  readonly kind: ConsulErrorKind;
  readonly status: number;
  readonly body: string;

  constructor(kind: ConsulErrorKind, status: number, body: string) {
    super(body === '' ? `HTTP ${status}` : body);
    this.name = 'ConsulError';
    this.kind = kind;
    this.status = status;
    this.body = body;
  }
}

/** Header the /v1 proxy (app/v1) sets when it could not reach the agent at all. */
export const PROXY_ERROR_HEADER = 'X-Consul-UI-Proxy-Error';

/**
 * Classifies an HTTP error response. `proxyFailed` is true when our own proxy answered because
 * the agent did not (the agent is then as unreachable as if the browser had failed to connect).
 */
export function classifyResponse(status: number, body: string, proxyFailed: boolean): ConsulErrorKind {
  if (proxyFailed) return 'unreachable';
  const text = body.trim();
  if (status === 403) return 'forbidden';
  if (status === 401 && text.includes('ACL support disabled')) return 'acl-disabled';
  if (status === 404 && text.startsWith('Invalid URL path')) return 'unsupported';
  if (status === 404) return 'not-found';
  if (text.includes('No cluster leader')) return 'no-leader';
  if (text.includes('No path to datacenter')) return 'no-datacenter';
  return 'http';
}

/** A title and explanation for an error, worded for an operator. */
export interface ErrorText {
  title: string;
  detail: string;
}

/** The on-screen text for an error of any origin (ConsulError or anything thrown). */
export function describeError(error: unknown): ErrorText {
  if (!(error instanceof ConsulError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { title: 'Something went wrong', detail: message };
  }
  const body = error.body.trim();
  switch (error.kind) {
    case 'unreachable':
      return {
        title: 'Consul agent unreachable',
        detail:
          'The dashboard cannot reach the Consul HTTP API. Check that the agent is running; this page retries on its own and recovers when the agent is back.',
      };
    case 'no-leader':
      return {
        title: 'No cluster leader',
        detail:
          'The Consul servers have not elected a leader, so the catalog cannot be read. This page updates as soon as a leader is elected.',
      };
    case 'forbidden':
      return {
        title: 'Access denied (403)',
        detail: `${body === '' ? 'Permission denied.' : body} Set an ACL token with the permissions you need in Settings.`,
      };
    case 'acl-disabled':
      return { title: 'ACLs are disabled', detail: 'This agent runs without ACLs, so there is nothing to manage here.' };
    case 'unsupported':
      return {
        title: 'Not available on this agent',
        detail: 'This agent does not offer the API endpoint this view needs, so there is nothing to show here.',
      };
    case 'not-found':
      return { title: 'Not found (404)', detail: body === '' ? 'Consul has no such entry.' : body };
    case 'no-datacenter':
      return {
        title: 'Unknown datacenter',
        detail: 'Consul has no path to this datacenter. Pick another one from the datacenter menu.',
      };
    default:
      return { title: `Consul answered ${error.status}`, detail: body === '' ? 'The request failed.' : body };
  }
}
