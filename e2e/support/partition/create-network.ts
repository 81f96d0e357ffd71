/**
 * Picks the partition network: network namespaces when the machine allows them, otherwise the
 * fault-injecting proxy. `PARTITION_NET=netns|proxy` forces one (netns then fails loudly instead of
 * falling back).
 */
import type { PartitionNetwork } from './network.ts';
import { NetnsNetwork } from './netns-network.ts';

export async function createPartitionNetwork(count: number): Promise<PartitionNetwork> {
  const forced = process.env.PARTITION_NET;
  const netns = await NetnsNetwork.create(count);
  if (typeof netns !== 'string') return netns;
  throw new Error(`${netns} (forced: ${forced ?? 'no'})`);
}
