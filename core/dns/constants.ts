/**
 * DNS wire constants (RFC 1035, 3596, 2782, 6891) used by the codec and the resolver.
 */

/** Resource record types we produce or recognise. */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
} as const;

/** Classes: IN, and ANY (QCLASS *). */
export const RRClass = { IN: 1, ANY: 255 } as const;

/** Response codes (the low 4 bits in the header; BADVERS needs EDNS's extended bits). */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/** Header flag bits (the 16-bit flags word). */
export const Flag = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  AD: 0x0020,
  CD: 0x0010,
} as const;

/** Classic DNS over UDP without EDNS: 512 bytes (RFC 1035 4.2.1). */
export const DEFAULT_UDP_SIZE = 512;
/** Largest DNS message (the TCP length prefix is 16 bits). */
export const MAX_MESSAGE_SIZE = 65535;
/** Longest name on the wire, length bytes included (RFC 1035 2.3.4). */
export const MAX_NAME_WIRE_LENGTH = 255;
/** Longest label (RFC 1035 2.3.4). */
export const MAX_LABEL_LENGTH = 63;
/** EDNS option code for Client Subnet (RFC 7871). */
export const EDNS_CLIENT_SUBNET = 8;

const TYPE_NAMES = new Map<number, string>(Object.entries(RRType).map(([k, v]) => [v, k]));

/** Mnemonic of a type number (`TYPE99` for unknown types, as in RFC 3597). */
export function typeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `TYPE${type}`;
}
