/** `/ui/:dc` opens the services list, as in Consul. */
import { redirect } from 'next/navigation';

export default async function DatacenterIndex({ params }: { params: Promise<{ dc: string }> }) {
  const { dc } = await params;
  redirect(`/ui/${dc}/services`);
}
