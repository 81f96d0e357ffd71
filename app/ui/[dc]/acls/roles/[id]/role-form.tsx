'use client';
/** A role's detail and edit form (create when `role` is null): name, description, policies and identities. */
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { aclHref } from '../../../../components/acl/acl-tabs.tsx';
import { ConfirmDelete, FormError, SaveRow, TextField } from '../../../../components/acl/form-bits.tsx';
import { IdentityEditor } from '../../../../components/acl/identity-editor.tsx';
import { LinkPicker, type PickOption } from '../../../../components/acl/link-picker.tsx';
import { deleteRole, saveRole } from '../../../../lib/acl-endpoints.ts';
import type { AclRole } from '../../../../lib/acl-types.ts';
import { type IdentitySet, roleBody } from '../../../../lib/acl-view.ts';

export function RoleForm({ dc, role, policies, canWrite }: { dc: string; role: AclRole | null; policies: PickOption[]; canWrite: boolean }) {
  const router = useRouter();
  const [name, setName] = useState(role?.Name ?? '');
  const [description, setDescription] = useState(role?.Description ?? '');
  const [picked, setPicked] = useState((role?.Policies ?? []).map((p) => p.ID));
  const [identities, setIdentities] = useState<IdentitySet>({ ServiceIdentities: role?.ServiceIdentities, NodeIdentities: role?.NodeIdentities });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = roleBody({ name, description, policies: picked }, identities);
    if ('error' in body) return setError(body.error);
    setBusy(true);
    setError(null);
    try {
      await saveRole(dc, role?.ID ?? null, body);
      router.push(aclHref(dc, 'roles'));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const remove = async () => {
    if (role === null) return;
    await deleteRole(dc, role.ID);
    router.push(aclHref(dc, 'roles'));
  };
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="role-form">
      <TextField label="Name" value={name} onChange={setName} readOnly={!canWrite} />
      <TextField label="Description" value={description} onChange={setDescription} readOnly={!canWrite} />
      <LinkPicker label="Policies" options={policies} picked={picked} onChange={setPicked} readOnly={!canWrite} />
      <IdentityEditor dc={dc} value={identities} onChange={setIdentities} readOnly={!canWrite} />
      <FormError error={error} />
      {canWrite && (
        <div className="flex flex-wrap items-start gap-2">
          <SaveRow busy={busy} cancelHref={aclHref(dc, 'roles')} label={role === null ? 'Create' : 'Save'} />
          {role !== null && (
            <div className="ml-auto">
              <ConfirmDelete what="role" onConfirm={remove} />
            </div>
          )}
        </div>
      )}
    </form>
  );
}
