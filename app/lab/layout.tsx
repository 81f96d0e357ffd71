/** The /lab section: the cluster lab. Its own styles (Tailwind scanning app/lab and lab/views). */
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './lab.css';

export const metadata: Metadata = {
  title: { default: 'Consul Lab', template: '%s - Consul Lab' },
  description: 'Raft and gossip on the real Consul core, running in your browser',
};

export default function LabLayout({ children }: { children: ReactNode }) {
  return <div className="min-h-screen antialiased">{children}</div>;
}
