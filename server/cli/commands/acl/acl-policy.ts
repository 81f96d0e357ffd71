import { attempt, httpCommand } from '../../http-command.ts';
import { readDataArg } from '../../lib/read-input.ts';
import type { ApiClient } from '../../api-client.ts';
import { type OutputOpts, outputFlags, print } from './acl-common.ts';
import { formatPolicy, formatPolicyList, type PolicyView } from './acl-format.ts';

/** `consul acl policy create|list|read|update|delete` (command/acl/policy/*). */

/** The policy named by `-id` or `-name`. */
async function findPolicy(client: ApiClient, id: string, name: string): Promise<PolicyView> {
  const path = id ? `/v1/acl/policy/${encodeURIComponent(id)}` : `/v1/acl/policy/name/${encodeURIComponent(name)}`;
  const r = await client.getJson<PolicyView>(path);
  if (!r.value) throw new Error('ACL not found');
  return r.value;
}

async function rulesArg(v: string): Promise<string> {
  return v === '' ? '' : (await readDataArg(v)).toString('utf8');
}

export const aclPolicyCreateCommand = httpCommand({
  help: `
Usage: consul acl policy create -name NAME [options]

    Both the -rules and -from-file options may be specified with a value of "-" to read from
    stdin, or "@<path>" to read from a file.

    Create a new policy:

        $ consul acl policy create -name "new-policy" \\
                                   -description "This is an example policy" \\
                                   -datacenter "dc1" \\
                                   -datacenter "dc2" \\
                                   -rules @rules.hcl
`,
  defaults: () => ({ format: 'pretty' as OutputOpts['format'], meta: false, name: '', description: '', rules: '', datacenters: [] as string[] }),
  flags: (fs, o) =>
    outputFlags(fs, o)
      .add({ name: 'name', usage: 'The new policy\'s name. This flag is required.', set: (v) => void (o.name = v) })
      .add({ name: 'description', usage: 'A description of the policy', set: (v) => void (o.description = v) })
      .add({ name: 'valid-datacenter', usage: 'Datacenter that the policy should be valid within. This flag may be specified multiple times', set: (v) => void o.datacenters.push(v) })
      .add({ name: 'rules', usage: 'The policy rules. May be prefixed with \'@\' to indicate that the value is a file path to load the rules from. \'-\' may also be given to indicate that the rules are available on stdin', set: (v) => void (o.rules = v) }),
  async run({ opts, io, client }) {
    if (!opts.name) {
      io.stderr("Missing require '-name' flag\n");
      io.stderr(`${aclPolicyCreateCommand.help()}\n`);
      return 1;
    }
    const rules = await attempt(io, 'Error loading rules', () => rulesArg(opts.rules));
    if (!rules.ok) return 1;
    const body = { Name: opts.name, Description: opts.description, Datacenters: opts.datacenters, Rules: rules.value };
    const r = await attempt(io, 'Failed to create new policy', () => client.write<PolicyView>('PUT', '/v1/acl/policy', body));
    if (!r.ok || !r.value) return 1;
    print(io, opts, r.value, formatPolicy);
    return 0;
  },
});

export const aclPolicyListCommand = httpCommand({
  help: `
Usage: consul acl policy list [options]

  Lists all the ACL policies.

  Example:

      $ consul acl policy list
`,
  defaults: (): OutputOpts => ({ format: 'pretty', meta: false }),
  flags: (fs, o) => outputFlags(fs, o),
  async run({ opts, io, client }) {
    const r = await attempt(io, 'Failed to retrieve the policy list', () => client.getJson<PolicyView[]>('/v1/acl/policies'));
    if (!r.ok) return 1;
    print(io, opts, r.value.value ?? [], formatPolicyList);
    return 0;
  },
});

export const aclPolicyReadCommand = httpCommand({
  help: `
Usage: consul acl policy read [options] POLICY

    This command will retrieve and print out the details
    of a single policy.

    Read:

        $ consul acl policy read -id fdabbcb5-9de5-4b1a-961f-77214ae88cba

    Read by name:

        $ consul acl policy read -name my-policy
`,
  defaults: () => ({ format: 'pretty' as OutputOpts['format'], meta: false, id: '', name: '' }),
  flags: (fs, o) =>
    outputFlags(fs, o)
      .add({ name: 'id', usage: 'The ID of the policy to read. It may be specified as a unique ID prefix but will error if the prefix matches multiple policy IDs', set: (v) => void (o.id = v) })
      .add({ name: 'name', usage: 'The name of the policy to read.', set: (v) => void (o.name = v) }),
  async run({ opts, io, client }) {
    if (!opts.id && !opts.name) {
      io.stderr('Must specify either the -id or -name parameters\n');
      return 1;
    }
    const r = await attempt(io, `Error reading policy "${opts.id || opts.name}"`, () => findPolicy(client, opts.id, opts.name));
    if (!r.ok) return 1;
    print(io, opts, r.value, formatPolicy);
    return 0;
  },
});

