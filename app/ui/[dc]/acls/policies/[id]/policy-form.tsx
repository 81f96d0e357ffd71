'use client';
/**
 * A policy's detail and edit form (create when `policy` is null): name, description, the
 * datacenters it is valid in and its rules in HCL. global-management is read-only, as in Consul.
 */
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { aclHref } from '../../../../components/acl/acl-tabs.tsx';
import { DatacenterPicker } from '../../../../components/acl/datacenter-picker.tsx';
import { ConfirmDelete, FormError, Notice, SaveRow, TextField } from '../../../../components/acl/form-bits.tsx';
import { CodeEditor } from '../../../../components/code-editor.tsx';
import { deletePolicy, savePolicy } from '../../../../lib/acl-endpoints.ts';
import type { AclPolicy } from '../../../../lib/acl-types.ts';
import { GLOBAL_MANAGEMENT_ID, policyBody } from '../../../../lib/acl-view.ts';

export function PolicyForm({ dc, policy, canWrite }: { dc: string; policy: AclPolicy | null; canWrite: boolean }) {
  const router = useRouter();
  const builtIn = policy?.ID === GLOBAL_MANAGEMENT_ID;
  const editable = canWrite && !builtIn;
  const [form, setForm] = useState({
    name: policy?.Name ?? '',
    description: policy?.Description ?? '',
    rules: policy?.Rules ?? '',
    datacenters: policy?.Datacenters ?? [],
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (k: 'name' | 'description' | 'rules') => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = policyBody(form);
    if ('error' in body) return setError(body.error);
    setBusy(true);
    setError(null);
    try {
      await savePolicy(dc, policy?.ID ?? null, body);
      router.push(aclHref(dc, 'policies'));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const remove = async () => {
    if (policy === null) return;
    await deletePolicy(dc, policy.ID);
    router.push(aclHref(dc, 'policies'));
  };
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="policy-form">
      {builtIn && <Notice>This is the built-in global-management policy: it grants unlimited access and cannot be changed or deleted.</Notice>}
      <TextField label="Name" value={form.name} onChange={set('name')} readOnly={!editable} />
      <TextField label="Description" value={form.description} onChange={set('description')} readOnly={!editable} />
      <DatacenterPicker picked={form.datacenters} onChange={(datacenters) => setForm((f) => ({ ...f, datacenters }))} readOnly={!editable} />
      <CodeEditor label="Rules (HCL)" value={form.rules} onChange={set('rules')} readOnly={!editable} testId="policy-rules" />
      <FormError error={error} />
      {editable && (
        <div className="flex flex-wrap items-start gap-2">
          <SaveRow busy={busy} cancelHref={aclHref(dc, 'policies')} label={policy === null ? 'Create' : 'Save'} />
          {policy !== null && (
            <div className="ml-auto">
              <ConfirmDelete what="policy" onConfirm={remove} />
            </div>
          )}
        </div>
      )}
    </form>
  );
}
