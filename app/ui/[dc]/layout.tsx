/** Every `/ui/:dc/…` page sits in the navigation shell for that datacenter. */
import type { ReactNode } from 'react';
import { Shell } from '../components/shell.tsx';

export default async function DatacenterLayout({ children, params }: { children: ReactNode; params: Promise<{ dc: string }> }) {
  const { dc } = await params;
  return <Shell dc={decodeURIComponent(dc)}>{children}</Shell>;
}
