'use client';
/**
 * The token login form (Consul's "Log in with a token"): a SecretID field checked with
 * `/v1/acl/token/self` before it is saved. Used inline on permission-denied pages and in the
 * dialog the navigation's "Log in" opens.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { loginErrorText } from '../lib/acl-view.ts';

export function LoginForm({ onLogin, autoFocus = false }: { onLogin: (secret: string) => Promise<void>; autoFocus?: boolean }) {
  const id = useId();
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (secret.trim() === '') return setError('Enter a token SecretID.');
    setBusy(true);
    setError(null);
    try {
      await onLogin(secret);
    } catch (err) {
      setError(loginErrorText(err));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} className="space-y-2" data-testid="login-form">
      <label htmlFor={id} className="block text-sm font-medium">
        ACL token (SecretID)
      </label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        // biome-ignore lint/a11y/noAutofocus: the dialog opens to type the token
        autoFocus={autoFocus}
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
        aria-invalid={error !== null}
        className="w-full rounded border border-line-strong bg-surface px-3 py-1.5 font-mono text-sm"
      />
      {error && (
        <p role="alert" className="text-sm text-bad">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} className="rounded bg-action px-4 py-1.5 text-sm font-medium text-white hover:bg-action-hover disabled:opacity-60">
        {busy ? 'Checking…' : 'Log in'}
      </button>
    </form>
  );
}

/** The modal around LoginForm; Escape or the close button dismisses it. */
export function LoginDialog({ onLogin, onClose }: { onLogin: (secret: string) => Promise<void>; onClose: () => void }) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-fg/40 p-4 pt-24">
      <div ref={ref} role="dialog" aria-modal="true" aria-labelledby={titleId} className="w-full max-w-md rounded-md border border-line bg-surface p-6 shadow-lg">
        <div className="mb-3 flex items-center">
          <h2 id={titleId} className="text-lg font-semibold">
            Log in with a token
          </h2>
          <button type="button" onClick={onClose} className="ml-auto rounded px-2 text-fg-faint hover:text-fg" aria-label="Close">
            ✕
          </button>
        </div>
        <p className="mb-4 text-sm text-fg-muted">The dashboard sends this token with every request and shows what it may see.</p>
        <LoginForm onLogin={onLogin} autoFocus />
      </div>
    </div>
  );
}
