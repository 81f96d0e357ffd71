import { type FlagSet, parseGoBool } from '../../go-flags.ts';
import { attempt, httpCommand } from '../../http-command.ts';
import { linksFrom, type OutputOpts, outputFlags, print } from './acl-common.ts';
import { formatToken, formatTokenList, parseNodeIdentity, parseServiceIdentity, type TokenView } from './acl-format.ts';

/** `consul acl token create|list|read|update|clone|delete` (command/acl/token/*). */

interface LinkOpts {
  policyIds: string[];
  policyNames: string[];
  roleIds: string[];
  roleNames: string[];
  serviceIdentities: string[];
  nodeIdentities: string[];
}

const linkDefaults = (): LinkOpts => ({ policyIds: [], policyNames: [], roleIds: [], roleNames: [], serviceIdentities: [], nodeIdentities: [] });

function linkFlags(fs: FlagSet, o: LinkOpts, verb: string): FlagSet {
  return fs
    .add({ name: 'policy-id', usage: `ID of a policy to ${verb} the token. May be specified multiple times`, set: (v) => void o.policyIds.push(v) })
    .add({ name: 'policy-name', usage: `Name of a policy to ${verb} the token. May be specified multiple times`, set: (v) => void o.policyNames.push(v) })
    .add({ name: 'role-id', usage: `ID of a role to ${verb} the token. May be specified multiple times`, set: (v) => void o.roleIds.push(v) })
    .add({ name: 'role-name', usage: `Name of a role to ${verb} the token. May be specified multiple times`, set: (v) => void o.roleNames.push(v) })
    .add({ name: 'service-identity', usage: "Name of a service identity to use for this token. May be specified multiple times. Format is the SERVICENAME or SERVICENAME:DATACENTER1,DATACENTER2,...", set: (v) => void o.serviceIdentities.push(v) })
    .add({ name: 'node-identity', usage: 'Name of a node identity to use for this token. May be specified multiple times. Format is NODENAME:DATACENTER', set: (v) => void o.nodeIdentities.push(v) });
}

function linkBody(o: LinkOpts): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (o.policyIds.length || o.policyNames.length) body.Policies = linksFrom(o.policyIds, o.policyNames);
  if (o.roleIds.length || o.roleNames.length) body.Roles = linksFrom(o.roleIds, o.roleNames);
  if (o.serviceIdentities.length) body.ServiceIdentities = o.serviceIdentities.map(parseServiceIdentity);
  if (o.nodeIdentities.length) body.NodeIdentities = o.nodeIdentities.map(parseNodeIdentity);
  return body;
}

export const aclTokenCreateCommand = httpCommand({
  help: `
Usage: consul acl token create [options]

  When creating a new token policies may be linked using either the -policy-id
  or the -policy-name options. When specifying policies by IDs you may use a
  unique prefix of the UUID as a shortcut for specifying the entire UUID.

  Create a new token:

          $ consul acl token create -description "Replication token" \\
                                    -policy-id b52fc3de-5 \\
                                    -policy-name "acl-replication"
`,
  defaults: () => ({ format: 'pretty' as OutputOpts['format'], meta: false, description: '', local: false, expiresTtl: '', accessor: '', secret: '', ...linkDefaults() }),
  flags: (fs, o) =>
    linkFlags(
      outputFlags(fs, o)
        .add({ name: 'description', usage: 'A description of the token', set: (v) => void (o.description = v) })
        .add({ name: 'local', bool: true, usage: 'Create this as a datacenter local token', set: (v) => void (o.local = parseGoBool(v)) })
        .add({ name: 'expires-ttl', usage: 'Duration of time this token should be valid for', set: (v) => void (o.expiresTtl = v) })
        .add({ name: 'accessor', usage: 'Create the token with this Accessor ID. It must be a UUID. If not provided one will be auto-generated.', set: (v) => void (o.accessor = v) })
        .add({ name: 'secret', usage: 'Create the token with this Secret ID. It must be a UUID. If not provided one will be auto-generated.', set: (v) => void (o.secret = v) }),
      o,
      'use for',
    ),
  async run({ opts, io, client }) {
    const body: Record<string, unknown> = { Description: opts.description, Local: opts.local, ...linkBody(opts) };
    if (opts.expiresTtl) body.ExpirationTTL = opts.expiresTtl;
    if (opts.accessor) body.AccessorID = opts.accessor;
    if (opts.secret) body.SecretID = opts.secret;
    const r = await attempt(io, 'Failed to create new token', () => client.write<TokenView>('PUT', '/v1/acl/token', body));
    if (!r.ok || !r.value) return 1;
    print(io, opts, r.value, formatToken);
    return 0;
  },
});

