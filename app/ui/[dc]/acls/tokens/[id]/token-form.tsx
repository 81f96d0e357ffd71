'use client';
/**
 * A token's detail and edit form (or the create form when `token` is null): AccessorID, the
 * masked SecretID, scope, description, policies, roles and identities; Use, Clone and a confirmed
 * Delete.
 */
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { aclHref } from '../../../../components/acl/acl-tabs.tsx';
import { ConfirmDelete, FormError, Notice, SaveRow, TextField } from '../../../../components/acl/form-bits.tsx';
import { IdentityEditor } from '../../../../components/acl/identity-editor.tsx';
import { LinkPicker, type PickOption } from '../../../../components/acl/link-picker.tsx';
import { SecretField } from '../../../../components/acl/secret-field.tsx';
import { useAuth } from '../../../../components/auth-provider.tsx';
import { cloneToken, deleteToken, saveToken } from '../../../../lib/acl-endpoints.ts';
import type { AclToken } from '../../../../lib/acl-types.ts';
import { ANONYMOUS_ACCESSOR_ID, HIDDEN_SECRET, type IdentitySet, isManagement, tokenBody } from '../../../../lib/acl-view.ts';

const ids = (list: { ID: string }[] | null | undefined) => (list ?? []).map((l) => l.ID);

function Facts({ token }: { token: AclToken }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 rounded-md border border-line bg-surface p-4 text-sm">
      <dt className="text-fg-faint">AccessorID</dt>
      <dd className="break-all font-mono text-xs leading-5" data-testid="token-accessor">
        {token.AccessorID}
      </dd>
      <dt className="text-fg-faint">Token</dt>
      <dd>
        <SecretField secret={token.SecretID} />
      </dd>
      <dt className="text-fg-faint">Scope</dt>
      <dd>{token.Local ? 'local' : 'global'}</dd>
      {token.ExpirationTime && (
        <>
          <dt className="text-fg-faint">Expires</dt>
          <dd>{token.ExpirationTime}</dd>
        </>
      )}
      {token.CreateTime && (
        <>
          <dt className="text-fg-faint">Created</dt>
          <dd>{token.CreateTime}</dd>
        </>
      )}
    </dl>
  );
}

function notices(token: AclToken, yours: boolean): string[] {
  const out: string[] = [];
  if (token.AccessorID === ANONYMOUS_ACCESSOR_ID) out.push('The anonymous token is used by every request without a token: its policies decide what anyone may see before logging in. It cannot be deleted.');
  else if (isManagement(token)) out.push('This token has the built-in global-management policy: it may do anything.');
  if (yours) out.push('This is the token you are logged in with. Deleting it logs you out.');
  return out;
}

export function TokenForm({ dc, token, policies, roles, canWrite }: { dc: string; token: AclToken | null; policies: PickOption[]; roles: PickOption[]; canWrite: boolean }) {
  const router = useRouter();
  const auth = useAuth();
  const [description, setDescription] = useState(token?.Description ?? '');
  const [picked, setPicked] = useState({ policies: ids(token?.Policies), roles: ids(token?.Roles) });
  const [local, setLocal] = useState(false);
  const [identities, setIdentities] = useState<IdentitySet>({ ServiceIdentities: token?.ServiceIdentities, NodeIdentities: token?.NodeIdentities });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const yours = token !== null && auth?.self?.AccessorID === token.AccessorID;
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const saved = await saveToken(dc, token?.AccessorID ?? null, tokenBody({ description, ...picked, local, identities }, token));
      // A new token opens on its own page, where its secret can be copied.
      router.push(token === null ? aclHref(dc, 'tokens', saved.AccessorID) : aclHref(dc, 'tokens'));
    });
  };
  const remove = async () => {
    if (token === null) return;
    await deleteToken(dc, token.AccessorID);
    router.push(aclHref(dc, 'tokens'));
    // The secret no longer exists: keep sending it and every request would be `ACL not found`.
    if (yours) auth?.logout();
  };
  const clone = () => void run(async () => router.push(aclHref(dc, 'tokens', (await cloneToken(dc, token?.AccessorID ?? '')).AccessorID)));
  const canUse = token !== null && !yours && token.SecretID !== HIDDEN_SECRET && token.AccessorID !== ANONYMOUS_ACCESSOR_ID && auth !== null;
  const secondary = 'rounded border border-line-strong bg-surface px-4 py-1.5 text-sm font-medium hover:bg-canvas disabled:opacity-60';
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="token-form">
      {token !== null && notices(token, yours).map((n) => <Notice key={n}>{n}</Notice>)}
      {token !== null && <Facts token={token} />}
      <TextField label="Description" value={description} onChange={setDescription} readOnly={!canWrite} />
      {token === null && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={local} onChange={(e) => setLocal(e.target.checked)} className="accent-action" />
          Local: valid in this datacenter only (not replicated)
        </label>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <LinkPicker label="Policies" options={policies} picked={picked.policies} onChange={(p) => setPicked((x) => ({ ...x, policies: p }))} readOnly={!canWrite} />
        <LinkPicker label="Roles" options={roles} picked={picked.roles} onChange={(r) => setPicked((x) => ({ ...x, roles: r }))} readOnly={!canWrite} />
      </div>
      <IdentityEditor dc={dc} value={identities} onChange={setIdentities} readOnly={!canWrite} />
      <FormError error={error} />
      <div className="flex flex-wrap items-start gap-2">
        {canWrite && <SaveRow busy={busy} cancelHref={aclHref(dc, 'tokens')} label={token === null ? 'Create' : 'Save'} />}
        {canUse && (
          <button type="button" className={secondary} onClick={() => void run(() => auth.login(token.SecretID))}>
            Use
          </button>
        )}
        {canWrite && token !== null && (
          <button type="button" className={secondary} onClick={clone} disabled={busy}>
            Clone
          </button>
        )}
        {canWrite && token !== null && token.AccessorID !== ANONYMOUS_ACCESSOR_ID && (
          <div className="ml-auto">
            <ConfirmDelete what="token" warning={yours ? 'This is your current token: you will be logged out.' : undefined} onConfirm={remove} />
          </div>
        )}
      </div>
    </form>
  );
}
