/**
 * TCP and UDP checks (src: Consul agent/checks CheckTCP, CheckUDP). TCP: a connection within the
 * timeout is passing. UDP: a reply, or silence until the read timeout, is passing (UDP cannot tell
 * silence from loss); an error such as ICMP port unreachable is critical.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { CheckDefinition } from '../../core/agent/checks/check-definition.ts';
import type { ProbeResult } from '../../core/agent/checks/check-runner.ts';

const DEFAULT_TIMEOUT_MS = 10_000;

/** Splits `host:port` (IPv6 in brackets). */
export function splitHostPort(target: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(target);
  if (!m) return undefined;
  return { host: m[1] ?? '', port: Number(m[2]) };
}

const timeoutOf = (d: CheckDefinition) => (d.TimeoutNs > 0 ? d.TimeoutNs / 1e6 : DEFAULT_TIMEOUT_MS);

export function tcpProbe(d: CheckDefinition, done: (r: ProbeResult) => void): void {
  const target = splitHostPort(d.TCP);
  if (!target) return done({ status: 'critical', output: `dial tcp ${d.TCP}: missing port in address` });
  const socket = d.TCPUseTLS
    ? tlsConnect({ host: target.host, port: target.port, rejectUnauthorized: !d.TLSSkipVerify, servername: d.TLSServerName || undefined })
    : connect(target.port, target.host);
  let finished = false;
  const finish = (r: ProbeResult) => {
    if (finished) return;
    finished = true;
    socket.destroy();
    done(r);
  };
  socket.setTimeout(timeoutOf(d), () => finish({ status: 'critical', output: `dial tcp ${d.TCP}: i/o timeout` }));
  socket.once(d.TCPUseTLS ? 'secureConnect' : 'connect', () => finish({ status: 'passing', output: `TCP connect ${d.TCP}: Success` }));
  socket.once('error', (err) => finish({ status: 'critical', output: `dial tcp ${d.TCP}: ${err.message}` }));
}

export function udpProbe(d: CheckDefinition, done: (r: ProbeResult) => void): void {
  const target = splitHostPort(d.UDP);
  if (!target) return done({ status: 'critical', output: `dial udp ${d.UDP}: missing port in address` });
  const socket = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
  let finished = false;
  const finish = (r: ProbeResult) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.close();
    done(r);
  };
  const timer = setTimeout(() => finish({ status: 'passing', output: `UDP ${d.UDP}: no reply before the read timeout (passing)` }), timeoutOf(d));
  socket.on('error', (err) => finish({ status: 'critical', output: `UDP ${d.UDP}: ${err.message}` }));
  socket.on('message', () => finish({ status: 'passing', output: `UDP ${d.UDP}: Success` }));
  socket.connect(target.port, target.host, () => {
    socket.send(Buffer.from('consul health check'), (err) => {
      if (err) finish({ status: 'critical', output: `UDP ${d.UDP}: ${err.message}` });
    });
  });
}
