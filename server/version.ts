/**
 * The Consul version this implementation speaks (HTTP API, CLI output, gossip tags), and build
 * metadata. Revision and build date are injected by the prebuild (scripts/build-cli.ts) through
 * esbuild `define`; from source they keep Consul's own unset defaults (an empty revision and
 * version/version.go's `1970-01-01T00:00:01Z`).
 */
declare const __CONSUL_TS_REVISION__: string | undefined;
declare const __CONSUL_TS_BUILD_DATE__: string | undefined;

export const CONSUL_VERSION = '1.17.0';
export const CONSUL_VERSION_PRERELEASE = '';
export const CONSUL_REVISION: string = typeof __CONSUL_TS_REVISION__ === 'string' ? __CONSUL_TS_REVISION__ : '';
export const CONSUL_BUILD_DATE: string = typeof __CONSUL_TS_BUILD_DATE__ === 'string' ? __CONSUL_TS_BUILD_DATE__ : '1970-01-01T00:00:01Z';

/** Consul's default and supported RPC protocol range (`Protocol 2 spoken by default, understands 2 to 3`). */
export const PROTOCOL_VERSION_DEFAULT = 2;
export const PROTOCOL_VERSION_MIN = 2;
export const PROTOCOL_VERSION_MAX = 3;

/** `GetHumanVersion`: `1.17.0`, or `1.17.0-dev` with a prerelease. */
export function humanVersion(): string {
  return CONSUL_VERSION_PRERELEASE ? `${CONSUL_VERSION}-${CONSUL_VERSION_PRERELEASE}` : CONSUL_VERSION;
}
