import { sameIntervals } from './plan.js';
import type { PlanInterval } from '../outbox/payload-parts.js';

/** What changed between two versions of a day's plan: intervals that appeared and that went away. */
export interface PlanDiff {
  added: PlanInterval[];
  removed: PlanInterval[];
}

/** An interval whose times or kind changed shows as one removed and one added ("−18:00–21:00, +18:00–21:30"). */
export function diffPlans(before: readonly PlanInterval[], after: readonly PlanInterval[]): PlanDiff {
  const same = (a: PlanInterval) => (b: PlanInterval) => a.start === b.start && a.end === b.end && a.kind === b.kind;
  return { added: after.filter((i) => !before.some(same(i))), removed: before.filter((i) => !after.some(same(i))) };
}

/**
 * A day's plan against the version the place was last told about:
 * - first-seen: nothing told yet (remember it quietly, or post tomorrow's plan if the place wants it);
 * - unchanged;
 * - changed: post what was added and removed.
 */
export type PlanChange = { kind: 'first-seen' } | { kind: 'unchanged' } | { kind: 'changed'; diff: PlanDiff };

export function planChange(told: readonly PlanInterval[] | undefined, current: readonly PlanInterval[]): PlanChange {
  if (told === undefined) return { kind: 'first-seen' };
  if (sameIntervals(told, current)) return { kind: 'unchanged' };
  return { kind: 'changed', diff: diffPlans(told, current) };
}
