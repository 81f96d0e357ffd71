/**
 * The Node runtime's CheckProbe: dispatches each active check to its probe by kind. Script checks
 * run only when the agent allows them (`enable_script_checks`), which the agent decides before it
 * creates the check.
 */
import { checkKind, type CheckDefinition } from '../../core/agent/checks/check-definition.ts';
import type { CheckProbe, ProbeResult } from '../../core/agent/checks/check-runner.ts';
import { grpcProbe, h2pingProbe } from './grpc-probe.ts';
import { httpProbe } from './http-probe.ts';
import { scriptProbe } from './script-probe.ts';
import { tcpProbe, udpProbe } from './socket-probes.ts';

export const nodeProbe: CheckProbe = (d: CheckDefinition, done: (r: ProbeResult) => void) => {
  switch (checkKind(d)) {
    case 'http':
      return httpProbe(d, done);
    case 'tcp':
      return tcpProbe(d, done);
    case 'udp':
      return udpProbe(d, done);
    case 'script':
      return scriptProbe(d, done);
    case 'grpc':
      return grpcProbe(d, done);
    case 'h2ping':
      return h2pingProbe(d, done);
    default:
      return done({ status: 'critical', output: `check type ${checkKind(d) || 'unknown'} is not supported on this agent` });
  }
};
