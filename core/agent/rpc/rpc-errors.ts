/** RPC failures a caller can tell apart. Remote errors carry the server's message verbatim. */
export class RpcError extends Error {
  constructor(
    message: string,
    readonly kind: 'remote' | 'timeout' | 'connection' | 'closed',
  ) {
    super(message);
  }
}
