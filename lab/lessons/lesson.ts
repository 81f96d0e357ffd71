import type { ClusterSpec, LabRunner } from '../sim-runner/index.ts';

/** Scratch memory a lesson keeps between steps (who led before the crash, which key was written). */
export type LessonMemory = Record<string, string | number | undefined>;

/** Text that may mention what happened in this run (the leader's name, the term). */
export type LessonText = string | ((lab: LabRunner, memory: LessonMemory) => string);

/**
 * One step: an explanation, and either a condition the cluster must reach (the learner acts in the
 * views, or presses Auto to have `auto` do it) or nothing (the learner presses Next).
 */
export interface LessonStep {
  title: string;
  text: LessonText;
  /** What the learner is asked to do, if anything. */
  task?: LessonText;
  /** Runs when the step begins (e.g. remember the current leader). */
  enter?: (lab: LabRunner, memory: LessonMemory) => void;
  /** Does the task for the learner. */
  auto?: (lab: LabRunner, memory: LessonMemory) => unknown;
  /** The step is complete when this holds; without it the learner presses Next. */
  done?: (lab: LabRunner, memory: LessonMemory) => boolean;
}

/** A guided scenario on its own seeded cluster. */
export interface Lesson {
  id: string;
  title: string;
  summary: string;
  spec: ClusterSpec;
  steps: LessonStep[];
}

/** Resolves a LessonText. */
export function textOf(t: LessonText | undefined, lab: LabRunner, memory: LessonMemory): string {
  if (t === undefined) return '';
  return typeof t === 'function' ? t(lab, memory) : t;
}

/** The servers of `dc` that are up, by name. */
export function liveServers(lab: LabRunner, dc = 'dc1'): string[] {
  return lab.nodes.filter((n) => n.server && n.dc === dc && lab.sim.node(n.id).status === 'up').map((n) => n.id);
}

/** A server of `dc` other than `not`, preferring the lowest name (deterministic). */
export function otherServer(lab: LabRunner, not: string | undefined, dc = 'dc1'): string {
  const s = lab.nodes.find((n) => n.server && n.dc === dc && n.id !== not);
  if (!s) throw new Error('no other server');
  return s.id;
}