export const aclTokenListCommand = httpCommand({
  help: `
Usage: consul acl token list [options]

  Lists all the ACL tokens.

  Example:

      $ consul acl token list
`,
  defaults: (): OutputOpts => ({ format: 'pretty', meta: false }),
  flags: (fs, o) => outputFlags(fs, o),
  async run({ opts, io, client }) {
    const r = await attempt(io, 'Failed to retrieve the token list', () => client.getJson<TokenView[]>('/v1/acl/tokens'));
    if (!r.ok) return 1;
    print(io, opts, r.value.value ?? [], formatTokenList);
    return 0;
  },
});

export const aclTokenReadCommand = httpCommand({
  help: `
Usage: consul acl token read [options] -id TOKENID

  This command will retrieve and print out the details of
  a single token.

  Using a partial ID:

          $ consul acl token read -id 4be56c77-82

  Using the full ID:

          $ consul acl token read -id 4be56c77-8244-4c7d-b08c-667b8c71baed

  Reading the token used by the CLI:

          $ consul acl token read -self
`,
  defaults: () => ({ format: 'pretty' as OutputOpts['format'], meta: false, id: '', self: false }),
  flags: (fs, o) =>
    outputFlags(fs, o)
      .add({ name: 'id', usage: 'The Accessor ID of the token to read. It may be specified as a unique ID prefix but will error if the prefix matches multiple token Accessor IDs', set: (v) => void (o.id = v) })
      .add({ name: 'self', bool: true, usage: 'Indicates that the current HTTP token should be read by secret ID instead of expecting a -id option', set: (v) => void (o.self = parseGoBool(v)) }),
  async run({ opts, io, client }) {
    if (!opts.id && !opts.self) {
      io.stderr('Must specify the -id parameter\n');
      return 1;
    }
    const path = opts.self ? '/v1/acl/token/self' : `/v1/acl/token/${encodeURIComponent(opts.id)}`;
    const r = await attempt(io, `Error reading token "${opts.self ? 'self' : opts.id}"`, () => client.getJson<TokenView>(path));
    if (!r.ok || !r.value.value) return 1;
    print(io, opts, r.value.value, formatToken);
    return 0;
  },
});

