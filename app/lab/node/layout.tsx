/** /lab/node: one Consul node per browser tab (lab/node). Plain CSS, no dependency on /ui's theme. */
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './node.css';

export const metadata: Metadata = {
  title: 'Consul lab node',
  description: 'One Consul node in this tab, on the real core, connected to other tabs over WebRTC',
};

export default function LabNodeLayout({ children }: { children: ReactNode }) {
  return <div className="lab-node-root">{children}</div>;
}
