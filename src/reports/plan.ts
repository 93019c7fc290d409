import type { PowerRun } from '../diagram/timeline.js';
import type { Period } from './periods.js';

/**
 * The seam for outage schedules (plan vs fact): a place's published plan, as the schedules
 * feature hands it over, compared with what really happened. The plan model itself lives with
 * that feature; reports only need its intervals.
 */

export type PlanKind = 'planned' | 'possible';

/** An outage in the published schedule, UTC ms, [from, to). */
export interface PlannedInterval {
  from: number;
  to: number;
  /** 'planned': the schedule says off; 'possible': the schedule says it may be off. */
  kind: PlanKind;
}

/**
 * Where a place's published plan over a past span comes from (the schedules feature keeps what it
 * told each place); undefined when the place followed no schedule then. Reports leave plan vs
 * fact out without it.
 */
export interface PlanHistory {
  plannedBetween(placeId: number, from: number, to: number): PlannedInterval[] | undefined;
}

export interface PlanComparison {
  /** Time the schedule said off (overlapping entries counted once). */
  plannedMs: number;
  /** Time the schedule said "may be off", apart from the planned time. */
  possibleMs: number;
  /** Real outage time inside planned time. */
  offInPlannedMs: number;
  /** Real outage time inside possible time. */
  offInPossibleMs: number;
  /** Real outage time the schedule did not announce at all. */
  offOutsidePlanMs: number;
  /** Planned time during which the power was on after all. */
  onInPlannedMs: number;
}

interface Span {
  start: number;
  end: number;
}

/**
 * Compares the plan with the recorded runs inside `range` (the part of a report period already
 * lived; what lies ahead is not compared). Runs are what knownRuns() returns: sorted, disjoint.
 */
export function comparePlan(plan: readonly PlannedInterval[], runs: readonly PowerRun[], range: Period): PlanComparison {
  plan.forEach(checkPlannedInterval);
  const clip = (kind: PlanKind): Span[] =>
    union(
      plan
        .filter((entry) => entry.kind === kind)
        .map((entry) => ({ start: Math.max(entry.from, range.from), end: Math.min(entry.to, range.to) }))
        .filter((span) => span.end > span.start),
    );
  const planned = clip('planned');
  const possible = subtract(clip('possible'), planned);
  const inRange = (status: PowerRun['status']): Span[] =>
    runs
      .filter((run) => run.status === status)
      .map((run) => ({ start: Math.max(run.start, range.from), end: Math.min(run.end, range.to) }))
      .filter((span) => span.end > span.start);
  const off = inRange('off');
  const offInPlannedMs = overlapMs(off, planned);
  const offInPossibleMs = overlapMs(off, possible);
  return {
    plannedMs: total(planned),
    possibleMs: total(possible),
    offInPlannedMs,
    offInPossibleMs,
    offOutsidePlanMs: total(off) - offInPlannedMs - offInPossibleMs,
    onInPlannedMs: overlapMs(inRange('on'), planned),
  };
}

function checkPlannedInterval(entry: PlannedInterval, index: number): void {
  if (!Number.isFinite(entry.from) || !Number.isFinite(entry.to)) {
    throw new Error(`Planned interval #${index + 1} has a time that is not a number (from ${entry.from}, to ${entry.to}); pass UTC milliseconds`);
  }
  if (entry.to < entry.from) {
    throw new Error(`Planned interval #${index + 1} ends before it starts (from ${new Date(entry.from).toISOString()}, to ${new Date(entry.to).toISOString()})`);
  }
  if (entry.kind !== 'planned' && entry.kind !== 'possible') {
    throw new Error(`Planned interval #${index + 1} has kind "${String(entry.kind)}"; it must be 'planned' or 'possible'`);
  }
}

/** Sorted, disjoint spans covering the same time (touching spans joined). */
function union(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** `spans` minus `cut`, both sorted and disjoint. */
function subtract(spans: Span[], cut: Span[]): Span[] {
  const result: Span[] = [];
  for (const span of spans) {
    let cursor = span.start;
    for (const piece of cut) {
      if (piece.end <= cursor) continue;
      if (piece.start >= span.end) break;
      if (piece.start > cursor) result.push({ start: cursor, end: piece.start });
      cursor = Math.max(cursor, piece.end);
    }
    if (cursor < span.end) result.push({ start: cursor, end: span.end });
  }
  return result;
}

/** Length of the time two sorted, disjoint lists share. */
function overlapMs(a: Span[], b: Span[]): number {
  let shared = 0;
  let i = 0;
  let j = 0;
  for (let left = a[i], right = b[j]; left && right; left = a[i], right = b[j]) {
    shared += Math.max(0, Math.min(left.end, right.end) - Math.max(left.start, right.start));
    if (left.end < right.end) i++;
    else j++;
  }
  return shared;
}

function total(spans: Span[]): number {
  return spans.reduce((sum, span) => sum + (span.end - span.start), 0);
}
