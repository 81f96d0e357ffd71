/**
 * Consul's agent TLS material (tlsutil/generate.go), made with node's WebCrypto and
 * `@peculiar/x509`: an ECDSA P-256 CA (`consul tls ca create`) and server, client or cli
 * certificates signed by it (`consul tls cert create`), PEM encoded, private keys as SEC1
 * `EC PRIVATE KEY` blocks like Go's x509.MarshalECPrivateKey.
 */
import { createPrivateKey, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;

export interface PemPair {
  cert: string;
  key: string;
}

/** A random positive serial number (Go's GenerateSerialNumber: 128 random bits). */
function serialHex(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0] as number) & 0x7f;
  return Buffer.from(b).toString('hex');
}

async function keyPemSec1(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'sec1', format: 'pem' }) as string;
}

/** Imports a PEM private key (SEC1 or PKCS#8) for signing. */
async function signingKeyFrom(pem: string): Promise<CryptoKey> {
  let der: Buffer;
  try {
    der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }) as Buffer;
  } catch (e) {
    throw new Error(`error parsing private key: ${(e as Error).message}`);
  }
  return crypto.subtle.importKey('pkcs8', new Uint8Array(der), EC, false, ['sign']);
}

export interface CaOptions {
  /** Days valid (default 1825). */
  days: number;
  /** Domain for the name constraint (default consul). */
  domain: string;
  /** Add a name constraint permitting only `domain` and `localhost` (plus `additional`). */
  nameConstraint: boolean;
  additionalNameConstraints: string[];
  /** Common name; default `Consul Agent CA <serial>`. */
  commonName?: string;
}

/** `consul tls ca create`: a self-signed CA certificate and its key. */
export async function createCa(o: CaOptions): Promise<PemPair> {
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serial = serialHex();
  const cn = o.commonName || `Consul Agent CA ${BigInt(`0x${serial}`).toString()}`;
  // Go's pkix.Name order for Consul's CA subject; 2.5.4.9 is streetAddress, 2.5.4.17 postalCode.
  const name: x509.JsonName = [
    { C: ['US'] },
    { ST: ['CA'] },
    { L: ['San Francisco'] },
    { '2.5.4.9': ['101 Second Street'] },
    { '2.5.4.17': ['94105'] },
    { O: ['HashiCorp Inc.'] },
    { CN: [cn] },
  ];
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (o.nameConstraint) {
    const permitted = ['localhost', o.domain, ...o.additionalNameConstraints].filter((d) => d !== '');
    extensions.push(nameConstraints(permitted));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: name,
    issuer: name,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + o.days * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    signingAlgorithm: SIGNING,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await keyPemSec1(keys.privateKey) };
}

/** A critical NameConstraints extension permitting the given DNS names (and their subdomains). */
function nameConstraints(permitted: string[]): x509.Extension {
  // SEQUENCE { [0] permittedSubtrees SEQUENCE OF GeneralSubtree { dNSName [2] IA5String } }
  const tlv = (tag: number, body: Uint8Array) => {
    const len = body.length < 128 ? [body.length] : body.length < 256 ? [0x81, body.length] : [0x82, body.length >> 8, body.length & 0xff];
    return new Uint8Array([tag, ...len, ...body]);
  };
  const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
  const subtrees = permitted.map((d) => tlv(0x30, tlv(0x82, new TextEncoder().encode(d))));
  const der = tlv(0x30, tlv(0xa0, concat(subtrees)));
  return new x509.Extension('2.5.29.30', true, der);
}

export interface CertOptions {
  caCert: string;
  caKey: string;
  /** Subject common name, e.g. `server.dc1.consul`. */
  name: string;
  days: number;
  dnsNames: string[];
  ipAddresses: string[];
  extKeyUsage: Array<'serverAuth' | 'clientAuth'>;
}

/** `consul tls cert create`: a certificate for `name` signed by the CA, and its key. */
export async function createCert(o: CertOptions): Promise<PemPair> {
  let ca: x509.X509Certificate;
  try {
    ca = new x509.X509Certificate(o.caCert);
  } catch (e) {
    throw new Error(`error parsing CA: ${(e as Error).message}`);
  }
  const signingKey = await signingKeyFrom(o.caKey);
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  for (const ip of o.ipAddresses) if (isIP(ip) === 0) throw new Error(`invalid IP address: ${JSON.stringify(ip)}`);
  const san = [...o.dnsNames.map((value) => ({ type: 'dns' as const, value })), ...o.ipAddresses.map((value) => ({ type: 'ip' as const, value }))];
  const now = Date.now();
  const usages = o.extKeyUsage.map((u) => (u === 'serverAuth' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth));
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyAgreement, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(await ca.publicKey.export(crypto)),
  ];
  if (usages.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(usages));
  if (san.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(san));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(),
    subject: [{ CN: [o.name] }],
    issuer: ca.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + o.days * DAY_MS),
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm: SIGNING,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await keyPemSec1(keys.privateKey) };
}
