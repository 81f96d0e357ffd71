'use client';
import { useEffect, useRef, useState } from 'react';
import { type Lesson, type LessonMemory, textOf } from '../lessons/index.ts';
import type { LabRunner } from '../sim-runner/index.ts';
import { Button } from './ui.tsx';

/**
 * Plays a lesson: shows the current step's explanation and task, watches the cluster on every
 * redraw until the step's goal holds, then moves on. "Auto" does the task for the learner; steps
 * with nothing to wait for have "Next".
 */
export function LessonPanel({ lesson, runner, version, onExit }: { lesson: Lesson; runner: LabRunner; version: number; onExit: () => void }) {
  const [index, setIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const memory = useRef<LessonMemory>({});
  const entered = useRef(-1);
  const step = lesson.steps[index];
  const finished = index >= lesson.steps.length;

  useEffect(() => {
    if (!step || entered.current === index) return;
    entered.current = index;
    step.enter?.(runner, memory.current);
    runner.timeline.push(runner.now, '', 'user', `lesson step ${index + 1}: ${step.title}`);
  }, [index, step, runner]);

  // Re-checked on every redraw (version changes with virtual time).
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the redraw clock
  useEffect(() => {
    if (!step?.done || busy || entered.current !== index) return;
    if (step.done(runner, memory.current)) setIndex((i) => i + 1);
  }, [version, step, busy, index, runner]);

  const auto = async () => {
    if (!step) return;
    setBusy(true);
    try {
      await step.auto?.(runner, memory.current);
      if (!step.done) setIndex((i) => i + 1);
      else if (!step.done(runner, memory.current)) await runner.runUntil(() => step.done?.(runner, memory.current) === true, 20_000);
      if (step.done?.(runner, memory.current)) setIndex((i) => i + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="rounded-lg border-2 border-[#e03875]/40 bg-white p-4 shadow-sm" data-testid="lesson" data-step={index} data-finished={finished}>
      <div className="flex items-baseline gap-2">
        <span className="text-[10px] font-bold uppercase tracking-wider text-[#e03875]">Lesson</span>
        <h2 className="font-semibold">{lesson.title}</h2>
        <button type="button" onClick={onExit} className="ml-auto text-xs text-slate-500 hover:underline">
          leave lesson
        </button>
      </div>
      <ol className="mt-2 flex gap-1">
        {lesson.steps.map((s, i) => (
          <li key={s.title} title={s.title} className={`h-1.5 flex-1 rounded-full ${i < index ? 'bg-emerald-500' : i === index ? 'bg-[#e03875]' : 'bg-slate-200'}`} />
        ))}
      </ol>
      {finished ? (
        <div className="mt-3" data-testid="lesson-complete">
          <p className="font-semibold text-emerald-700">Lesson complete.</p>
          <p className="mt-1 text-sm text-slate-600">{lesson.summary} Keep experimenting with this cluster, or pick another lesson.</p>
        </div>
      ) : (
        step && (
          <div className="mt-3">
            <h3 className="text-sm font-semibold">
              {index + 1}. {step.title}
            </h3>
            <p className="mt-1 text-sm leading-relaxed text-slate-700">{textOf(step.text, runner, memory.current)}</p>
            {step.task && (
              <p className="mt-2 rounded-md bg-amber-50 px-2 py-1.5 text-sm text-amber-900">
                <span className="font-semibold">Your turn: </span>
                {textOf(step.task, runner, memory.current)}
              </p>
            )}
            <div className="mt-3 flex items-center gap-2">
              {step.done ? (
                <span className="text-xs text-slate-500">{busy ? 'running…' : 'waiting for the cluster…'}</span>
              ) : (
                <Button tone="primary" onClick={() => setIndex((i) => i + 1)} testId="lesson-next">
                  Next
                </Button>
              )}
              {(step.auto || step.done) && (
                <Button onClick={auto} disabled={busy} testId="lesson-auto" title="Do this step for me">
                  Auto
                </Button>
              )}
            </div>
          </div>
        )
      )}
    </section>
  );
}
