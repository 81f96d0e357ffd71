import type { ApiClient } from '../../api-client.ts';
import type { FlagSet } from '../../go-flags.ts';
import { attempt, httpCommand } from '../../http-command.ts';
import { linksFrom, type OutputOpts, outputFlags, print } from './acl-common.ts';
import { formatRole, formatRoleList, parseNodeIdentity, parseServiceIdentity, type RoleView } from './acl-format.ts';

/** `consul acl role create|list|read|update|delete` (command/acl/role/*). */

async function findRole(client: ApiClient, id: string, name: string): Promise<RoleView> {
  const path = id ? `/v1/acl/role/${encodeURIComponent(id)}` : `/v1/acl/role/name/${encodeURIComponent(name)}`;
  const r = await client.getJson<RoleView>(path);
  if (!r.value) throw new Error('ACL not found');
  return r.value;
}

interface RoleOpts extends OutputOpts {
  id: string;
  name: string;
  description: string;
  policyIds: string[];
  policyNames: string[];
  serviceIdentities: string[];
  nodeIdentities: string[];
}

const roleDefaults = (): RoleOpts => ({ format: 'pretty', meta: false, id: '', name: '', description: '', policyIds: [], policyNames: [], serviceIdentities: [], nodeIdentities: [] });

function roleFlags(fs: FlagSet, o: RoleOpts, withId: boolean): FlagSet {
  if (withId) fs.add({ name: 'id', usage: 'The ID of the role to update. It may be specified as a unique ID prefix but will error if the prefix matches multiple role IDs', set: (v) => void (o.id = v) });
  return outputFlags(fs, o)
    .add({ name: 'name', usage: "The new role's name.", set: (v) => void (o.name = v) })
    .add({ name: 'description', usage: 'A description of the role', set: (v) => void (o.description = v) })
    .add({ name: 'policy-id', usage: 'ID of a policy to use for this role. May be specified multiple times', set: (v) => void o.policyIds.push(v) })
    .add({ name: 'policy-name', usage: 'Name of a policy to use for this role. May be specified multiple times', set: (v) => void o.policyNames.push(v) })
    .add({ name: 'service-identity', usage: 'Name of a service identity to use for this role. May be specified multiple times. Format is the SERVICENAME or SERVICENAME:DATACENTER1,DATACENTER2,...', set: (v) => void o.serviceIdentities.push(v) })
    .add({ name: 'node-identity', usage: 'Name of a node identity to use for this role. May be specified multiple times. Format is NODENAME:DATACENTER', set: (v) => void o.nodeIdentities.push(v) });
}

export const aclRoleCreateCommand = httpCommand({
  help: `
Usage: consul acl role create -name NAME [options]

    Create a new role:

        $ consul acl role create -name "new-role" \\
                                 -description "This is an example role" \\
                                 -policy-id b52fc3de-5 \\
                                 -policy-name "acl-replication" \\
                                 -service-identity "web" \\
                                 -service-identity "db:east,west"
`,
  defaults: roleDefaults,
  flags: (fs, o) => roleFlags(fs, o, false),
  async run({ opts, io, client }) {
    if (!opts.name) {
      io.stderr("Missing require '-name' flag\n");
      return 1;
    }
    const body: Record<string, unknown> = { Name: opts.name, Description: opts.description, Policies: linksFrom(opts.policyIds, opts.policyNames) };
    try {
      if (opts.serviceIdentities.length) body.ServiceIdentities = opts.serviceIdentities.map(parseServiceIdentity);
      if (opts.nodeIdentities.length) body.NodeIdentities = opts.nodeIdentities.map(parseNodeIdentity);
    } catch (e) {
      io.stderr(`${(e as Error).message}\n`);
      return 1;
    }
    const r = await attempt(io, 'Failed to create new role', () => client.write<RoleView>('PUT', '/v1/acl/role', body));
    if (!r.ok || !r.value) return 1;
    print(io, opts, r.value, formatRole);
    return 0;
  },
});

