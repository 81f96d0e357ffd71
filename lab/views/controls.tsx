'use client';
import { type LabDriver, MESSAGE_KINDS, type MessageKind, SPEEDS } from '../sim-runner/index.ts';
import { KIND_COLOR, KIND_HELP } from './palette.ts';

/** Play, pause, step and speed, with virtual time, the trace hash and the frame rate. */
export function TimeControls({ driver }: { driver: LabDriver }) {
  const r = driver.runner;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <button
        type="button"
        data-testid="play"
        onClick={() => (driver.playing ? driver.pause() : driver.play())}
        className={`w-20 rounded-md px-3 py-1.5 text-sm font-semibold text-white shadow ${driver.playing ? 'bg-slate-700 hover:bg-slate-600' : 'bg-[#e03875] hover:bg-[#c92e66]'}`}
      >
        {driver.playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button type="button" data-testid="step" disabled={driver.playing} onClick={() => void driver.step(10)} title="Advance 10 ms of virtual time" className="rounded-md border border-white/20 px-2 py-1.5 text-xs text-white hover:bg-white/10 disabled:opacity-40">
        +10 ms
      </button>
      <button type="button" disabled={driver.playing} onClick={() => void driver.step(100)} title="Advance 100 ms of virtual time" className="rounded-md border border-white/20 px-2 py-1.5 text-xs text-white hover:bg-white/10 disabled:opacity-40">
        +100 ms
      </button>
      <label className="flex items-center gap-1.5 text-xs text-slate-300">
        speed
        <select data-testid="speed" value={driver.speed} onChange={(e) => driver.setSpeed(Number(e.target.value))} className="rounded-md border border-white/20 bg-[#1f2124] px-1.5 py-1 text-xs text-white">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <span className="font-mono text-xs text-white" data-testid="virtual-time" data-ms={r.now}>
        t = {(r.now / 1000).toFixed(2)} s
      </span>
      <span className="font-mono text-[11px] text-slate-400" title="FNV-64 over every trace event: equal hashes mean identical runs" data-testid="trace-hash" data-trace-hash={r.traceHash()} data-at={r.now}>
        trace {r.traceHash()} · {r.sim.trace.size} events
      </span>
      <span className="font-mono text-[11px] text-slate-500">
        {driver.fps.toFixed(0)} fps · {driver.effectiveSpeed.toFixed(2)}× real
      </span>
    </div>
  );
}

/** Toggles for which message kinds are animated. */
export function KindFilter({ kinds, onChange }: { kinds: ReadonlySet<MessageKind>; onChange: (next: Set<MessageKind>) => void }) {
  return (
    <div className="flex flex-wrap gap-1" data-testid="kind-filter">
      {MESSAGE_KINDS.map((k) => {
        const on = kinds.has(k);
        return (
          <button
            type="button"
            key={k}
            title={KIND_HELP[k]}
            aria-pressed={on}
            onClick={() => {
              const next = new Set(kinds);
              if (on) next.delete(k);
              else next.add(k);
              onChange(next);
            }}
            className={`flex items-center gap-1 rounded-full border px-2 py-0.5 text-[11px] ${on ? 'border-slate-300 bg-white text-slate-800' : 'border-transparent bg-slate-100 text-slate-400 line-through'}`}
          >
            <span className="h-2 w-2 rounded-full" style={{ background: KIND_COLOR[k] }} />
            {k}
          </button>
        );
      })}
    </div>
  );
}
