import { failureDetection } from './failure-detection.ts';
import { leaderElection } from './leader-election.ts';
import type { Lesson } from './lesson.ts';
import { logReplication } from './log-replication.ts';
import { partitionedLeader } from './partitioned-leader.ts';
import { refutation } from './refutation.ts';
import { snapshotCatchUp } from './snapshot-catch-up.ts';
import { splitVote } from './split-vote.ts';
import { wanFederation } from './wan-federation.ts';

export { type Lesson, type LessonMemory, type LessonStep, textOf } from './lesson.ts';

/** Every lesson, in the order the lab lists them. */
export const LESSONS: readonly Lesson[] = [leaderElection, logReplication, partitionedLeader, splitVote, snapshotCatchUp, failureDetection, refutation, wanFederation];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
