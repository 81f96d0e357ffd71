import { durationFromJson } from '../../lib/duration.ts';
import { field } from '../../http/json.ts';

/** Statuses a check can hold. */
export type CheckStatus = 'passing' | 'warning' | 'critical';

/** The kinds of check Consul runs (structs.CheckType.Type()). */
export type CheckKind = 'script' | 'http' | 'tcp' | 'udp' | 'grpc' | 'h2ping' | 'ttl' | 'alias' | 'docker' | 'os_service';

/**
 * One check as the agent holds it (Consul's CheckType plus the check's identity). Durations are
 * nanoseconds, as in Go; 0 means unset.
 */
export interface CheckDefinition {
  CheckID: string;
  Name: string;
  Notes: string;
  ServiceID: string;
  Status: CheckStatus;
  ScriptArgs: string[];
  HTTP: string;
  Header: Record<string, string[]>;
  Method: string;
  Body: string;
  TLSServerName: string;
  TLSSkipVerify: boolean;
  DisableRedirects: boolean;
  TCP: string;
  TCPUseTLS: boolean;
  UDP: string;
  GRPC: string;
  GRPCUseTLS: boolean;
  H2PING: string;
  H2PingUseTLS: boolean;
  AliasNode: string;
  AliasService: string;
  DockerContainerID: string;
  Shell: string;
  OSService: string;
  IntervalNs: number;
  TimeoutNs: number;
  TTLNs: number;
  DeregisterCriticalServiceAfterNs: number;
  SuccessBeforePassing: number;
  FailuresBeforeWarning: number;
  FailuresBeforeCritical: number;
  OutputMaxSize: number;
}

/** check_output_max_size's default (4 KiB). */
export const DEFAULT_OUTPUT_MAX_SIZE = 4096;
/** Intervals shorter than this are raised to it (Consul's MinInterval). */
export const MIN_INTERVAL_NS = 1e9;

/** A check definition that failed validation; the message is Consul's. */
export class CheckValidationError extends Error {}

/** Consul's `Type()`: which kind of check this is, by the fields set. */
export function checkKind(d: CheckDefinition): CheckKind | '' {
  if (d.TTLNs > 0) return 'ttl';
  if (d.AliasService !== '' || d.AliasNode !== '') return 'alias';
  if (d.DockerContainerID !== '') return 'docker';
  if (d.ScriptArgs.length > 0) return 'script';
  if (d.HTTP !== '') return 'http';
  if (d.TCP !== '') return 'tcp';
  if (d.UDP !== '') return 'udp';
  if (d.GRPC !== '') return 'grpc';
  if (d.H2PING !== '') return 'h2ping';
  if (d.OSService !== '') return 'os_service';
  return '';
}

/** Consul's CheckType.Validate, with its error texts. */
export function validateCheck(d: CheckDefinition): void {
  const kind = checkKind(d);
  const intervalBased = ['script', 'http', 'tcp', 'udp', 'h2ping', 'os_service', 'docker', 'grpc'].includes(kind);
  if (d.IntervalNs > 0 && d.TTLNs > 0) throw new CheckValidationError('Interval and TTL cannot both be specified');
  if (intervalBased && d.IntervalNs <= 0) {
    throw new CheckValidationError('Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks');
  }
  if (kind === '' && d.IntervalNs === 0 && d.TTLNs === 0 && !(d.AliasNode || d.AliasService)) {
    throw new CheckValidationError('TTL must be > 0 for TTL checks');
  }
  if (d.FailuresBeforeWarning > d.FailuresBeforeCritical) {
    throw new CheckValidationError("FailuresBeforeWarning can't be higher than FailuresBeforeCritical");
  }
  if (d.OutputMaxSize < 0) throw new CheckValidationError('MaxOutputMaxSize must be positive');
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const bool = (v: unknown): boolean => v === true;

function headerMap(v: unknown): Record<string, string[]> {
  if (!v || typeof v !== 'object') return {};
  const out: Record<string, string[]> = {};
  for (const [k, vals] of Object.entries(v as Record<string, unknown>)) {
    out[k] = Array.isArray(vals) ? vals.map(String) : [String(vals)];
  }
  return out;
}

function statusOf(v: unknown): CheckStatus {
  if (v === undefined || v === null || v === '') return 'critical';
  if (v === 'passing' || v === 'warning' || v === 'critical') return v;
  throw new CheckValidationError("Status for checks must 'passing', 'warning', 'critical'");
}

/**
 * Reads a check definition from a request body or config file object: CamelCase or snake_case,
 * case-insensitive keys, Go durations or nanosecond numbers. Does not validate; call validateCheck.
 */
export function parseCheckDefinition(raw: Record<string, unknown>): CheckDefinition {
  const f = (...names: string[]) => field(raw, ...names);
  const args = f('ScriptArgs', 'args', 'script_args');
  const failuresBeforeCritical = num(f('FailuresBeforeCritical', 'failures_before_critical'));
  const failuresBeforeWarning = f('FailuresBeforeWarning', 'failures_before_warning');
  return {
    CheckID: str(f('CheckID', 'ID', 'check_id')),
    Name: str(f('Name')),
    Notes: str(f('Notes')),
    ServiceID: str(f('ServiceID', 'service_id')),
    Status: statusOf(f('Status')),
    ScriptArgs: Array.isArray(args) ? args.map(String) : [],
    HTTP: str(f('HTTP')),
    Header: headerMap(f('Header')),
    Method: str(f('Method')),
    Body: str(f('Body')),
    TLSServerName: str(f('TLSServerName', 'tls_server_name')),
    TLSSkipVerify: bool(f('TLSSkipVerify', 'tls_skip_verify')),
    DisableRedirects: bool(f('DisableRedirects', 'disable_redirects')),
    TCP: str(f('TCP')),
    TCPUseTLS: bool(f('TCPUseTLS', 'tcp_use_tls')),
    UDP: str(f('UDP')),
    GRPC: str(f('GRPC')),
    GRPCUseTLS: bool(f('GRPCUseTLS', 'grpc_use_tls')),
    H2PING: str(f('H2PING', 'h2ping')),
    H2PingUseTLS: f('H2PingUseTLS', 'h2ping_use_tls') !== false,
    AliasNode: str(f('AliasNode', 'alias_node')),
    AliasService: str(f('AliasService', 'alias_service')),
    DockerContainerID: str(f('DockerContainerID', 'docker_container_id')),
    Shell: str(f('Shell')),
    OSService: str(f('OSService', 'os_service')),
    IntervalNs: durationFromJson(f('Interval')),
    TimeoutNs: durationFromJson(f('Timeout')),
    TTLNs: durationFromJson(f('TTL')),
    DeregisterCriticalServiceAfterNs: durationFromJson(f('DeregisterCriticalServiceAfter', 'deregister_critical_service_after')),
    SuccessBeforePassing: num(f('SuccessBeforePassing', 'success_before_passing')),
    FailuresBeforeWarning: typeof failuresBeforeWarning === 'number' ? failuresBeforeWarning : failuresBeforeCritical,
    FailuresBeforeCritical: failuresBeforeCritical,
    OutputMaxSize: num(f('OutputMaxSize', 'output_max_size')) || DEFAULT_OUTPUT_MAX_SIZE,
  };
}
