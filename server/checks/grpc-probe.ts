/**
 * gRPC and H2PING checks over node:http2. gRPC: the standard health protocol
 * (`/grpc.health.v1.Health/Check`, a protobuf HealthCheckRequest{service}); SERVING (1) is passing,
 * anything else critical. H2PING: an HTTP/2 PING frame that comes back is passing.
 */
import { connect, type ClientHttp2Session } from 'node:http2';
import type { CheckDefinition } from '../../core/agent/checks/check-definition.ts';
import type { ProbeResult } from '../../core/agent/checks/check-runner.ts';

const DEFAULT_TIMEOUT_MS = 10_000;
const SERVING = 1;

/** Encodes HealthCheckRequest{service = field 1, string} in a gRPC length-prefixed message. */
export function encodeHealthRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  const body = name.length > 0 ? Buffer.concat([Buffer.from([0x0a, name.length]), name]) : Buffer.alloc(0);
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(body.length, 1);
  body.copy(frame, 5);
  return frame;
}

/** Reads HealthCheckResponse.status (field 1, varint) from a gRPC message; 0 (UNKNOWN) if absent. */
export function decodeHealthStatus(message: Buffer): number {
  if (message.length < 5) return 0;
  const body = message.subarray(5, 5 + message.readUInt32BE(1));
  for (let i = 0; i + 1 < body.length; ) {
    const tag = body[i] as number;
    if (tag === 0x08) return body[i + 1] as number;
    i += 2;
  }
  return 0;
}

function session(target: string, useTls: boolean, d: CheckDefinition): ClientHttp2Session {
  const scheme = useTls ? 'https' : 'http';
  return connect(`${scheme}://${target}`, { rejectUnauthorized: !d.TLSSkipVerify, servername: d.TLSServerName || undefined });
}

export function grpcProbe(d: CheckDefinition, done: (r: ProbeResult) => void): void {
  const slash = d.GRPC.indexOf('/');
  const target = slash < 0 ? d.GRPC : d.GRPC.slice(0, slash);
  const service = slash < 0 ? '' : d.GRPC.slice(slash + 1);
  const client = session(target, d.GRPCUseTLS, d);
  let finished = false;
  const finish = (r: ProbeResult) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    client.close();
    done(r);
  };
  const timer = setTimeout(() => finish({ status: 'critical', output: `gRPC ${d.GRPC}: context deadline exceeded` }), d.TimeoutNs > 0 ? d.TimeoutNs / 1e6 : DEFAULT_TIMEOUT_MS);
  client.on('error', (err) => finish({ status: 'critical', output: `gRPC ${d.GRPC}: ${err.message}` }));
  const stream = client.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc', te: 'trailers' });
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('error', (err) => finish({ status: 'critical', output: `gRPC ${d.GRPC}: ${err.message}` }));
  stream.on('end', () => {
    const status = decodeHealthStatus(Buffer.concat(chunks));
    if (status === SERVING) finish({ status: 'passing', output: `gRPC check ${d.GRPC}: success` });
    else finish({ status: 'critical', output: `gRPC check ${d.GRPC}: failed with status ${status}` });
  });
  stream.end(encodeHealthRequest(service));
}

export function h2pingProbe(d: CheckDefinition, done: (r: ProbeResult) => void): void {
  const client = session(d.H2PING, d.H2PingUseTLS, d);
  let finished = false;
  const finish = (r: ProbeResult) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    client.close();
    done(r);
  };
  const timer = setTimeout(() => finish({ status: 'critical', output: `H2PING ${d.H2PING}: timeout` }), d.TimeoutNs > 0 ? d.TimeoutNs / 1e6 : DEFAULT_TIMEOUT_MS);
  client.on('error', (err) => finish({ status: 'critical', output: `H2PING ${d.H2PING}: ${err.message}` }));
  client.on('connect', () => {
    client.ping((err) => finish(err ? { status: 'critical', output: `H2PING ${d.H2PING}: ${err.message}` } : { status: 'passing', output: 'HTTP2 ping was successful' }));
  });
}
