'use client';
/** A policy's "Valid datacenters": All, or the checked ones of the datacenters this agent knows. */
import { fetchDatacenters } from '../../lib/endpoints.ts';
import { datacenterChoices, togglePick } from '../../lib/acl-view.ts';
import { useBlockingQuery } from '../../lib/use-blocking-query.ts';

export function DatacenterPicker({ picked, onChange, readOnly }: { picked: string[]; onChange: (dcs: string[]) => void; readOnly: boolean }) {
  const known = useBlockingQuery('acl-datacenters', (_i, signal) => fetchDatacenters(signal), { once: true });
  const all = picked.length === 0;
  const choices = datacenterChoices(known.data ?? [], picked);
  return (
    <fieldset className="rounded-md border border-line bg-surface p-3" data-testid="picker-datacenters">
      <legend className="px-1 text-sm font-medium">Valid datacenters</legend>
      <label className="flex items-center gap-2 px-2 py-1 text-sm">
        <input type="radio" checked={all} disabled={readOnly} onChange={() => onChange([])} className="accent-action" />
        All datacenters
      </label>
      <label className="flex items-center gap-2 px-2 py-1 text-sm">
        <input type="radio" checked={!all} disabled={readOnly || choices.length === 0} onChange={() => onChange(choices.slice(0, 1))} className="accent-action" />
        Specific datacenters
      </label>
      {!all && (
        <ul className="ml-6 flex flex-wrap gap-x-4">
          {choices.map((dc) => (
            <li key={dc}>
              <label className="flex items-center gap-2 px-2 py-1 text-sm">
                <input type="checkbox" checked={picked.includes(dc)} disabled={readOnly} onChange={() => onChange(togglePick(picked, dc))} className="accent-action" />
                {dc}
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
