import type { RuntimeConfig } from '../config/runtime-config.ts';
import { humanVersion } from '../version.ts';

/**
 * The block `consul agent` prints before its logs (command/agent/agent.go, 1.17): `==> Starting
 * Consul agent...`, the indented settings with labels right-aligned on the colon, then
 * `==> Log data will now stream in as it occurs:`. With -log-json Consul hides this output, so the
 * result is empty then.
 */
export function startupBanner(rt: RuntimeConfig, nodeId: string): string {
  if (rt.logging.logJSON) return '';
  const rows: Array<[string, string]> = [
    ['Version', `'${humanVersion()}'`],
    ...(rt.versionPrerelease.includes('dev') ? ([['Revision', `'${rt.revision}'`]] as Array<[string, string]>) : []),
    ['Build Date', `'${goTime(rt.buildDate)}'`],
    ['Node ID', `'${nodeId}'`],
    ['Node name', `'${rt.nodeName}'`],
    ['Datacenter', `'${rt.datacenter}' (Segment: '${rt.serverMode ? '<all>' : ''}')`],
    ['Server', `${rt.serverMode} (Bootstrap: ${rt.bootstrap})`],
    [
      'Client Addr',
      `[${rt.clientAddrs.join(' ')}] (HTTP: ${rt.ports.http}, HTTPS: ${rt.ports.https}, gRPC: ${rt.ports.grpc}, gRPC-TLS: ${rt.ports.grpcTls}, DNS: ${rt.ports.dns})`,
    ],
    ['Cluster Addr', `${rt.advertiseAddrLAN} (LAN: ${rt.ports.serfLan}, WAN: ${rt.ports.serfWan})`],
    ['Gossip Encryption', String(rt.encryptKey !== '')],
    ['Auto-Encrypt-TLS', String(rt.tls.autoEncryptTLS || rt.tls.autoEncryptAllowTLS)],
    ['ACL Enabled', String(rt.aclsEnabled)],
    ['Reporting Enabled', 'false'],
    ['ACL Default Policy', rt.acl.defaultPolicy],
    ['HTTPS TLS', `Verify Incoming: ${rt.tls.https.verifyIncoming}, Verify Outgoing: ${rt.tls.https.verifyOutgoing}, Min Version: ${rt.tls.https.tlsMinVersion}`],
    ['gRPC TLS', `Verify Incoming: ${rt.tls.grpc.verifyIncoming}, Min Version: ${rt.tls.grpc.tlsMinVersion}`],
    [
      'Internal RPC TLS',
      `Verify Incoming: ${rt.tls.internalRPC.verifyIncoming}, Verify Outgoing: ${rt.tls.internalRPC.verifyOutgoing} (Verify Hostname: ${rt.tls.internalRPC.verifyServerHostname}), Min Version: ${rt.tls.internalRPC.tlsMinVersion}`,
    ],
  ];
  const body = rows.map(([label, value]) => `    ${label.padStart(18)}: ${value}`).join('\n');
  return `==> Starting Consul agent...\n${body}\n\n==> Log data will now stream in as it occurs:\n\n`;
}

/** Go's default time.Time formatting in UTC: `2006-01-02 15:04:05 +0000 UTC`. */
function goTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}
