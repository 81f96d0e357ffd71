import { field } from '../../http/json.ts';
import type { ServiceAddress, Weights } from '../../state/types.ts';
import { type CheckDefinition, parseCheckDefinition, validateCheck } from '../checks/check-definition.ts';

/** A service registered on this agent (Consul's structs.ServiceDefinition, normalised). */
export interface ServiceDefinition {
  Kind: string;
  ID: string;
  Service: string;
  Tags: string[];
  Address: string;
  TaggedAddresses: Record<string, ServiceAddress>;
  Meta: Record<string, string>;
  Port: number;
  Weights: Weights;
  EnableTagOverride: boolean;
}

/** A registration request that Consul would refuse; `message` is its 400 text. */
export class ServiceValidationError extends Error {}

const KINDS = ['', 'connect-proxy', 'mesh-gateway', 'terminating-gateway', 'ingress-gateway', 'api-gateway'];
/** Consul's service meta limits (structs.ValidateServiceMetadata). */
const META_MAX_PAIRS = 64;
const META_KEY_MAX = 128;
const META_VALUE_MAX = 512;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function stringMap(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}

function taggedAddresses(v: unknown): Record<string, ServiceAddress> {
  if (!v || typeof v !== 'object') return {};
  const out: Record<string, ServiceAddress> = {};
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    if (raw && typeof raw === 'object') {
      const r = raw as Record<string, unknown>;
      out[k] = { address: str(field(r, 'address', 'Address')), port: Number(field(r, 'port', 'Port') ?? 0) };
    }
  }
  return out;
}

function validateMeta(meta: Record<string, string>): void {
  const entries = Object.entries(meta);
  if (entries.length > META_MAX_PAIRS) throw new ServiceValidationError(`Invalid Service Meta: Node metadata cannot contain more than ${META_MAX_PAIRS} key/value pairs`);
  for (const [k, v] of entries) {
    if (k === '') throw new ServiceValidationError('Invalid Service Meta: Key cannot be blank');
    if (k.length > META_KEY_MAX) throw new ServiceValidationError(`Invalid Service Meta: Key is too long (limit: ${META_KEY_MAX} characters)`);
    if (k.startsWith('consul-')) throw new ServiceValidationError(`Invalid Service Meta: Key prefix 'consul-' is reserved for internal use`);
    if (v.length > META_VALUE_MAX) throw new ServiceValidationError(`Invalid Service Meta: Value is too long (limit: ${META_VALUE_MAX} characters)`);
  }
}

/**
 * Parses a service registration (API body or config file block; CamelCase or snake_case) with
 * Consul's defaults (ID = name, weights 1/1) and validation texts. Returns the service and its
 * checks with Consul's generated IDs (`service:<id>`, or `service:<id>:<n>` for several) and names.
 */
export function parseServiceRegistration(raw: Record<string, unknown>): { service: ServiceDefinition; checks: CheckDefinition[] } {
  const f = (...names: string[]) => field(raw, ...names);
  const name = str(f('Name'));
  if (name === '') throw new ServiceValidationError('Missing service name');
  const address = str(f('Address'));
  if (address === '0.0.0.0' || address === '::' || address === '[::]') throw new ServiceValidationError('Invalid service address');
  const kind = str(f('Kind'));
  if (!KINDS.includes(kind)) throw new ServiceValidationError(`Validation failed: invalid service kind: "${kind}"`);
  const weightsRaw = f('Weights') as Record<string, unknown> | undefined;
  const weights: Weights = { Passing: 1, Warning: 1 };
  if (weightsRaw && typeof weightsRaw === 'object') {
    weights.Passing = Number(field(weightsRaw, 'Passing') ?? 1);
    weights.Warning = Number(field(weightsRaw, 'Warning') ?? 1);
    if (!(weights.Passing >= 1)) throw new ServiceValidationError(`Invalid Weights: Passing must be greater than 0`);
    if (!(weights.Warning >= 0)) throw new ServiceValidationError(`Invalid Weights: Warning must be greater or equal than 0`);
  }
  const meta = stringMap(f('Meta'));
  validateMeta(meta);
  const service: ServiceDefinition = {
    Kind: kind,
    ID: str(f('ID')) || name,
    Service: name,
    Tags: stringArray(f('Tags')),
    Address: address,
    TaggedAddresses: taggedAddresses(f('TaggedAddresses', 'tagged_addresses')),
    Meta: meta,
    Port: Number(f('Port') ?? 0) || 0,
    Weights: weights,
    EnableTagOverride: f('EnableTagOverride', 'enable_tag_override') === true,
  };
  return { service, checks: serviceChecks(service, f('Check'), f('Checks')) };
}

function serviceChecks(service: ServiceDefinition, one: unknown, many: unknown): CheckDefinition[] {
  const raws = [...(one && typeof one === 'object' ? [one] : []), ...(Array.isArray(many) ? many : [])] as Array<Record<string, unknown>>;
  return raws.map((raw, i) => {
    let check: CheckDefinition;
    try {
      check = parseCheckDefinition(raw);
      validateCheck(check);
    } catch (e) {
      throw new ServiceValidationError(`Invalid check: ${(e as Error).message}`);
    }
    const n = raws.length > 1 ? `:${i + 1}` : '';
    return {
      ...check,
      CheckID: check.CheckID || `service:${service.ID}${n}`,
      Name: check.Name || `Service '${service.Service}' check`,
      ServiceID: service.ID,
    };
  });
}
