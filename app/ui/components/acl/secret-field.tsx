'use client';
/** A token's SecretID: masked until "Show", with "Copy" (Consul's token detail does the same). */
import { useState } from 'react';
import { HIDDEN_SECRET, maskSecret } from '../../lib/acl-view.ts';

export function SecretField({ secret }: { secret: string }) {
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState(false);
  if (secret === HIDDEN_SECRET || secret === '') return <span className="text-sm text-fg-faint">Hidden: your token may not read secrets (needs acl:write)</span>;
  const copy = async () => {
    await navigator.clipboard?.writeText(secret).catch(() => undefined);
    setCopied(true);
  };
  const button = 'rounded border border-line-strong bg-surface px-2 py-0.5 text-xs font-medium hover:bg-canvas';
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <code className="break-all font-mono text-xs" data-testid="token-secret">
        {shown ? secret : maskSecret(secret)}
      </code>
      <button type="button" className={button} onClick={() => setShown((s) => !s)} aria-pressed={shown}>
        {shown ? 'Hide' : 'Show'}
      </button>
      <button type="button" className={button} onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
