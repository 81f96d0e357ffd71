/**
 * The shape every HTTP API subcommand shares (Consul's command/flags.HTTPFlags plus a command's
 * own flags): parses Go-style flags, builds the {@link ApiClient} from flags and the CONSUL_HTTP_*
 * environment, runs the command, and turns a thrown error into `<prefix>: <error>` on stderr with
 * exit 1. `-h` help lists "HTTP API Options" then "Command Options", as flags.Usage does.
 */
import { readFileSync } from 'node:fs';
import { ApiClient, type ClientConfig, errorText, parseAddress } from './api-client.ts';
import type { CliIO, Command } from './command.ts';
import { FlagError, FlagSet, parseGoBool } from './go-flags.ts';
import { commandUsage, type FlagGroups } from './usage.ts';

/** What a running command gets. */
export interface HttpContext<O> {
  args: string[];
  opts: O;
  io: CliIO;
  /** The API client; throws `Error connecting to Consul agent: …` style errors lazily. */
  client: ApiClient;
}

export interface HttpCommandSpec<O> {
  help: string;
  /** Fresh defaults for the command's own options. */
  defaults: () => O;
  /** Adds the command's own flags, writing into `opts`. */
  flags?: (fs: FlagSet, opts: O) => void;
  /** `-datacenter` and `-stale` (ServerFlags); most commands have them. Default true. */
  serverFlags?: boolean;
  run(ctx: HttpContext<O>): Promise<number>;
}

interface HttpFlagValues {
  httpAddr?: string;
  token?: string;
  tokenFile?: string;
  datacenter: string;
  stale: boolean;
  caFile?: string;
  caPath?: string;
  clientCert?: string;
  clientKey?: string;
  tlsServerName?: string;
}

function clientFlags(fs: FlagSet, v: HttpFlagValues): void {
  fs.add({
    name: 'http-addr',
    usage:
      'The `address` and port of the Consul HTTP agent. The value can be an IP address or DNS address, but it must also include the port. This can also be specified via the CONSUL_HTTP_ADDR environment variable. The default value is http://127.0.0.1:8500. The scheme can also be set to HTTPS by setting the environment variable CONSUL_HTTP_SSL=true.',
    set: (s) => void (v.httpAddr = s),
  })
    .add({
      name: 'token',
      usage:
        'ACL token to use in the request. This can also be specified via the CONSUL_HTTP_TOKEN environment variable. If unspecified, the query will default to the token of the Consul agent at the HTTP address.',
      set: (s) => void (v.token = s),
    })
    .add({
      name: 'token-file',
      usage:
        'File containing the ACL token to use in the request instead of one specified via the -token argument or CONSUL_HTTP_TOKEN environment variable. This can also be specified via the CONSUL_HTTP_TOKEN_FILE environment variable.',
      set: (s) => void (v.tokenFile = s),
    })
    .add({ name: 'ca-file', usage: 'Path to a CA file to use for TLS when communicating with Consul. This can also be specified via the CONSUL_CACERT environment variable.', set: (s) => void (v.caFile = s) })
    .add({ name: 'ca-path', usage: 'Path to a directory of CA certificates to use for TLS when communicating with Consul. This can also be specified via the CONSUL_CAPATH environment variable.', set: (s) => void (v.caPath = s) })
    .add({ name: 'client-cert', usage: "Path to a client cert file to use for TLS when 'verify_incoming' is enabled. This can also be specified via the CONSUL_CLIENT_CERT environment variable.", set: (s) => void (v.clientCert = s) })
    .add({ name: 'client-key', usage: "Path to a client key file to use for TLS when 'verify_incoming' is enabled. This can also be specified via the CONSUL_CLIENT_KEY environment variable.", set: (s) => void (v.clientKey = s) })
    .add({ name: 'tls-server-name', usage: 'The server name to use as the SNI host when connecting via TLS. This can also be specified via the CONSUL_TLS_SERVER_NAME environment variable.', set: (s) => void (v.tlsServerName = s) });
}

