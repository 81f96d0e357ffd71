/**
 * Consul's HTTP error model: plain-text bodies, with the status chosen by the error's kind
 * (src: agent/http.go handleErr). Anything unrecognised is a 500 with the error's text.
 */

/** An error that carries its HTTP status (Consul's `HTTPError{StatusCode, Reason}`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string): HttpError => new HttpError(400, message);
export const notFound = (message: string): HttpError => new HttpError(404, message);

/** The status Consul uses for an arbitrary error raised by an endpoint or RPC. */
export function statusForError(err: unknown): { status: number; message: string; headers: Record<string, string> } {
  if (err instanceof HttpError) return { status: err.status, message: err.message, headers: err.headers };
  // Errors from other layers that carry their own status (e.g. the agent's AgentError).
  if (err instanceof Error && typeof (err as { status?: unknown }).status === 'number') {
    return { status: (err as unknown as { status: number }).status, message: err.message, headers: {} };
  }
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes('ACL not found') || message.includes('Permission denied')) {
    return { status: 403, message, headers: {} };
  }
  if (message === 'ACL support disabled') return { status: 401, message, headers: {} };
  return { status: 500, message, headers: {} };
}