export const aclPolicyUpdateCommand = httpCommand({
  help: `
Usage: consul acl policy update [options]

    Updates a policy. By default it will merge the policy information with its
    current state so that you do not have to provide all parameters. This
    behavior can be disabled by passing -no-merge.

    Rename the Policy:

        $ consul acl policy update -id abcd -name "better-name"

    Update the Rules:

        $ consul acl policy update -id abcd -rules @rules.hcl
`,
  defaults: () => ({ format: 'pretty' as OutputOpts['format'], meta: false, id: '', name: '', description: '', rules: '', datacenters: [] as string[] }),
  flags: (fs, o) =>
    outputFlags(fs, o)
      .add({ name: 'id', usage: 'The ID of the policy to update. It may be specified as a unique ID prefix but will error if the prefix matches multiple policy IDs', set: (v) => void (o.id = v) })
      .add({ name: 'name', usage: 'The policy name.', set: (v) => void (o.name = v) })
      .add({ name: 'description', usage: 'A description of the policy', set: (v) => void (o.description = v) })
      .add({ name: 'valid-datacenter', usage: 'Datacenter that the policy should be valid within. This flag may be specified multiple times', set: (v) => void o.datacenters.push(v) })
      .add({ name: 'rules', usage: 'The policy rules. May be prefixed with \'@\' to indicate that the value is a file path to load the rules from. \'-\' may also be given to indicate that the rules are available on stdin', set: (v) => void (o.rules = v) }),
  async run({ opts, io, client }) {
    if (!opts.id) {
      io.stderr('Cannot update a policy without specifying the -id parameter\n');
      return 1;
    }
    const current = await attempt(io, 'Error when retrieving current policy', () => findPolicy(client, opts.id, ''));
    if (!current.ok) return 1;
    const p = current.value;
    const rules = await attempt(io, 'Error loading rules', () => rulesArg(opts.rules));
    if (!rules.ok) return 1;
    const body = {
      ID: p.ID,
      Name: opts.name || p.Name,
      Description: opts.description || p.Description,
      Rules: opts.rules ? rules.value : p.Rules,
      Datacenters: opts.datacenters.length ? opts.datacenters : p.Datacenters,
    };
    const r = await attempt(io, `Failed to update policy ${p.ID}`, () => client.write<PolicyView>('PUT', `/v1/acl/policy/${p.ID}`, body));
    if (!r.ok || !r.value) return 1;
    print(io, opts, r.value, formatPolicy);
    return 0;
  },
});

export const aclPolicyDeleteCommand = httpCommand({
  help: `
Usage: consul acl policy delete [options] -id POLICY

    Deletes an ACL policy by providing either the ID or a unique ID prefix.

    Delete by prefix:

        $ consul acl policy delete -id b6b85

    Delete by full ID:

        $ consul acl policy delete -id b6b856da-5193-4e78-845a-7d61ca8371ba

    Delete by name:

        $ consul acl policy delete -name my-policy
`,
  defaults: () => ({ id: '', name: '' }),
  flags: (fs, o) =>
    fs
      .add({ name: 'id', usage: 'The ID of the policy to delete. It may be specified as a unique ID prefix but will error if the prefix matches multiple policy IDs', set: (v) => void (o.id = v) })
      .add({ name: 'name', usage: 'The Name of the policy to delete.', set: (v) => void (o.name = v) }),
  async run({ opts, io, client }) {
    if (!opts.id && !opts.name) {
      io.stderr('Must specify either the -id or -name parameters\n');
      return 1;
    }
    const found = await attempt(io, 'Error determining policy ID', () => findPolicy(client, opts.id, opts.name));
    if (!found.ok) return 1;
    const id = found.value.ID;
    const r = await attempt(io, `Error deleting policy "${id}"`, () => client.write('DELETE', `/v1/acl/policy/${id}`));
    if (!r.ok) return 1;
    io.stdout(`Policy "${id}" deleted successfully\n`);
    return 0;
  },
});
