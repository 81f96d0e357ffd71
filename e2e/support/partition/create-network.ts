/**
 * Picks the partition network: network namespaces when the machine allows them, otherwise the
 * fault-injecting proxy. `PARTITION_NET=netns|proxy` forces one (a forced netns fails loudly
 * instead of falling back).
 */
import { freeAgentPorts } from '../../../server/testing/agent-process.ts';
import type { PartitionNetwork } from './network.ts';
import { NetnsNetwork } from './netns-network.ts';
import { ProxyNetwork } from './proxy-network.ts';

export async function createPartitionNetwork(count: number): Promise<PartitionNetwork> {
  const forced = process.env.PARTITION_NET;
  if (forced !== 'proxy') {
    const netns = await NetnsNetwork.create(count);
    if (typeof netns !== 'string') return netns;
    if (forced === 'netns') throw new Error(netns);
    console.log(`${netns}: using the fault-injecting proxy`);
  }
  return ProxyNetwork.create(count, await freeAgentPorts());
}
