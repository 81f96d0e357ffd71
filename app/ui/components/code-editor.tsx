'use client';
/**
 * A light code editor: a monospace textarea with a line-number gutter that scrolls with it. No
 * editor library (keeps the page small); Tab keeps its usual meaning so the form stays keyboard
 * navigable.
 */
import { useId, useRef } from 'react';

export function CodeEditor({
  value,
  onChange,
  label,
  readOnly = false,
  invalid = false,
  testId = 'kv-value',
}: {
  value: string;
  onChange: (v: string) => void;
  label: string;
  readOnly?: boolean;
  invalid?: boolean;
  testId?: string;
}) {
  const id = useId();
  const gutter = useRef<HTMLDivElement>(null);
  const lines = Math.max(1, value.split('\n').length);
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <div className={`flex overflow-hidden rounded-md border bg-nav-raised ${invalid ? 'border-bad' : 'border-line-strong'} focus-within:border-action`}>
        <div
          ref={gutter}
          aria-hidden
          className="select-none overflow-hidden border-r border-nav-hover py-2 pr-2 pl-3 text-right font-mono text-xs leading-5 text-nav-fg/60"
          style={{ maxHeight: '24rem' }}
        >
          {Array.from({ length: lines }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: line numbers are positions
            <div key={i}>{i + 1}</div>
          ))}
        </div>
        <textarea
          id={id}
          value={value}
          readOnly={readOnly}
          spellCheck={false}
          wrap="off"
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          rows={Math.min(18, Math.max(8, lines + 1))}
          className="min-w-0 flex-1 resize-y bg-transparent px-3 py-2 font-mono text-xs leading-5 text-nav-fg-strong outline-none"
          style={{ maxHeight: '24rem' }}
          data-testid={testId}
        />
      </div>
    </div>
  );
}
