'use client';
/**
 * Consul's "not authorized" state for a 403: what was refused, and a way to log in with a token
 * that may see it (inline when no token is saved, else a button opening the login dialog).
 */
import Link from 'next/link';
import { useAuth } from './auth-provider.tsx';
import { LoginForm } from './login-form.tsx';

export function Forbidden({ body }: { body: string }) {
  const auth = useAuth();
  return (
    <div role="alert" className="rounded-md border border-warn-line bg-warn-soft px-6 py-8" data-testid="acl-forbidden">
      <h2 className="text-lg font-semibold text-warn">You are not authorized</h2>
      <p className="mt-1 max-w-prose text-sm text-fg-muted">
        This token doesn’t have permission to view this data. Log in with a token that has it, or ask your administrator if you think you should
        have access.
      </p>
      {body !== '' && <p className="mt-2 break-words font-mono text-xs text-fg-faint">{body}</p>}
      <div className="mt-4 max-w-sm">
        {auth === null ? (
          <Link href="/ui/setting" className="text-sm text-action hover:underline">
            Set a token in Settings
          </Link>
        ) : auth.hasToken ? (
          <button type="button" onClick={auth.openLogin} className="rounded border border-line-strong bg-surface px-3 py-1.5 text-sm font-medium hover:bg-canvas">
            Log in with a different token
          </button>
        ) : (
          <LoginForm onLogin={auth.login} />
        )}
      </div>
    </div>
  );
}

/** The notice over a list the agent filtered (`X-Consul-Results-Filtered-By-ACLs`). */
export function FilteredNotice() {
  return (
    <p role="note" className="mb-4 rounded-md border border-action-line bg-action-soft px-4 py-2 text-sm text-fg-muted" data-testid="acl-filtered">
      Some items are hidden: your token does not have permission to see them all.
    </p>
  );
}

/** The hint under an empty list when ACLs are on and nobody is logged in. */
export function AclEmptyHint({ what }: { what: string }) {
  const auth = useAuth();
  if (!auth?.aclsEnabled || auth.self !== null) return null;
  return (
    <span className="mt-2 block" data-testid="acl-empty-hint">
      You may not have access to view {what} yet.{' '}
      <button type="button" onClick={auth.openLogin} className="font-medium text-action hover:underline">
        Log in
      </button>
    </span>
  );
}
