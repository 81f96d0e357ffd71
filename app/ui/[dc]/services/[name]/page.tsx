/** `/ui/:dc/services/:name` opens the instances tab, as in Consul. */
import { redirect } from 'next/navigation';

export default async function ServiceIndex({ params }: { params: Promise<{ dc: string; name: string }> }) {
  const { dc, name } = await params;
  redirect(`/ui/${dc}/services/${name}/instances`);
}
