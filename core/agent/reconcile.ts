import type { Member } from '../gossip/serf/events.ts';
import { checkPK, lc } from '../state/schema.ts';
import type { StateStore } from '../state/store.ts';
import type { RegisterRequest, DeregisterRequest } from '../state/catalog.ts';
import { SERF_HEALTH } from './agent-config.ts';

/** A catalog change the leader must make to mirror gossip membership. */
export type ReconcileAction = { register: RegisterRequest } | { deregister: DeregisterRequest };

/**
 * Consul's leader reconciliation (agent/consul/leader.go reconcileMember): every LAN member gets a
 * catalog node with a `serfHealth` check, passing while alive and critical once failed; a member
 * that left (or was reaped) is deregistered. Returns only the changes the catalog still needs, so
 * a periodic reconcile of an unchanged pool writes nothing.
 */
export function reconcileMember(state: StateStore, member: Member, datacenter: string): ReconcileAction | undefined {
  if (member.tags.dc && member.tags.dc !== datacenter) return undefined;
  const node = state.t.nodes.get(lc(member.name));
  if (member.status === 'left' || member.status === 'none') {
    return node ? { deregister: { Node: member.name } } : undefined;
  }
  const alive = member.status === 'alive' || member.status === 'leaving';
  const status = alive ? 'passing' : 'critical';
  const output = alive ? SERF_HEALTH.alive : SERF_HEALTH.failed;
  const check = state.t.checks.get(checkPK(member.name, SERF_HEALTH.id));
  const upToDate = node && node.Address === member.addr && node.Datacenter === datacenter && check?.Status === status && check?.Output === output;
  if (upToDate) return undefined;
  const register: RegisterRequest = {
    ID: member.tags.id,
    Node: member.name,
    Address: member.addr,
    Datacenter: datacenter,
    // The node's own anti-entropy owns its meta and addresses; the leader only fills them in for a
    // node it is creating, or when the address moved.
    SkipNodeUpdate: node !== undefined && node.Address === member.addr && node.Datacenter === datacenter,
    TaggedAddresses: { ...node?.TaggedAddresses, ...defaultTaggedAddresses(member.addr) },
    NodeMeta: { ...node?.Meta, ...defaultNodeMeta(member.tags.segment ?? '', member.tags.build?.split(':')[0] ?? '') },
    Check: { Node: member.name, CheckID: SERF_HEALTH.id, Name: SERF_HEALTH.name, Status: status, Output: output },
  };
  if (member.tags.role === 'consul') {
    register.Service = { ID: 'consul', Service: 'consul', Port: Number(member.tags.port) || 8300, Tags: [], Meta: { raft_version: '3', version: member.tags.build?.split(':')[0] ?? '' } };
  }
  return { register };
}

/** Nodes in the catalog that gossip no longer knows at all (reaped while no leader was watching). */
export function orphanNodes(state: StateStore, members: readonly Member[]): string[] {
  const known = new Set(members.map((m) => m.name));
  return [...state.t.nodes.all()]
    .filter((n) => !known.has(n.Node) && state.t.checks.get(checkPK(n.Node, SERF_HEALTH.id)) !== undefined)
    .map((n) => n.Node);
}

/** The tagged addresses every agent registers (lan, lan_ipv4, wan, wan_ipv4). */
export function defaultTaggedAddresses(addr: string): Record<string, string> {
  return { lan: addr, lan_ipv4: addr, wan: addr, wan_ipv4: addr };
}

/** The node meta keys Consul adds itself. */
export function defaultNodeMeta(segment: string, version: string): Record<string, string> {
  return { 'consul-network-segment': segment, 'consul-version': version };
}
