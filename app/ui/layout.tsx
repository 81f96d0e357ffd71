/** The /ui section: Consul's dashboard. Styles and the document title live here. */
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './ui.css';

export const metadata: Metadata = {
  title: { default: 'Consul', template: '%s - Consul' },
  description: 'Consul web UI: services, nodes and key/value',
};

export default function UiLayout({ children }: { children: ReactNode }) {
  return <div className="min-h-screen bg-canvas text-fg antialiased">{children}</div>;
}
