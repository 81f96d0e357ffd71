/**
 * Next.js configuration for the /ui dashboard and the /lab cluster lab (app/). The agent hosts
 * Next's request handler on the HTTP port; `next start` also works on its own, pointed at an agent
 * with CONSUL_HTTP_ADDR.
 *
 * @type {import('next').NextConfig}
 */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native modules used by route handlers must not be bundled.
  serverExternalPackages: ['lmdb'],
  env: { NEXT_TELEMETRY_DISABLED: '1' },
};

export default config;
