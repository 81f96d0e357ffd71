/**
 * The nodes list's search (Node, Address, Meta), status filter, sort and the leader badge, as
 * pure functions.
 */
import { compareNames } from './compare.ts';
import { type Status, statusOfChecks, statusRank } from './health.ts';
import { matchesText, metaStrings } from './text-search.ts';
import type { NodeInfo } from './types.ts';

export const NODE_SORTS = ['Node:asc', 'Node:desc', 'Status:asc', 'Status:desc'] as const;
export type NodeSort = (typeof NODE_SORTS)[number];

/** The nodes view's state; an empty status list means no filter. */
export interface NodeQuery {
  text: string;
  status: Status[];
  sort: NodeSort;
}

/** A node's overall status from all of its checks (node and service checks, as Consul's UI). */
export function nodeStatus(node: NodeInfo): Status {
  return statusOfChecks(node.Checks);
}

/**
 * Whether a node is the Raft leader: `/v1/status/leader` gives `"ip:port"` of the leader's server
 * RPC address; the node whose Address is that IP is the leader.
 */
export function isLeader(node: Pick<NodeInfo, 'Address'>, leader: string | null | undefined): boolean {
  if (leader == null || leader === '') return false;
  return hostOf(leader) === node.Address;
}

/** The host part of `host:port` or `[v6]:port`. */
export function hostOf(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1]!;
  const colon = address.lastIndexOf(':');
  return colon > 0 && address.indexOf(':') === colon ? address.slice(0, colon) : address;
}

function compareNodes(sort: NodeSort): (a: NodeInfo, b: NodeInfo) => number {
  const byName = (a: NodeInfo, b: NodeInfo) => compareNames(a.Node, b.Node);
  switch (sort) {
    case 'Node:desc':
      return (a, b) => byName(b, a);
    case 'Status:asc':
      return (a, b) => statusRank(nodeStatus(a)) - statusRank(nodeStatus(b)) || byName(a, b);
    case 'Status:desc':
      return (a, b) => statusRank(nodeStatus(b)) - statusRank(nodeStatus(a)) || byName(a, b);
    default:
      return byName;
  }
}

/** Filters and sorts the nodes list (does not mutate the input). */
export function selectNodes(nodes: readonly NodeInfo[], q: NodeQuery): NodeInfo[] {
  return nodes
    .filter((n) => matchesText(q.text, [n.Node, n.Address, ...metaStrings(n.Meta)]))
    .filter((n) => q.status.length === 0 || q.status.includes(nodeStatus(n)))
    .sort(compareNodes(q.sort));
}
