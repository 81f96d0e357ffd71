import type { LabRunner } from '../sim-runner/index.ts';
import type { Lesson } from './lesson.ts';

/** Terms in which two or more servers stood as candidates and nobody became leader. */
export function splitTerms(lab: LabRunner): number[] {
  const candidates = new Map<number, Set<string>>();
  const won = new Set<number>();
  for (const e of lab.timeline.recent(600)) {
    const c = e.text.match(/^became candidate for term (\d+)/);
    if (c) {
      const term = Number(c[1]);
      candidates.set(term, (candidates.get(term) ?? new Set()).add(e.node));
    }
    const l = e.text.match(/^became leader for term (\d+)/);
    if (l) won.add(Number(l[1]));
  }
  const highest = Math.max(0, ...candidates.keys(), ...won);
  // The newest term may still be undecided; a later term proves the split.
  return [...candidates].filter(([term, who]) => who.size >= 2 && !won.has(term) && term < highest).map(([term]) => term);
}

/** Two candidates in one term dividing the votes, and how random timeouts break the tie. */
export const splitVote: Lesson = {
  id: 'split-vote',
  title: 'Split vote',
  summary: 'When candidates split the votes nobody wins the term, and randomized timeouts break the tie.',
  // Seed 265 happens to time three of the four servers out within a few milliseconds of each other.
  spec: { seed: 265, datacenters: [{ name: 'dc1', servers: 4, clients: 0 }] },
  steps: [
    {
      title: 'Four servers, majority three',
      text: 'With four servers, a leader needs 3 votes. Each server votes at most once per term, for the first candidate that asks. If two or more servers time out at almost the same moment, each votes for itself, and the remaining votes may be spread so that nobody reaches 3.',
      task: 'Press Play (at 0.1× you can watch the orange vote messages cross).',
      auto: (lab) => lab.runUntil(() => splitTerms(lab).length > 0, 20_000),
      done: (lab) => splitTerms(lab).length > 0,
    },
    {
      title: 'A split vote',
      text: (lab) => {
        const term = splitTerms(lab)[0];
        const who = lab.timeline
          .recent(600)
          .filter((e) => e.text === `became candidate for term ${term}`)
          .map((e) => e.node);
        return `In term ${term}, ${who.join(', ')} all stood as candidates and each got too few votes. Nobody won. A term without a leader is allowed: each candidate simply waits for its election timer again. The timers are random, so one of them will very likely time out first this time.`;
      },
      auto: (lab) => lab.runUntil(() => lab.leader() !== undefined, 20_000),
      done: (lab) => lab.leader() !== undefined,
    },
    {
      title: 'The tie is broken',
      text: (lab) => `${lab.leader()} timed out first in the next term, and its vote requests reached the others before they became candidates themselves, so it won. Raft does not promise that elections finish quickly, only that there is at most one leader per term. Random timeouts make repeated splits unlikely; pre-vote (used here) also stops a server that was cut off from raising everyone's term when it comes back.`,
    },
  ],
};
