'use client';
/** Search box, multi-select filter menus and the sort menu of list views. */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

/** The bar holding a list's controls. */
export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <search className="mb-4 flex flex-wrap items-center gap-2 rounded-md border border-line bg-surface p-2">{children}</search>
  );
}

/** A search input that updates the URL after a short pause (typing does not flood history). */
export function SearchInput({ value, onChange, placeholder }: { value: string; onChange: (v: string) => void; placeholder: string }) {
  const [draft, setDraft] = useState(value);
  const id = useId();
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft === value) return;
    const t = setTimeout(() => onChangeRef.current(draft), 200);
    return () => clearTimeout(t);
  }, [draft, value]);
  return (
    <div className="min-w-48 flex-1">
      <label htmlFor={id} className="sr-only">
        {placeholder}
      </label>
      <input
        id={id}
        type="search"
        value={draft}
        placeholder={placeholder}
        onChange={(e) => setDraft(e.target.value)}
        className="w-full rounded border border-line-strong bg-surface px-3 py-1.5 text-sm placeholder:text-fg-faint focus:border-action"
      />
    </div>
  );
}

/** A dropdown of checkboxes (native <details>: keyboard and screen-reader friendly). */
export function MultiSelect({
  label,
  options,
  selected,
  onChange,
}: {
  label: string;
  options: { value: string; label: string }[];
  selected: string[];
  onChange: (values: string[]) => void;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    // Close when focus or a click goes elsewhere, like a menu.
    const close = (e: Event) => {
      if (ref.current && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    const onEscape = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && ref.current?.open) {
        ref.current.open = false;
        ref.current.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('focusin', close);
    document.addEventListener('keydown', onEscape);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('focusin', close);
      document.removeEventListener('keydown', onEscape);
    };
  }, []);
  const toggle = (value: string) =>
    onChange(selected.includes(value) ? selected.filter((v) => v !== value) : [...selected, value]);
  return (
    <details ref={ref} className="relative">
      <summary
        className={`cursor-pointer list-none rounded border px-3 py-1.5 text-sm select-none ${
          selected.length > 0 ? 'border-action bg-action-soft text-action' : 'border-line-strong bg-surface text-fg-muted hover:bg-canvas'
        }`}
      >
        {label}
        {selected.length > 0 ? ` (${selected.length})` : ''} <span aria-hidden>▾</span>
      </summary>
      <fieldset className="absolute z-20 mt-1 max-h-72 min-w-48 overflow-auto rounded-md border border-line bg-surface p-2 shadow-lg">
        <legend className="sr-only">{label}</legend>
        {options.length === 0 && <p className="px-2 py-1 text-sm text-fg-faint">Nothing to filter by</p>}
        {options.map((o) => (
          <label key={o.value} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-canvas">
            <input type="checkbox" checked={selected.includes(o.value)} onChange={() => toggle(o.value)} className="accent-action" />
            {o.label}
          </label>
        ))}
        {selected.length > 0 && (
          <button type="button" onClick={() => onChange([])} className="mt-1 w-full rounded px-2 py-1 text-left text-sm text-action hover:bg-action-soft">
            Clear
          </button>
        )}
      </fieldset>
    </details>
  );
}

/** The sort menu (a native select). */
export function SortSelect<T extends string>({
  value,
  options,
  onChange,
}: {
  value: T;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
}) {
  const id = useId();
  return (
    <div className="flex items-center gap-1 text-sm">
      <label htmlFor={id} className="text-fg-faint">
        Sort
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as T)}
        className="rounded border border-line-strong bg-surface px-2 py-1.5 text-sm"
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Status filter options shared by the lists. */
export const STATUS_OPTIONS = [
  { value: 'passing', label: 'Passing' },
  { value: 'warning', label: 'Warning' },
  { value: 'critical', label: 'Failing' },
  { value: 'empty', label: 'No checks' },
];
