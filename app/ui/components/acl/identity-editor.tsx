'use client';
/**
 * Service and node identities of a token or role (Consul's templated policies: a service identity
 * grants what a service's own sidecar and registration need, a node identity what its agent needs).
 */
import { useId, useState } from 'react';
import { addIdentity, type IdentitySet, linkBadges, removeIdentity } from '../../lib/acl-view.ts';
import { Badge } from '../badges.tsx';

export function IdentityEditor({ dc, value, onChange, readOnly }: { dc: string; value: IdentitySet; onChange: (v: IdentitySet) => void; readOnly: boolean }) {
  const [kind, setKind] = useState<'service' | 'node'>('service');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const kindId = useId();
  const nameId = useId();
  const badges = linkBadges(value);
  const add = () => {
    const next = addIdentity(value, kind, name, dc);
    if ('error' in next) return setError(next.error);
    setError(null);
    setName('');
    onChange(next);
  };
  return (
    <fieldset className="rounded-md border border-line bg-surface p-3" data-testid="identity-editor">
      <legend className="px-1 text-sm font-medium">Service and node identities ({badges.length})</legend>
      {badges.length === 0 && <p className="text-sm text-fg-faint">None</p>}
      <ul className="flex flex-wrap gap-2">
        {badges.map((b) => (
          <li key={`${b.kind}:${b.name}`} className="inline-flex items-center gap-1">
            <Badge>{`${b.kind === 'service-identity' ? 'service' : 'node'}: ${b.name}`}</Badge>
            {!readOnly && (
              <button type="button" onClick={() => onChange(removeIdentity(value, b))} className="text-xs text-bad hover:underline" aria-label={`Remove ${b.name}`}>
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <label htmlFor={kindId} className="sr-only">
            Identity type
          </label>
          <select id={kindId} value={kind} onChange={(e) => setKind(e.target.value as 'service' | 'node')} className="rounded border border-line-strong bg-surface px-2 py-1 text-sm">
            <option value="service">Service identity</option>
            <option value="node">Node identity ({dc})</option>
          </select>
          <label htmlFor={nameId} className="sr-only">
            Identity name
          </label>
          <input
            id={nameId}
            value={name}
            placeholder={kind === 'service' ? 'service name' : 'node name'}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
            className="rounded border border-line-strong px-2 py-1 text-sm"
          />
          <button type="button" onClick={add} className="rounded border border-line-strong bg-surface px-3 py-1 text-sm font-medium hover:bg-canvas">
            Add
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="mt-1 text-sm text-bad">
          {error}
        </p>
      )}
    </fieldset>
  );
}