export const aclTokenUpdateCommand = httpCommand({
  help: `
Usage: consul acl token update [options]

    This command will update a token. Some parts such as marking the token local
    cannot be changed.

    Update a token description and take the policies from the existing token:

        $ consul acl token update -id abcd -description "replication"

    Update all editable fields of the token:

        $ consul acl token update -id abcd \\
                                  -description "replication" \\
                                  -policy-name "token-replication"
`,
  defaults: () => ({ format: 'pretty' as OutputOpts['format'], meta: false, id: '', description: '', ...linkDefaults(), append: linkDefaults() }),
  flags: (fs, o) =>
    linkFlags(
      outputFlags(fs, o)
        .add({ name: 'id', usage: 'The Accessor ID of the token to update. It may be specified as a unique ID prefix but will error if the prefix matches multiple token Accessor IDs', set: (v) => void (o.id = v) })
        .add({ name: 'description', usage: 'A description of the token', set: (v) => void (o.description = v) })
        .add({ name: 'append-policy-id', usage: 'ID of a policy to add to this token. May be specified multiple times', set: (v) => void o.append.policyIds.push(v) })
        .add({ name: 'append-policy-name', usage: 'Name of a policy to add to this token. May be specified multiple times', set: (v) => void o.append.policyNames.push(v) })
        .add({ name: 'append-role-id', usage: 'ID of a role to add to this token. May be specified multiple times', set: (v) => void o.append.roleIds.push(v) })
        .add({ name: 'append-role-name', usage: 'Name of a role to add to this token. May be specified multiple times', set: (v) => void o.append.roleNames.push(v) }),
      o,
      'replace the policies (or roles) of',
    ),
  async run({ opts, io, client }) {
    if (!opts.id) {
      io.stderr('Cannot update a token without specifying the -id parameter\n');
      return 1;
    }
    const current = await attempt(io, `Error when retrieving current token`, () => client.getJson<TokenView>(`/v1/acl/token/${encodeURIComponent(opts.id)}`));
    if (!current.ok || !current.value.value) return 1;
    const t = current.value.value;
    const replace = linkBody(opts);
    const appended = linkBody(opts.append);
    const body: Record<string, unknown> = {
      AccessorID: t.AccessorID,
      Description: opts.description || t.Description,
      Policies: [...((replace.Policies as unknown[]) ?? t.Policies ?? []), ...((appended.Policies as unknown[]) ?? [])],
      Roles: [...((replace.Roles as unknown[]) ?? t.Roles ?? []), ...((appended.Roles as unknown[]) ?? [])],
      ServiceIdentities: replace.ServiceIdentities ?? t.ServiceIdentities,
      NodeIdentities: replace.NodeIdentities ?? t.NodeIdentities,
      Local: t.Local,
    };
    const r = await attempt(io, `Failed to update token ${t.AccessorID}`, () => client.write<TokenView>('PUT', `/v1/acl/token/${t.AccessorID}`, body));
    if (!r.ok || !r.value) return 1;
    io.stdout('Token updated successfully.\n');
    print(io, opts, r.value, formatToken);
    return 0;
  },
});

export const aclTokenCloneCommand = httpCommand({
  help: `
Usage: consul acl token clone [options]

  This command will clone a token. When cloning an alternate description may be given
  for use with the new token.

  Example:

      $ consul acl token clone -id abcd -description "replication"
`,
  defaults: () => ({ format: 'pretty' as OutputOpts['format'], meta: false, id: '', description: '' }),
  flags: (fs, o) =>
    outputFlags(fs, o)
      .add({ name: 'id', usage: 'The Accessor ID of the token to clone. It may be specified as a unique ID prefix but will error if the prefix matches multiple token Accessor IDs. The special value of \'anonymous\' may be provided instead of the anonymous tokens accessor ID', set: (v) => void (o.id = v) })
      .add({ name: 'description', usage: 'A description of the new cloned token', set: (v) => void (o.description = v) }),
  async run({ opts, io, client }) {
    if (!opts.id) {
      io.stderr('Cannot clone a token without specifying the -id parameter\n');
      return 1;
    }
    const id = opts.id === 'anonymous' ? '00000000-0000-0000-0000-000000000002' : opts.id;
    const r = await attempt(io, 'Error cloning token', () => client.write<TokenView>('PUT', `/v1/acl/token/${encodeURIComponent(id)}/clone`, { Description: opts.description }));
    if (!r.ok || !r.value) return 1;
    io.stdout('Token cloned successfully.\n');
    print(io, opts, r.value, formatToken);
    return 0;
  },
});

export const aclTokenDeleteCommand = httpCommand({
  help: `
Usage: consul acl token delete [options] -id TOKEN

  Deletes an ACL token by providing either the ID or a unique ID prefix.

      Delete by prefix:

          $ consul acl token delete -id b6b85

      Delete by full ID:

          $ consul acl token delete -id b6b856da-5193-4e78-845a-7d61ca8371ba
`,
  defaults: () => ({ id: '' }),
  flags: (fs, o) => fs.add({ name: 'id', usage: 'The ID of the token to delete. It may be specified as a unique ID prefix but will error if the prefix matches multiple token IDs', set: (v) => void (o.id = v) }),
  async run({ opts, io, client }) {
    if (!opts.id) {
      io.stderr('Must specify the -id parameter\n');
      return 1;
    }
    const r = await attempt(io, `Error deleting token "${opts.id}"`, () => client.write('DELETE', `/v1/acl/token/${encodeURIComponent(opts.id)}`));
    if (!r.ok) return 1;
    io.stdout(`Token "${opts.id}" deleted successfully\n`);
    return 0;
  },
});
