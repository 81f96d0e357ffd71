/**
 * Address records for a node or service address: A/AAAA for IPs (only the asked family), CNAME to
 * the hostname otherwise (Consul returns a CNAME when the address is not an IP).
 */
import { RRType } from './constants.ts';
import { parseIP, unmapIPv4 } from './ip.ts';
import { fqdn, isEncodableName } from './name.ts';
import { addressRecord, type Fragment, nameRecord, type Owner } from './records.ts';

/** Does `qtype` ask for addresses (A, AAAA, ANY, or CNAME for hostnames)? */
export function asksForAddress(qtype: number): boolean {
  return qtype === RRType.A || qtype === RRType.AAAA || qtype === RRType.ANY || qtype === RRType.CNAME;
}

/** Records for `address` owned by `owner` that answer `qtype` (empty when none do). */
export function addressRecords(owner: Owner, ttl: number, address: string, qtype: number): Fragment[] {
  if (!address) return [];
  const parsed = parseIP(address);
  if (parsed) {
    const ip = unmapIPv4(parsed);
    const wanted = qtype === RRType.ANY || (ip.v6 ? qtype === RRType.AAAA : qtype === RRType.A);
    return wanted ? [addressRecord(owner, ttl, ip.bytes)] : [];
  }
  if (!asksForAddress(qtype) || !isEncodableName(fqdn(address))) return [];
  return [nameRecord(owner, RRType.CNAME, ttl, fqdn(address))];
}
