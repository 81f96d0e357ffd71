/** `/ui/:dc/acls`: Consul's ACL section opens on the tokens list. */
import { redirect } from 'next/navigation';

export default async function AclIndex({ params }: { params: Promise<{ dc: string }> }) {
  const { dc } = await params;
  redirect(`/ui/${dc}/acls/tokens`);
}
