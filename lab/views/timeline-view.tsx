'use client';
import type { TimelineEvent, Tone } from '../sim-runner/index.ts';

const TONE: Record<Tone, string> = {
  raft: 'bg-pink-100 text-pink-800',
  gossip: 'bg-emerald-100 text-emerald-800',
  fault: 'bg-red-100 text-red-800',
  node: 'bg-slate-200 text-slate-700',
  user: 'bg-blue-100 text-blue-800',
};

/** The timeline: role changes, votes, suspicion, faults and the learner's own actions, newest first. */
export function TimelineView({ events, onSelect }: { events: TimelineEvent[]; onSelect: (id: string) => void }) {
  return (
    <ol className="h-full overflow-auto font-mono text-[11px]" data-testid="timeline">
      {[...events].reverse().map((e) => (
        <li key={e.seq} className="flex items-baseline gap-2 border-b border-slate-100 px-2 py-0.5">
          <span className="w-16 shrink-0 text-right text-slate-400">{(e.at / 1000).toFixed(3)}s</span>
          <span className={`shrink-0 rounded px-1 ${TONE[e.tone]}`}>{e.tone}</span>
          {e.node ? (
            <button type="button" className="shrink-0 font-semibold hover:underline" onClick={() => onSelect(e.node)}>
              {e.node}
            </button>
          ) : null}
          <span className="text-slate-700">{e.text}</span>
        </li>
      ))}
    </ol>
  );
}
