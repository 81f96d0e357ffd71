/** Unknown paths: a plain page pointing to the dashboard. */
import Link from 'next/link';

export default function NotFound() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '4rem 2rem', maxWidth: '40rem', margin: '0 auto' }}>
      <h1 style={{ fontSize: '1.5rem', fontWeight: 600 }}>Page not found</h1>
      <p style={{ color: '#3b3d45' }}>
        There is nothing at this address. The Consul dashboard is at <Link href="/ui">/ui</Link>.
      </p>
    </main>
  );
}
