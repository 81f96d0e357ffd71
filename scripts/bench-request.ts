/**
 * The benchmarks' plain HTTP client: one request to 127.0.0.1, the whole body as a string.
 */
import http from 'node:http';

/** Status and body of one reply. */
export interface Reply {
  status: number;
  body: string;
}

/** Sends one request (through `agent`, for keep-alive) and resolves with the reply; rejects on error or timeout. */
export function request(agent: http.Agent | undefined, port: number, method: string, path: string, body?: string, timeoutMs = 5000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}