export const aclRoleListCommand = httpCommand({
  help: `
Usage: consul acl role list [options]

  Lists all the ACL roles.

  Example:

      $ consul acl role list
`,
  defaults: (): OutputOpts => ({ format: 'pretty', meta: false }),
  flags: (fs, o) => outputFlags(fs, o),
  async run({ opts, io, client }) {
    const r = await attempt(io, 'Failed to retrieve the role list', () => client.getJson<RoleView[]>('/v1/acl/roles'));
    if (!r.ok) return 1;
    print(io, opts, r.value.value ?? [], formatRoleList);
    return 0;
  },
});

export const aclRoleReadCommand = httpCommand({
  help: `
Usage: consul acl role read [options] ROLE

    This command will retrieve and print out the details
    of a single role.

    Read:

        $ consul acl role read -id fdabbcb5-9de5-4b1a-961f-77214ae88cba

    Read by name:

        $ consul acl role read -name my-policy
`,
  defaults: roleDefaults,
  flags: (fs, o) =>
    outputFlags(fs, o)
      .add({ name: 'id', usage: 'The ID of the role to read. It may be specified as a unique ID prefix but will error if the prefix matches multiple role IDs', set: (v) => void (o.id = v) })
      .add({ name: 'name', usage: 'The name of the role to read.', set: (v) => void (o.name = v) }),
  async run({ opts, io, client }) {
    if (!opts.id && !opts.name) {
      io.stderr('Must specify either the -id or -name parameters\n');
      return 1;
    }
    const r = await attempt(io, `Error reading role "${opts.id || opts.name}"`, () => findRole(client, opts.id, opts.name));
    if (!r.ok) return 1;
    print(io, opts, r.value, formatRole);
    return 0;
  },
});

export const aclRoleUpdateCommand = httpCommand({
  help: `
Usage: consul acl role update [options]

    Updates a role. By default it will merge the role information with its
    current state so that you do not have to provide all parameters.

    Update a role:

        $ consul acl role update -id abcd -name "better-name" -policy-name "other-policy"
`,
  defaults: roleDefaults,
  flags: (fs, o) => roleFlags(fs, o, true),
  async run({ opts, io, client }) {
    if (!opts.id) {
      io.stderr('Cannot update a role without specifying the -id parameter\n');
      return 1;
    }
    const current = await attempt(io, 'Error when retrieving current role', () => findRole(client, opts.id, ''));
    if (!current.ok) return 1;
    const role = current.value;
    const added = linksFrom(opts.policyIds, opts.policyNames);
    const body: Record<string, unknown> = {
      ID: role.ID,
      Name: opts.name || role.Name,
      Description: opts.description || role.Description,
      Policies: [...(role.Policies ?? []), ...added],
      ServiceIdentities: [...(role.ServiceIdentities ?? []), ...opts.serviceIdentities.map(parseServiceIdentity)],
      NodeIdentities: [...(role.NodeIdentities ?? []), ...opts.nodeIdentities.map(parseNodeIdentity)],
    };
    const r = await attempt(io, `Failed to update role ${role.ID}`, () => client.write<RoleView>('PUT', `/v1/acl/role/${role.ID}`, body));
    if (!r.ok || !r.value) return 1;
    print(io, opts, r.value, formatRole);
    return 0;
  },
});

export const aclRoleDeleteCommand = httpCommand({
  help: `
Usage: consul acl role delete [options] -id ROLE

    Deletes an ACL role by providing either the ID or a unique ID prefix.

        $ consul acl role delete -id b6b85

    Delete by name:

        $ consul acl role delete -name my-role
`,
  defaults: () => ({ id: '', name: '' }),
  flags: (fs, o) =>
    fs
      .add({ name: 'id', usage: 'The ID of the role to delete. It may be specified as a unique ID prefix but will error if the prefix matches multiple role IDs', set: (v) => void (o.id = v) })
      .add({ name: 'name', usage: 'The Name of the role to delete.', set: (v) => void (o.name = v) }),
  async run({ opts, io, client }) {
    if (!opts.id && !opts.name) {
      io.stderr('Must specify either the -id or -name parameters\n');
      return 1;
    }
    const found = await attempt(io, 'Error determining role ID', () => findRole(client, opts.id, opts.name));
    if (!found.ok) return 1;
    const id = found.value.ID;
    const r = await attempt(io, `Error deleting role "${id}"`, () => client.write('DELETE', `/v1/acl/role/${id}`));
    if (!r.ok) return 1;
    io.stdout(`Role "${id}" deleted successfully\n`);
    return 0;
  },
});
