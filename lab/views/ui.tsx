'use client';
import type { ReactNode } from 'react';

const TONES = {
  default: 'border-slate-300 bg-white text-slate-800 hover:bg-slate-50',
  primary: 'border-[#1060ff] bg-[#1060ff] text-white hover:bg-[#0c56e9]',
  danger: 'border-red-200 bg-white text-red-700 hover:bg-red-50',
} as const;

/** The lab's button: small, bordered, three tones. */
export function Button({ children, onClick, disabled, tone = 'default', title, testId }: { children: ReactNode; onClick: () => void; disabled?: boolean; tone?: keyof typeof TONES; title?: string; testId?: string }) {
  return (
    <button
      type="button"
      title={title}
      data-testid={testId}
      disabled={disabled}
      onClick={onClick}
      className={`rounded-md border px-2.5 py-1 text-xs font-medium shadow-sm transition disabled:cursor-not-allowed disabled:opacity-40 ${TONES[tone]}`}
    >
      {children}
    </button>
  );
}

/** A labelled text input. */
export function Field({ label, value, onChange, width = 'w-full' }: { label: string; value: string; onChange: (v: string) => void; width?: string }) {
  return (
    <label className={`flex flex-col gap-0.5 text-[11px] text-slate-500 ${width}`}>
      {label}
      <input value={value} onChange={(e) => onChange(e.target.value)} aria-label={label} className="rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs text-slate-900 outline-none focus:border-[#1060ff]" />
    </label>
  );
}

/** A titled block of the side panel. */
export function Section({ title, children, right }: { title: string; children: ReactNode; right?: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3">
      <div className="mb-2 flex items-center">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
        <div className="ml-auto">{right}</div>
      </div>
      {children}
    </section>
  );
}
