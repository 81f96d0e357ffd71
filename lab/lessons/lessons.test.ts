import { describe, expect, it } from 'vitest';
import { LabRunner } from '../sim-runner/index.ts';
import { LESSONS, type LessonMemory, textOf } from './index.ts';

// Each lesson, played by its Auto buttons, reaches every step's goal and its end, and every text
// renders. The same engine runs in the page (lab/views/lesson-panel.tsx).
describe('lessons run to their end with Auto', () => {
  for (const lesson of LESSONS) {
    it(lesson.title, async () => {
      const lab = new LabRunner(lesson.spec, { tapMessages: false });
      const memory: LessonMemory = {};
      for (const [i, step] of lesson.steps.entries()) {
        step.enter?.(lab, memory);
        expect(textOf(step.text, lab, memory).length).toBeGreaterThan(20);
        textOf(step.task, lab, memory);
        if (step.auto) await step.auto(lab, memory);
        if (step.done) {
          const ok = step.done(lab, memory) || (await lab.runUntil(() => step.done?.(lab, memory) === true, 20_000));
          expect(ok, `${lesson.id} step ${i + 1} "${step.title}" (seed ${lesson.spec.seed})`).toBe(true);
        }
      }
      lab.dispose();
    });
  }
});
