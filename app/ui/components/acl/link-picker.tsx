'use client';
/**
 * Picks policies or roles for a token or role: every candidate as a checkbox, filtered by a search
 * box (the lists are short next to the catalog). Read-only mode shows the picked ones only.
 */
import { useId, useState } from 'react';
import { togglePick } from '../../lib/acl-view.ts';
import { matchesText } from '../../lib/text-search.ts';

export interface PickOption {
  id: string;
  name: string;
  description: string;
}

export function LinkPicker({
  label,
  options,
  picked,
  onChange,
  readOnly,
}: {
  label: string;
  options: PickOption[];
  picked: string[];
  onChange: (ids: string[]) => void;
  readOnly: boolean;
}) {
  const [text, setText] = useState('');
  const searchId = useId();
  const shown = options.filter((o) => (readOnly ? picked.includes(o.id) : matchesText(text, [o.name, o.description])));
  return (
    <fieldset className="rounded-md border border-line bg-surface p-3" data-testid={`picker-${label.toLowerCase()}`}>
      <legend className="px-1 text-sm font-medium">
        {label} ({picked.length})
      </legend>
      {!readOnly && options.length > 6 && (
        <>
          <label htmlFor={searchId} className="sr-only">
            Search {label.toLowerCase()}
          </label>
          <input
            id={searchId}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={`Search ${label.toLowerCase()}`}
            className="mb-2 w-full rounded border border-line-strong px-2 py-1 text-sm"
          />
        </>
      )}
      {shown.length === 0 && <p className="text-sm text-fg-faint">{readOnly ? 'None' : `No ${label.toLowerCase()} to pick`}</p>}
      <ul className="max-h-56 space-y-0.5 overflow-auto">
        {shown.map((o) => (
          <li key={o.id}>
            <label className="flex cursor-pointer items-start gap-2 rounded px-2 py-1 text-sm hover:bg-canvas">
              <input
                type="checkbox"
                checked={picked.includes(o.id)}
                disabled={readOnly}
                onChange={() => onChange(togglePick(picked, o.id))}
                className="mt-0.5 accent-action"
              />
              <span>
                <span className="font-medium">{o.name}</span>
                {o.description !== '' && <span className="block text-xs text-fg-faint">{o.description}</span>}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
