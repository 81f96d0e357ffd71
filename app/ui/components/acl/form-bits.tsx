'use client';
/** Small pieces shared by the ACL forms: a labelled input, the save/cancel row and a confirmed delete. */
import Link from 'next/link';
import { type ReactNode, useId, useState } from 'react';
import { describeError } from '../../lib/errors.ts';

/** A labelled one-line text input. */
export function TextField({ label, value, onChange, readOnly, hint }: { label: string; value: string; onChange: (v: string) => void; readOnly: boolean; hint?: ReactNode }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        value={value}
        readOnly={readOnly}
        onChange={(e) => onChange(e.target.value)}
        className="w-full rounded border border-line-strong bg-surface px-3 py-1.5 text-sm read-only:bg-canvas read-only:text-fg-muted"
      />
      {hint && <p className="mt-1 text-xs text-fg-faint">{hint}</p>}
    </div>
  );
}

/** The message of a failed save or delete. */
export function FormError({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const text = typeof error === 'string' ? { title: 'Cannot save', detail: error } : describeError(error);
  return (
    <p role="alert" className="rounded-md border border-bad-line bg-bad-soft px-3 py-2 text-sm">
      <span className="font-semibold text-bad">{text.title}.</span> <span className="text-fg-muted">{text.detail}</span>
    </p>
  );
}

const BUTTON = 'rounded px-4 py-1.5 text-sm font-medium disabled:opacity-60';

/** Save and Cancel. */
export function SaveRow({ busy, cancelHref, label = 'Save' }: { busy: boolean; cancelHref: string; label?: string }) {
  return (
    <div className="flex items-center gap-2">
      <button type="submit" disabled={busy} className={`${BUTTON} bg-action text-white hover:bg-action-hover`}>
        {busy ? 'Saving…' : label}
      </button>
      <Link href={cancelHref} className={`${BUTTON} border border-line-strong bg-surface hover:bg-canvas`}>
        Cancel
      </Link>
    </div>
  );
}

/** "Delete" that asks first (Consul's confirmation), with an optional warning line. */
export function ConfirmDelete({ what, warning, onConfirm }: { what: string; warning?: string; onConfirm: () => Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)} className={`${BUTTON} border border-bad-line bg-surface text-bad hover:bg-bad-soft`}>
        Delete
      </button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <div role="alertdialog" aria-label={`Delete ${what}`} className="space-y-2 rounded-md border border-bad-line bg-bad-soft p-3 text-sm">
      <p>
        Are you sure you want to delete this {what}? <span className="text-fg-muted">This action cannot be undone.</span>
      </p>
      {warning && <p className="font-medium text-warn">{warning}</p>}
      <FormError error={error} />
      <div className="flex gap-2">
        <button type="button" disabled={busy} onClick={confirm} className={`${BUTTON} bg-bad text-white`}>
          {busy ? 'Deleting…' : 'Yes, delete'}
        </button>
        <button type="button" onClick={() => setAsking(false)} className={`${BUTTON} border border-line-strong bg-surface`}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** A notice above a form (built-in objects, your own token). */
export function Notice({ children }: { children: ReactNode }) {
  return <p className="rounded-md border border-action-line bg-action-soft px-4 py-2 text-sm text-fg-muted">{children}</p>;
}
