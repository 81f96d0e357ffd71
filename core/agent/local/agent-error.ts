/** A refused agent operation with the HTTP status Consul answers it with (400, 404...). */
export class AgentError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