function serverFlags(fs: FlagSet, v: HttpFlagValues): void {
  fs.add({ name: 'datacenter', usage: 'Name of the datacenter to query. If unspecified, this will default to the datacenter of the queried agent.', set: (s) => void (v.datacenter = s) }).add({
    name: 'stale',
    bool: true,
    usage:
      'Permit any Consul server (non-leader) to respond to this request. This allows for lower latency and higher throughput, but can result in stale data. This option has no effect on non-read operations. The default value is false.',
    set: (s) => void (v.stale = parseGoBool(s)),
  });
}

/** Resolves flags over the environment the way api.DefaultConfig + HTTPFlags.MergeOntoConfig do. */
export function clientConfig(v: HttpFlagValues, env: Readonly<Record<string, string | undefined>>): ClientConfig {
  const addr = v.httpAddr ?? env.CONSUL_HTTP_ADDR ?? '127.0.0.1:8500';
  let token = v.token ?? env.CONSUL_HTTP_TOKEN ?? '';
  const tokenFile = v.tokenFile ?? env.CONSUL_HTTP_TOKEN_FILE ?? '';
  if (tokenFile) {
    let text: string;
    try {
      text = readFileSync(tokenFile, 'utf8');
    } catch (e) {
      throw new Error(`Error loading token file: ${errorText(e)}`);
    }
    if (text.trim()) token = text.trim();
  }
  const verify = env.CONSUL_HTTP_SSL_VERIFY;
  const tls = {
    caFile: v.caFile ?? env.CONSUL_CACERT ?? '',
    caPath: v.caPath ?? env.CONSUL_CAPATH ?? '',
    certFile: v.clientCert ?? env.CONSUL_CLIENT_CERT ?? '',
    keyFile: v.clientKey ?? env.CONSUL_CLIENT_KEY ?? '',
    serverName: v.tlsServerName ?? env.CONSUL_TLS_SERVER_NAME ?? '',
    insecureSkipVerify: verify !== undefined && ['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(verify),
  };
  return { ...parseAddress(addr, env.CONSUL_HTTP_SSL), token, datacenter: v.datacenter, stale: v.stale, tls };
}

/** Consul's flags.Usage: help, then the HTTP API options, then the command's own. */
export function httpUsage<O>(spec: Omit<HttpCommandSpec<O>, 'run'>): string {
  const http = new FlagSet();
  const v: HttpFlagValues = { datacenter: '', stale: false };
  clientFlags(http, v);
  if (spec.serverFlags !== false) serverFlags(http, v);
  const groups: FlagGroups = [['HTTP API Options', http]];
  if (spec.flags) {
    const own = new FlagSet();
    spec.flags(own, spec.defaults());
    groups.push(['Command Options', own]);
  }
  return commandUsage(spec.help, groups);
}

/** Builds a {@link Command} from a spec. */
export function httpCommand<O>(spec: HttpCommandSpec<O>): Command {
  return {
    help: () => httpUsage(spec),
    async run(args, io) {
      const opts = spec.defaults();
      const v: HttpFlagValues = { datacenter: '', stale: false };
      const fs = new FlagSet();
      spec.flags?.(fs, opts);
      clientFlags(fs, v);
      if (spec.serverFlags !== false) serverFlags(fs, v);
      let rest: string[];
      try {
        rest = fs.parse(args);
      } catch (e) {
        if (!(e instanceof FlagError)) throw e;
        io.stderr(`${e.message}\n`);
        return 1;
      }
      let config: ClientConfig;
      try {
        config = clientConfig(v, process.env);
      } catch (e) {
        io.stderr(`Error connecting to Consul agent: ${errorText(e)}\n`);
        return 1;
      }
      return spec.run({ args: rest, opts, io, client: new ApiClient(config) });
    },
  };
}

/**
 * Runs `fn`, printing `<prefix>: <error>` and returning 1 when it throws; the usual
 * `if err != nil { c.UI.Error(fmt.Sprintf("Error …: %s", err)); return 1 }` of Consul's commands.
 */
export async function attempt<T>(io: CliIO, prefix: string, fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    io.stderr(`${prefix}: ${errorText(e)}\n`);
    return { ok: false };
  }
}
