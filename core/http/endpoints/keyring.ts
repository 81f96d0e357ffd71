/**
 * `/v1/operator/keyring` (Consul's OperatorKeyringEndpoint): GET lists the gossip keys of every
 * pool, POST installs, PUT makes primary, DELETE removes (body `{"Key": "<base64>"}`). Every
 * operation is an Internal.KeyringOperation RPC; pool failures come back as a 500 whose text is
 * Go's multierror of `<pool> error: <err>` plus one `<node>: <message>` per failing node.
 */
import type { KeyringResponse } from '../../agent/server/endpoints/keyring.ts';
import type { AgentApi } from '../api.ts';
import { badRequest, HttpError } from '../errors.ts';
import { isObject } from '../json.ts';
import { emptyResponse, jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';

const OPERATION: Record<string, string> = { GET: 'list', POST: 'install', PUT: 'use', DELETE: 'remove' };

/** Go's multierror text for the pools that reported an error, or undefined when none did. */
export function keyringErrors(responses: readonly KeyringResponse[]): string | undefined {
  const errs: string[] = [];
  for (const r of responses) {
    if (!r.Error) continue;
    let pool = r.WAN ? 'WAN' : `${r.Datacenter} (LAN)`;
    if (r.Segment) pool += ` [segment: ${r.Segment}]`;
    errs.push(`${pool} error: ${r.Error}`);
    for (const node of Object.keys(r.Messages ?? {}).sort()) errs.push(`${node}: ${r.Messages[node]}`);
  }
  if (errs.length === 0) return undefined;
  const head = errs.length === 1 ? '1 error occurred:' : `${errs.length} errors occurred:`;
  return `${head}\n${errs.map((e) => `\t* ${e}`).join('\n')}\n\n`;
}

function relayFactor(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`Error parsing relay factor: strconv.Atoi: parsing ${JSON.stringify(raw)}: invalid syntax`);
  const n = Number(raw);
  if (n < 0 || n > 5) throw badRequest('Invalid relay-factor: relay factor must be in range: [0, 5]');
  return n;
}

export function registerKeyring(router: Router, agent: AgentApi): void {
  router.register('/v1/operator/keyring', ['GET', 'POST', 'PUT', 'DELETE'], async (ctx) => {
    const operation = OPERATION[ctx.method] as string;
    (await ctx.authorize()).requireSingle('keyring', operation === 'list' ? 'read' : 'write');
    let key = '';
    if (operation !== 'list') {
      const body = await ctx.readJson();
      if (body !== undefined && !isObject(body)) throw badRequest('Request decode failed: expected a JSON object');
      const k = isObject(body) ? body.Key : undefined;
      if (k !== undefined && typeof k !== 'string') throw badRequest('Request decode failed: Key must be a string');
      key = k ?? '';
    }
    const relay = relayFactor(ctx.query.get('relay-factor'));
    const localOnly = ctx.query.get('local-only');
    if (localOnly !== null && localOnly !== '' && operation !== 'list') throw badRequest('local-only can only be used with GET requests');
    const reply = (await agent.rpc('Internal.KeyringOperation', {
      Operation: operation,
      Key: key,
      RelayFactor: relay,
      LocalOnly: localOnly === 'true',
      Datacenter: agent.datacenter,
      Token: ctx.token,
    })) as { Responses?: KeyringResponse[] };
    const responses = reply?.Responses ?? [];
    const errors = keyringErrors(responses);
    if (errors) throw new HttpError(500, errors);
    return operation === 'list' ? jsonResponse(responses, { pretty: ctx.pretty }) : emptyResponse();
  });
}
