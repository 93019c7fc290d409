import { DateTime } from 'luxon';
import type { KnownOffLookup, KnownOnLookup, NextOutage, PlanInterval, PlannedOutage } from '../outbox/payload-parts.js';
import { dayStateAt, followingDay, runAt, type PlanRun, type QueuePlan, type UnknownReason } from './queue-plan.js';

const MINUTE = 60_000;

/** An OFF up to this long before a planned start counts as that planned outage (suppliers start early). */
export const PLANNED_START_TOLERANCE_MS = 15 * MINUTE;
/** A return within this of the planned end is "on schedule". */
export const ON_TIME_TOLERANCE_MS = 5 * MINUTE;

export type OffLookup = { kind: 'unknown'; reason: UnknownReason } | KnownOffLookup;

/**
 * For an OFF at `at`: inside (or within 15 min before the start of) a planned interval → planned,
 * else inside a possible one → possible, else not planned. Unknown when the day's plan is.
 */
export function lookupOff(plan: QueuePlan, at: number): OffLookup {
  const state = dayStateAt(plan, at);
  if (!state.known) return { kind: 'unknown', reason: state.reason };
  const run = knownRunAt(plan, at);
  for (const kind of ['planned', 'possible'] as const) {
    const hit = run.intervals.find((i) => i.kind === kind && i.start - PLANNED_START_TOLERANCE_MS <= at && at < i.end);
    if (hit) return { kind, ...describe(hit, run) };
  }
  return { kind: 'unplanned' };
}

export type OnLookup = { kind: 'unknown'; reason: UnknownReason } | KnownOnLookup;

/**
 * For an ON at `at` after an outage that began at `offSince`: the planned interval the outage
 * belonged to (the latest one that began before the return and overlaps the outage) and how far
 * the return was from its end; then the next outage today or tomorrow.
 */
export function lookupOn(plan: QueuePlan, offSince: number, at: number): OnLookup {
  const today = dayStateAt(plan, at);
  if (!today.known) return { kind: 'unknown', reason: today.reason };
  const run = knownRunAt(plan, at);
  // Intervals are sorted by start: the last one that began before the return and overlaps the outage.
  const belonged = run.intervals.filter((i) => i.start < at && i.end > offSince).pop();
  let comparison: Extract<OnLookup, { kind: 'known' }>['comparison'] = null;
  // An outage that runs past the known days has no known end to compare with.
  if (belonged && belonged.end < run.end) {
    const deltaMs = at - belonged.end;
    const verdict = Math.abs(deltaMs) <= ON_TIME_TOLERANCE_MS ? 'on-time' : deltaMs > 0 ? 'later' : 'earlier';
    comparison = { deltaMs, verdict, ...describe(belonged, run) };
  }
  return { kind: 'known', comparison, next: nextOutage(plan, at, today.end) };
}

/** The run of known days `at` falls in, on a day the plan knows: knownRuns puts every known day in one. */
function knownRunAt(plan: QueuePlan, at: number): PlanRun {
  const run = runAt(plan, at);
  if (!run) throw new Error(`the plan of queue ${plan.queue} knows the day of ${new Date(at).toISOString()} but has no run for it`);
  return run;
}

function nextOutage(plan: QueuePlan, at: number, todayEnd: number): NextOutage {
  const tomorrow = followingDay(plan, dayStateAt(plan, at));
  const horizon = tomorrow.known ? tomorrow.end : todayEnd;
  const run = knownRunAt(plan, at);
  const next = run.intervals.find((i) => i.start > at && i.start < horizon);
  if (next) return { kind: 'next', tomorrow: next.start >= todayEnd, ...describe(next, run) };
  return tomorrow.known ? { kind: 'none' } : { kind: 'none-today' };
}

/**
 * The next planned (not possible) outage that starts after `now`, for warnings. An outage that
 * starts at the very beginning of the known days is skipped: it may be the continuation of one
 * already under way, and a warning about it could be wrong.
 */
export function nextPlannedStart(plan: QueuePlan, now: number): PlannedOutage | null {
  for (const run of plan.runs) {
    if (run.end <= now) continue;
    const next = run.intervals.find((i) => i.kind === 'planned' && i.start > now && i.start !== run.start);
    if (next) return describe(next, run);
  }
  return null;
}

/** The planned outage to warn about now with `leadMs` notice (15/30/60 min), if any. */
export function warningDue(plan: QueuePlan, now: number, leadMs: number): PlannedOutage | null {
  if (leadMs <= 0) return null;
  const next = nextPlannedStart(plan, now);
  return next && next.interval.start - leadMs <= now ? next : null;
}

/** Warnings at night (23:00–07:00 local) go out silently. */
export function isNightTime(ms: number, zone: string): boolean {
  const hour = DateTime.fromMillis(ms, { zone }).hour;
  return hour >= 23 || hour < 7;
}

/** The intervals of today and tomorrow (relative to `now`) whose plan is known, for change posts. */
export function watchedDays(plan: QueuePlan, now: number): { day: string; role: 'today' | 'tomorrow'; intervals: PlanInterval[] }[] {
  const today = dayStateAt(plan, now);
  const tomorrow = followingDay(plan, today);
  const out: { day: string; role: 'today' | 'tomorrow'; intervals: PlanInterval[] }[] = [];
  if (today.known) out.push({ day: today.day, role: 'today', intervals: today.intervals });
  if (tomorrow.known) out.push({ day: tomorrow.day, role: 'tomorrow', intervals: tomorrow.intervals });
  return out;
}

/** A stretch of the place's power history (`end` null while it lasts). */
export interface PowerSpan {
  status: 'on' | 'off' | 'unknown';
  start: number;
  end: number | null;
}

/**
 * Planned outages that did not happen: planned intervals, already over at `now`, during which the
 * place was watched and had power the whole time ("за графіком, але світло було").
 */
export function plannedButPowerOn(intervals: readonly PlanInterval[], power: readonly PowerSpan[], now: number): PlanInterval[] {
  const on = power.filter((s) => s.status === 'on').sort((a, b) => a.start - b.start);
  return intervals.filter((interval) => {
    if (interval.kind !== 'planned' || interval.end > now) return false;
    let covered = interval.start;
    for (const span of on) {
      const end = span.end ?? now;
      if (span.start > covered) break;
      if (end > covered) covered = end;
      if (covered >= interval.end) return true;
    }
    return false;
  });
}

function describe(interval: PlanInterval, run: PlanRun): PlannedOutage {
  return { interval, openEnd: interval.end >= run.end, openStart: interval.start <= run.start };
}
