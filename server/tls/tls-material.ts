/**
 * The TLS settings of one protocol (tls.defaults merged with tls.https / tls.internal_rpc) read
 * from disk into node:tls options: the CA bundle (ca_file and every PEM in ca_path), the
 * certificate and key, the minimum version, and whether peers must present a certificate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecureVersion } from 'node:tls';
import type { TLSProtocolConfig } from '../config/runtime-config.ts';

export interface TlsMaterial {
  /** Trusted CA certificates (PEM); undefined when none are configured. */
  ca: string[] | undefined;
  cert: string | undefined;
  key: string | undefined;
  minVersion: SecureVersion;
  verifyIncoming: boolean;
  verifyOutgoing: boolean;
  verifyServerHostname: boolean;
}

const VERSIONS: Record<string, SecureVersion> = { TLSv1_0: 'TLSv1', TLSv1_1: 'TLSv1.1', TLSv1_2: 'TLSv1.2', TLSv1_3: 'TLSv1.3' };

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`Failed to load ${what} ${path}: ${(e as Error).message}`);
  }
}

/** Reads the files of `p`; throws a clear error for a missing or unreadable file. */
export function loadTlsMaterial(p: TLSProtocolConfig): TlsMaterial {
  const ca: string[] = [];
  if (p.caFile) ca.push(read(p.caFile, 'CA file'));
  if (p.caPath) {
    for (const f of readdirSync(p.caPath).sort()) if (f.endsWith('.pem') || f.endsWith('.crt')) ca.push(read(join(p.caPath, f), 'CA file'));
  }
  return {
    ca: ca.length > 0 ? ca : undefined,
    cert: p.certFile ? read(p.certFile, 'certificate') : undefined,
    key: p.keyFile ? read(p.keyFile, 'key') : undefined,
    minVersion: VERSIONS[p.tlsMinVersion] ?? 'TLSv1.2',
    verifyIncoming: p.verifyIncoming,
    // CVE-2018-19653: verify_server_hostname alone must already mean TLS (and verification) on
    // every outgoing connection, never a silent fall-back to plaintext.
    verifyOutgoing: p.verifyOutgoing || p.verifyServerHostname,
    verifyServerHostname: p.verifyServerHostname,
  };
}

/** Whether this protocol can serve TLS (has a certificate and key). */
export function canServe(m: TlsMaterial): boolean {
  return m.cert !== undefined && m.key !== undefined;
}
