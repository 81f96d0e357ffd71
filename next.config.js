/**
 * Next.js configuration for the /ui dashboard and the /lab cluster lab (app/). The agent hosts
 * Next's request handler on the HTTP port; `next start` also works on its own, pointed at an agent
 * with CONSUL_HTTP_ADDR (app/v1/[...path]/route.ts proxies `/v1/*` to it at request time, so one
 * build serves any agent).
 *
 * @type {import('next').NextConfig}
 */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native modules used by route handlers must not be bundled.
  serverExternalPackages: ['lmdb'],
  env: { NEXT_TELEMETRY_DISABLED: '1' },
  // Works offline: no image optimizer downloads, no dev overlay badge in screenshots.
  images: { unoptimized: true },
  // Consul paths end in `/` on purpose (KV folders: `/v1/kv/app/?keys`, `PUT /v1/kv/folder/`,
  // the UI's `/ui/dc1/kv/app/`): Next's trailing-slash redirect would change their meaning.
  skipTrailingSlashRedirect: true,
  devIndicators: false,
  // The repository's type check and Biome run in `npm test`; the build must not redo them with
  // other settings (the core has its own tsconfig).
  typescript: { ignoreBuildErrors: false },
};

export default config;
