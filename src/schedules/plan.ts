/**
 * The plan model: what a published schedule says about one queue, as intervals of real time.
 * Times are UTC milliseconds; an interval covers [start, end).
 * - planned: the supplier will cut the power (GPV "no"/"first"/"second", Yasno "Definite");
 * - possible: the supplier may cut it (GPV "maybe"/"mfirst"/"msecond").
 * Its types (PlanKind, PlanInterval) are in src/outbox/payload-parts.ts: schedule posts in the
 * outbox carry them.
 */
import type { PlanInterval } from '../outbox/payload-parts.js';

/**
 * The plan of a place's queue over the 7 days a weekly diagram shows (ScheduleService.diagramPlan),
 * as the main thread hands it to the render worker (structured-clone safe).
 */
export interface DiagramPlan {
  /**
   * Local days (yyyy-MM-dd) whose plan is known. A day not listed gets no strip at all: a plan
   * that is not known is never drawn as "no outages planned".
   */
  knownDays: string[];
  /** Planned and possible outages of those days, UTC ms. */
  intervals: PlanInterval[];
  /**
   * Probable outages from the source's weekly schedule, for days not published (not in
   * `knownDays`): drawn only over the part of the day still ahead, lighter than any plan.
   */
  probable?: PlanInterval[];
}

/**
 * Sorted, merged intervals: touching or overlapping intervals of one kind become one (two
 * half-hours, adjacent hours, a run across midnight), empty ones vanish, and where a possible
 * interval overlaps a planned one the planned one wins (the stronger statement).
 */
export function mergeIntervals(intervals: readonly PlanInterval[]): PlanInterval[] {
  const planned = mergeKind(intervals.filter((i) => i.kind === 'planned' && i.end > i.start));
  const possible = mergeKind(subtract(intervals.filter((i) => i.kind === 'possible' && i.end > i.start), planned));
  return [...planned, ...possible].sort((a, b) => a.start - b.start);
}

function mergeKind(intervals: readonly PlanInterval[]): PlanInterval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: PlanInterval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end) last.end = Math.max(last.end, next.end);
    else merged.push({ start: next.start, end: next.end, kind: next.kind });
  }
  return merged;
}

/** The parts of `intervals` not covered by `cover` (both sorted or not; cover merged). */
function subtract(intervals: readonly PlanInterval[], cover: readonly PlanInterval[]): PlanInterval[] {
  const out: PlanInterval[] = [];
  for (const interval of intervals) {
    let pieces = [{ ...interval }];
    for (const c of cover) {
      if (c.end <= interval.start || c.start >= interval.end) continue;
      pieces = pieces.flatMap((p) => {
        const left = { ...p, end: Math.min(p.end, c.start) };
        const right = { ...p, start: Math.max(p.start, c.end) };
        return [left, right].filter((x) => x.end > x.start);
      });
    }
    out.push(...pieces);
  }
  return out;
}

/** Same intervals, same kinds: two versions of a day's plan that say the same thing. */
export function sameIntervals(a: readonly PlanInterval[], b: readonly PlanInterval[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i];
    return y !== undefined && x.start === y.start && x.end === y.end && x.kind === y.kind;
  });
}
