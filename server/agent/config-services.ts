/**
 * Services and checks from config files (`service`/`services`, `check`/`checks`) in the shape the
 * agent's registration takes, so they go through the same validation as `/v1/agent/service/register`.
 */
import type { CheckDefinition, ServiceDefinition } from '../config/runtime-config.ts';

/** A millisecond duration as a Go duration string ("" for unset). */
const dur = (ms: number): string | undefined => (ms > 0 ? `${ms}ms` : undefined);

export function checkRegistration(c: CheckDefinition): Record<string, unknown> {
  return {
    CheckID: c.id || undefined,
    Name: c.name,
    Notes: c.notes,
    ServiceID: c.serviceId,
    Status: c.status || undefined,
    ScriptArgs: c.scriptArgs,
    HTTP: c.http,
    Header: c.header,
    Method: c.method,
    Body: c.body,
    DisableRedirects: c.disableRedirects,
    TCP: c.tcp,
    TCPUseTLS: c.tcpUseTLS,
    UDP: c.udp,
    GRPC: c.grpc,
    GRPCUseTLS: c.grpcUseTLS,
    TLSServerName: c.tlsServerName,
    TLSSkipVerify: c.tlsSkipVerify,
    AliasNode: c.aliasNode,
    AliasService: c.aliasService,
    H2PING: c.h2ping,
    H2PingUseTLS: c.h2pingUseTLS,
    OSService: c.osService,
    DockerContainerID: c.dockerContainerId,
    Shell: c.shell,
    Interval: dur(c.interval),
    Timeout: dur(c.timeout),
    TTL: dur(c.ttl),
    DeregisterCriticalServiceAfter: dur(c.deregisterCriticalServiceAfter),
    SuccessBeforePassing: c.successBeforePassing,
    FailuresBeforeWarning: c.failuresBeforeWarning,
    FailuresBeforeCritical: c.failuresBeforeCritical,
    OutputMaxSize: c.outputMaxSize,
  };
}

export function serviceRegistration(s: ServiceDefinition): Record<string, unknown> {
  return {
    Kind: s.kind,
    ID: s.id || undefined,
    Name: s.name,
    Tags: s.tags,
    Address: s.address,
    TaggedAddresses: s.taggedAddresses,
    Meta: s.meta,
    Port: s.port,
    EnableTagOverride: s.enableTagOverride,
    Weights: { Passing: s.weights.passing, Warning: s.weights.warning },
    Checks: s.checks.map(checkRegistration),
  };
}
