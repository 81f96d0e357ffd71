/**
 * Classifying a question name into one of Consul's query forms (dns.go dispatch): labels are walked
 * from the right and the first keyword among `service, connect, virtual, ingress, node, query, addr`
 * decides; for SRV a label starting with `_` implies `service` (RFC 2782 without `.service`).
 */
import { RRType } from './constants.ts';
import type { DnsConfig } from './config.ts';
import { splitLabels } from './name.ts';

/** Where the name is and what it asks for. `domain` is the matched (primary or alt) domain. */
export type QueryForm =
  | { kind: 'outside' }
  | { kind: 'ptr'; labels: string[]; v6: boolean }
  | { kind: 'apex'; domain: string }
  | { kind: 'invalid'; domain: string }
  | { kind: 'node'; domain: string; dc: string | undefined; node: string }
  | { kind: 'service'; domain: string; dc: string | undefined; service: string; tag: string | undefined }
  | { kind: 'query'; domain: string; dc: string | undefined; query: string }
  | { kind: 'addr'; domain: string; dc: string | undefined; hex: string };

const KEYWORDS = new Set(['service', 'connect', 'virtual', 'ingress', 'node', 'query', 'addr']);

/** Strips `domain` (lower-case FQDN) from `name` (lower-case FQDN): the labels before it, or undefined. */
function labelsUnder(name: string, domain: string): string[] | undefined {
  if (!domain) return undefined;
  if (name === domain) return [];
  if (!name.endsWith(`.${domain}`)) return undefined;
  // A backslash just before the cut would mean the dot was escaped (part of a label).
  const cut = name.length - domain.length - 1;
  if (name[cut - 1] === '\\') return undefined;
  return splitLabels(name.slice(0, cut));
}

/**
 * The datacenter from the labels after the keyword: `[]` is the local one, `[dc]` or `[dc, "dc"]`
 * name one. Enterprise namespace/partition labels are accepted only as `default`. Undefined result
 * with ok=false means an invalid layout (NXDOMAIN).
 */
function parseSuffixes(suffixes: string[]): { ok: boolean; dc: string | undefined } {
  let dc: string | undefined;
  const s = [...suffixes];
  while (s.length > 0) {
    const last = s[s.length - 1] as string;
    if (s.length >= 2 && (last === 'dc' || last === 'ns' || last === 'ap')) {
      const value = s[s.length - 2] as string;
      if (last === 'dc') {
        if (dc !== undefined) return { ok: false, dc };
        dc = value;
      } else if (value !== 'default') return { ok: false, dc };
      s.length -= 2;
    } else if (s.length === 1 && dc === undefined) {
      dc = last;
      s.length = 0;
    } else return { ok: false, dc };
  }
  return { ok: true, dc };
}

/** Prepared queries take at most one suffix label, the datacenter (Consul's parseDatacenter). */
function querySuffix(suffixes: string[]): { ok: boolean; dc: string | undefined } {
  return { ok: suffixes.length <= 1, dc: suffixes[0] };
}

function classifyUnder(labels: string[], qtype: number, domain: string): QueryForm {
  if (labels.length === 0) return { kind: 'apex', domain };
  let kind = '';
  let parts: string[] = [];
  let suffixes: string[] = [];
  for (let i = labels.length - 1; i >= 0; i--) {
    const label = labels[i] as string;
    if (KEYWORDS.has(label)) {
      kind = label;
      parts = labels.slice(0, i);
      suffixes = labels.slice(i + 1);
      break;
    }
    if (qtype === RRType.SRV && label.startsWith('_')) {
      kind = 'service';
      parts = labels.slice(0, i + 1);
      suffixes = labels.slice(i + 1);
      break;
    }
  }
  const invalid: QueryForm = { kind: 'invalid', domain };
  const { ok, dc } = kind === 'query' ? querySuffix(suffixes) : parseSuffixes(suffixes);
  if (!kind || !ok || parts.length === 0) return invalid;
  switch (kind) {
    case 'node':
      return { kind: 'node', domain, dc, node: parts.join('.') };
    case 'service':
      return serviceForm(parts, domain, dc);
    case 'query': {
      // `_<query>._<proto>`: the last part is the (ignored) protocol; names may contain dots.
      const n = parts.length;
      const rfc = n >= 2 && parts[0]!.startsWith('_') && parts[n - 1]!.startsWith('_');
      return { kind: 'query', domain, dc, query: rfc ? parts.slice(0, -1).join('.').slice(1) : parts.join('.') };
    }
    case 'addr':
      return parts.length === 1 ? { kind: 'addr', domain, dc, hex: parts[0]! } : invalid;
    default:
      // connect, ingress and virtual need Connect, which this agent doesn't serve yet.
      return invalid;
  }
}

function serviceForm(parts: string[], domain: string, dc: string | undefined): QueryForm {
  if (parts.length === 2 && parts[0]!.startsWith('_') && parts[1]!.startsWith('_')) {
    const tag = parts[1]!.slice(1);
    return { kind: 'service', domain, dc, service: parts[0]!.slice(1), tag: tag === 'tcp' ? undefined : tag };
  }
  const service = parts[parts.length - 1]!;
  const tag = parts.length >= 2 ? parts.slice(0, -1).join('.') : undefined;
  return { kind: 'service', domain, dc, service, tag };
}

/** Classifies a lower-case FQDN question name. */
export function classifyName(name: string, qtype: number, config: DnsConfig): QueryForm {
  const primary = labelsUnder(name, config.domain);
  if (primary) return classifyUnder(primary, qtype, config.domain);
  const alt = labelsUnder(name, config.altDomain);
  if (alt) return classifyUnder(alt, qtype, config.altDomain);
  const v4 = labelsUnder(name, 'in-addr.arpa.');
  if (v4) return { kind: 'ptr', labels: v4, v6: false };
  const v6 = labelsUnder(name, 'ip6.arpa.');
  if (v6) return { kind: 'ptr', labels: v6, v6: true };
  return { kind: 'outside' };
}
