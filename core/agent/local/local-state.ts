import type { CheckDefinition, CheckStatus } from '../checks/check-definition.ts';
import type { ServiceDefinition } from './service-definition.ts';

/** A check as this agent holds it: its definition and its current status and output. */
export interface LocalCheck {
  definition: CheckDefinition;
  status: CheckStatus;
  output: string;
  /** Status changes sync at once; output-only changes wait for the next full sync. */
  outputDirty: boolean;
}

/** Consul's maintenance check IDs and texts (agent.go). */
export const NODE_MAINT_ID = '_node_maintenance';
export const SERVICE_MAINT_PREFIX = '_service_maintenance:';
export const NODE_MAINT_DEFAULT_REASON = 'Maintenance mode is enabled for this node, but no reason was provided. This is a default message.';
export const SERVICE_MAINT_DEFAULT_REASON = 'Maintenance mode is enabled for this service, but no reason was provided. This is a default message.';

/**
 * The services and checks registered on this agent: authoritative for its node. Every change bumps
 * a version and notifies listeners (anti-entropy syncs; hash-based blocking queries wake).
 */
export class LocalState {
  readonly services = new Map<string, ServiceDefinition>();
  readonly checks = new Map<string, LocalCheck>();
  private version = 0;
  private listeners: Array<() => void> = [];

  /** Registers `fn` for the next changes; returns a function that removes it. */
  onChange(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  get changeVersion(): number {
    return this.version;
  }

  private changed(): void {
    this.version++;
    for (const l of this.listeners.slice()) l();
  }

  addService(service: ServiceDefinition): void {
    this.services.set(service.ID, service);
    this.changed();
  }

  /** Removes a service and every check bound to it. Returns whether it existed. */
  removeService(id: string): boolean {
    if (!this.services.delete(id)) return false;
    for (const [checkID, c] of this.checks) if (c.definition.ServiceID === id) this.checks.delete(checkID);
    this.changed();
    return true;
  }

  addCheck(definition: CheckDefinition, status: CheckStatus = definition.Status): void {
    const previous = this.checks.get(definition.CheckID);
    this.checks.set(definition.CheckID, { definition, status: previous?.status ?? status, output: previous?.output ?? '', outputDirty: false });
    this.changed();
  }

  removeCheck(id: string): boolean {
    if (!this.checks.delete(id)) return false;
    this.changed();
    return true;
  }

  /** Records a check result. A status change notifies; an output change is left for the next sync. */
  updateCheck(id: string, status: CheckStatus, output: string): boolean {
    const c = this.checks.get(id);
    if (!c) return false;
    if (c.status === status && c.output === output) return true;
    const statusChanged = c.status !== status;
    c.status = status;
    c.output = output;
    if (statusChanged) this.changed();
    else c.outputDirty = true;
    return true;
  }

  /** Checks bound to service `id`. */
  checksOf(id: string): LocalCheck[] {
    return [...this.checks.values()].filter((c) => c.definition.ServiceID === id);
  }
}
