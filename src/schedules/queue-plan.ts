import { mergeIntervals } from './plan.js';
import type { PlanInterval } from '../outbox/payload-parts.js';
import { daysOfQueue, type DayEntry, type ScheduleSnapshot } from './snapshot.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Why the plan for a moment is not known. "Never lie with a stale plan": each of these makes the
 * plan line disappear from posts; none of them ever reads as "no outages planned".
 * - never-fetched: no good copy of the source yet;
 * - fetch-failing: the source has not been reached for too long;
 * - source-stale: the source's own "as of" time is too old;
 * - queue-missing: the source does not list the place's queue;
 * - day-missing: the source has nothing for that day (not published yet, or already dropped);
 * - waiting: the supplier says the day's schedule is not out yet;
 * - emergency: emergency cuts replace the schedule that day;
 * - unreadable: the day held values this code refuses to guess at.
 */
export type UnknownReason =
  | 'never-fetched'
  | 'fetch-failing'
  | 'source-stale'
  | 'queue-missing'
  | 'day-missing'
  | 'waiting'
  | 'emergency'
  | 'unreadable';

/** The last good copy of a source, as the poller keeps it. */
export interface SourceCopy {
  snapshot: ScheduleSnapshot;
  /** Last successful contact with the source (a 200 or a 304), UTC ms. */
  fetchedAt: number;
  /** When this content was first stored; stands in for "as of" when the source gives none. */
  changedAt: number;
}

/** How polling the source has gone lately. */
export interface FetchRecord {
  /** Failed attempts since the last success. */
  failures: number;
  lastError: string | null;
  lastAttemptAt: number | null;
}

export interface FreshnessRules {
  /** A source whose own "as of" time is older than this is stale (~2 days). */
  maxDataAgeMs: number;
  /** No successful contact for this long counts as a failing source. */
  maxSilenceMs: number;
}

export const MAX_DATA_AGE_MS = 2 * DAY;

/**
 * The rules for a poll interval: ~2 days for the data, and three missed polls (at least 30 min)
 * before a failing source drops the plan line, so one network blip does not hide the plan.
 */
export function freshnessRules(pollMs: number): FreshnessRules {
  return { maxDataAgeMs: MAX_DATA_AGE_MS, maxSilenceMs: Math.max(3 * pollMs, 30 * MINUTE) };
}

/** What the admin card shows about a source: can it be trusted now, and if not, why. */
export interface SourceStatus {
  usable: boolean;
  reason: Extract<UnknownReason, 'never-fetched' | 'fetch-failing' | 'source-stale'> | null;
  /** The source's own "as of" time (or when its content was first seen), UTC ms. */
  asOf: number | null;
  /** now − asOf, never negative; null without a copy. */
  dataAgeMs: number | null;
  fetchedAt: number | null;
  failures: number;
  lastError: string | null;
}

export function sourceStatus(copy: SourceCopy | undefined, record: FetchRecord, now: number, rules: FreshnessRules): SourceStatus {
  const asOf = copy ? (copy.snapshot.asOf ?? copy.changedAt) : null;
  const base = {
    asOf,
    dataAgeMs: asOf === null ? null : Math.max(0, now - asOf),
    fetchedAt: copy?.fetchedAt ?? null,
    failures: record.failures,
    lastError: record.lastError,
  };
  if (!copy) return { ...base, usable: false, reason: record.failures > 0 ? 'fetch-failing' : 'never-fetched' };
  if (now - copy.fetchedAt > rules.maxSilenceMs) return { ...base, usable: false, reason: 'fetch-failing' };
  if (base.dataAgeMs !== null && base.dataAgeMs > rules.maxDataAgeMs) return { ...base, usable: false, reason: 'source-stale' };
  return { ...base, usable: true, reason: null };
}

/** Consecutive known days of a queue with their intervals merged across midnight. */
export interface PlanRun {
  start: number;
  end: number;
  intervals: PlanInterval[];
}

/** One queue's plan as lookups need it: its days, and whether any of it can be trusted. */
export interface QueuePlan {
  queue: string;
  source: SourceStatus;
  /** Set when nothing can be trusted (source or queue problem): every day is unknown for this reason. */
  blocked: UnknownReason | null;
  /** The queue's days from the copy, sorted (empty when blocked). */
  days: DayEntry[];
  runs: PlanRun[];
}

export function buildQueuePlan(copy: SourceCopy | undefined, record: FetchRecord, queue: string, now: number, rules: FreshnessRules): QueuePlan {
  const source = sourceStatus(copy, record, now, rules);
  // A usable source has a copy: without one its reason is never-fetched or fetch-failing.
  if (!source.usable || !copy) return { queue, source, blocked: source.reason, days: [], runs: [] };
  const { snapshot } = copy;
  if (!snapshot.queues.some((q) => q.id === queue)) return { queue, source, blocked: 'queue-missing', days: [], runs: [] };
  const days = daysOfQueue(snapshot, queue);
  return { queue, source, blocked: null, days, runs: knownRuns(days) };
}

function knownRuns(days: readonly DayEntry[]): PlanRun[] {
  const runs: { start: number; end: number; intervals: PlanInterval[] }[] = [];
  for (const day of days) {
    if (day.status !== 'plan') continue;
    const last = runs[runs.length - 1];
    if (last && last.end === day.start) {
      last.end = day.end;
      last.intervals.push(...day.intervals);
    } else {
      runs.push({ start: day.start, end: day.end, intervals: [...day.intervals] });
    }
  }
  return runs.map((run) => ({ ...run, intervals: mergeIntervals(run.intervals) }));
}

export type DayState =
  | { known: true; day: string; start: number; end: number; intervals: PlanInterval[] }
  | { known: false; reason: UnknownReason; day: string | null; start: number | null; end: number | null };

/** What the plan says about the local day that contains `t`. */
export function dayStateAt(plan: QueuePlan, t: number): DayState {
  return toState(plan, plan.days.find((d) => d.start <= t && t < d.end));
}

/** What the plan says about a local day (yyyy-MM-dd). */
export function dayStateOf(plan: QueuePlan, day: string): DayState {
  return toState(plan, plan.days.find((d) => d.day === day), day);
}

/** The day that begins when `state` ends, if the copy has it. */
export function followingDay(plan: QueuePlan, state: DayState): DayState {
  if (state.end === null) return toState(plan, undefined);
  return toState(plan, plan.days.find((d) => d.start === state.end));
}

function toState(plan: QueuePlan, entry: DayEntry | undefined, day: string | null = null): DayState {
  const bounds = { day: entry?.day ?? day, start: entry?.start ?? null, end: entry?.end ?? null };
  if (plan.blocked) return { known: false, reason: plan.blocked, ...bounds };
  if (!entry) return { known: false, reason: 'day-missing', ...bounds };
  switch (entry.status) {
    case 'plan':
      return { known: true, day: entry.day, start: entry.start, end: entry.end, intervals: entry.intervals };
    case 'waiting':
    case 'emergency':
    case 'unreadable':
      return { known: false, reason: entry.status, day: entry.day, start: entry.start, end: entry.end };
  }
}

/** The run of known days containing `t`. */
export function runAt(plan: QueuePlan, t: number): PlanRun | undefined {
  return plan.runs.find((r) => r.start <= t && t < r.end);
}
