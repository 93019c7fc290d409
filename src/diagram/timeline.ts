import { DateTime } from 'luxon';

/**
 * The week as the diagram shows it: 7 local calendar days ending with today, each split into
 * contiguous on/off/unknown segments for the time already lived, and the part of today still
 * ahead of `now` kept apart as the future. "Unknown" thus only ever means the service did not
 * know (before the place existed, the service down, paused). Pure: the clock and the time zone
 * come in as values. The month picture of the reports reuses the per-day split below.
 */

export type PowerStatus = 'on' | 'off' | 'unknown';

/** What a piece of a day bar shows: a power state (known or not), or time not lived yet. */
export type BarKind = PowerStatus | 'future';

/** A stored power state. UTC milliseconds; `endedAt` null means it is still the current state. */
export interface PowerInterval {
  status: PowerStatus;
  startedAt: number;
  endedAt: number | null;
  /** Its start was confirmed by a device that sees the mains (not inferred from silence). */
  confirmed?: boolean;
}

/** Where a change a device confirmed lies on the week's bars. */
export interface ConfirmedEdge {
  /** Index into `days`. */
  dayIndex: number;
  /** Hours from that day's local midnight. */
  hour: number;
  status: PowerStatus;
}

/** Hours are real elapsed time from local midnight, so a DST day spans 0..23 or 0..25. */
export interface DaySegment {
  status: PowerStatus;
  startHour: number;
  endHour: number;
}

/** The part of a day after `now`: [startHour, endHour), endHour being the day's length. */
export interface FutureSpan {
  startHour: number;
  endHour: number;
}

/** One local calendar day split at `now` into what happened and what is still ahead. */
export interface DaySplit {
  /** yyyy-MM-dd in the local time zone. */
  date: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 24, or 23 / 25 on daylight-saving days. */
  hoursInDay: number;
  /**
   * The lived part of the day: contiguous, covering 0..(future?.startHour ?? hoursInDay),
   * adjacent segments never share a status. Empty for a day wholly in the future.
   */
  segments: DaySegment[];
  /** The part of the day after `now`; null for a day that is over. */
  future: FutureSpan | null;
  offMs: number;
  /** Outages touching this day (one crossing midnight counts on both days). */
  outages: number;
}

export interface DayTimeline extends DaySplit {
  /** The day lies in the ISO week before the one containing today (drawn dimmed). */
  inPreviousWeek: boolean;
  isToday: boolean;
}

/** A piece of a day bar as drawn: the segments, then the future, covering 0..hoursInDay. */
export interface BarPiece {
  kind: BarKind;
  startHour: number;
  endHour: number;
}

export interface WeekTimeline {
  /** Always 7 days, oldest first, today last. */
  days: DayTimeline[];
  totals: { offMs: number; outages: number; longestOffMs: number };
  /** Start of the oldest day (local midnight), UTC ms. */
  rangeStart: number;
  /** End of today (next local midnight), UTC ms. */
  rangeEnd: number;
  /** The changes in the week that a device confirmed (drawn as a small mark on the bar). */
  confirmedEdges: ConfirmedEdge[];
}

export interface WeekTimelineInput {
  intervals: PowerInterval[];
  placeCreatedAt: number;
  now: number;
  timeZone: string;
}

const HOUR_MS = 3_600_000;
export const DAYS_IN_WINDOW = 7;

/** A run of one power state, UTC ms, end exclusive. */
export interface PowerRun {
  status: PowerStatus;
  start: number;
  end: number;
}

export function buildWeekTimeline(input: WeekTimelineInput): WeekTimeline {
  const { intervals, placeCreatedAt, now, timeZone } = input;
  const nowLocal = zonedTime(now, timeZone, 'the week timeline');
  const todayStart = nowLocal.startOf('day');
  const thisWeekStart = todayStart.startOf('week').toMillis();

  const dayStarts: DateTime[] = [];
  for (let back = DAYS_IN_WINDOW - 1; back >= 0; back--) {
    dayStarts.push(todayStart.minus({ days: back }).startOf('day'));
  }
  const rangeStart = todayStart.minus({ days: DAYS_IN_WINDOW - 1 }).startOf('day').toMillis(); // the first of dayStarts
  const rangeEnd = todayStart.plus({ days: 1 }).startOf('day').toMillis();

  const runs = knownRuns(intervals, { from: rangeStart, to: rangeEnd, now, placeCreatedAt });

  const days = dayStarts.map((start, index): DayTimeline => ({
    ...splitDay(runs, start, now),
    inPreviousWeek: start.toMillis() < thisWeekStart,
    isToday: index === DAYS_IN_WINDOW - 1,
  }));

  const offRuns = runs.filter((run) => run.status === 'off');
  const confirmedEdges: ConfirmedEdge[] = [];
  for (const interval of intervals) {
    if (!interval.confirmed || interval.startedAt < rangeStart || interval.startedAt >= Math.min(now, rangeEnd)) continue;
    const dayIndex = dayStarts.findLastIndex((start) => start.toMillis() <= interval.startedAt);
    const dayStart = dayStarts[dayIndex];
    if (!dayStart) continue;
    confirmedEdges.push({ dayIndex, hour: (interval.startedAt - dayStart.toMillis()) / HOUR_MS, status: interval.status });
  }
  return {
    confirmedEdges,
    days,
    totals: {
      offMs: sumLengths(offRuns),
      outages: offRuns.length,
      longestOffMs: offRuns.reduce((longest, run) => Math.max(longest, run.end - run.start), 0),
    },
    rangeStart,
    rangeEnd,
  };
}

/** `ms` in the zone, or a clear error naming what was being built when the zone is invalid. */
export function zonedTime(ms: number, timeZone: string, what: string): DateTime {
  const time = DateTime.fromMillis(ms, { zone: timeZone });
  if (!time.isValid) {
    throw new Error(`Cannot build ${what}: invalid time zone "${timeZone}" (${time.invalidExplanation ?? time.invalidReason})`);
  }
  return time;
}

export interface KnownRange {
  from: number;
  to: number;
  now: number;
  placeCreatedAt: number;
}

/**
 * The recorded states inside [from, to), sorted, disjoint, touching runs of one status joined.
 * Time before the place existed and after `now` is left out; so is time no interval covers.
 * Unknown intervals (the service down, paused) stay in as 'unknown' runs.
 */
export function knownRuns(intervals: PowerInterval[], range: KnownRange): PowerRun[] {
  const knownFrom = Math.max(range.from, range.placeCreatedAt);
  const knownTo = Math.min(range.to, range.now);
  return mergeAdjacent(resolveOverlaps(intervals, knownFrom, knownTo, range.now));
}

/**
 * One local day (starting at `start`, a local midnight) cut out of the runs: gaps filled as
 * unknown up to `now`, the rest of the day after `now` as the future.
 */
export function splitDay(runs: PowerRun[], start: DateTime, now: number): DaySplit {
  const dayStart = start.toMillis();
  const dayEnd = start.plus({ days: 1 }).startOf('day').toMillis();
  const livedEnd = Math.min(Math.max(now, dayStart), dayEnd);
  const spans = fillDay(runs, dayStart, livedEnd);
  const offSpans = spans.filter((span) => span.status === 'off');
  const hoursInDay = (dayEnd - dayStart) / HOUR_MS;
  return {
    date: start.toISODate() ?? '',
    weekday: start.weekday,
    hoursInDay,
    segments: spans.map((span) => ({
      status: span.status,
      startHour: (span.start - dayStart) / HOUR_MS,
      endHour: (span.end - dayStart) / HOUR_MS,
    })),
    future: livedEnd < dayEnd ? { startHour: (livedEnd - dayStart) / HOUR_MS, endHour: hoursInDay } : null,
    offMs: sumLengths(offSpans),
    outages: offSpans.length,
  };
}

/** The whole bar of a day as drawn, left to right: the lived segments, then the future. */
export function barPieces(day: DaySplit): BarPiece[] {
  const pieces: BarPiece[] = day.segments.map((segment) => ({ kind: segment.status, startHour: segment.startHour, endHour: segment.endHour }));
  if (day.future) pieces.push({ kind: 'future', startHour: day.future.startHour, endHour: day.future.endHour });
  return pieces;
}

/**
 * Clips the intervals to [from, to) and makes them disjoint: where two overlap, the one that
 * started later wins (it is the newer knowledge, e.g. an outage recorded over a stale "on").
 * Returns spans sorted by start. Gaps between them are unknown time.
 */
function resolveOverlaps(intervals: PowerInterval[], from: number, to: number, now: number): PowerRun[] {
  const clipped = intervals
    .map((interval, order) => ({
      status: interval.status,
      start: Math.max(interval.startedAt, from),
      end: Math.min(interval.endedAt ?? now, to),
      startedAt: interval.startedAt,
      order,
    }))
    .filter((interval) => interval.end > interval.start)
    // Equal starts: the one given later wins, like a later write.
    .sort((a, b) => a.startedAt - b.startedAt || a.order - b.order);

  const painted: PowerRun[] = [];
  for (const next of clipped) {
    // Everything painted so far started no later than `next`, so only the tail can overlap it.
    const displaced: PowerRun[] = [];
    for (let last = painted.at(-1); last && last.end > next.start; last = painted.at(-1)) {
      painted.pop();
      displaced.unshift(last);
    }
    const tails: PowerRun[] = [];
    for (const span of displaced) {
      if (span.start < next.start) painted.push({ ...span, end: next.start });
      if (span.end > next.end) tails.push({ ...span, start: Math.max(span.start, next.end) });
    }
    painted.push({ status: next.status, start: next.start, end: next.end });
    painted.push(...tails);
  }
  return painted;
}

/** Joins touching spans of the same status, so an outage recorded in two pieces is one outage. */
function mergeAdjacent(spans: PowerRun[]): PowerRun[] {
  const merged: PowerRun[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && last.status === span.status && last.end === span.start) {
      last.end = span.end;
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** The day's part of the runs, with the gaps filled as unknown, covering [dayStart, dayEnd). */
function fillDay(runs: PowerRun[], dayStart: number, dayEnd: number): PowerRun[] {
  const spans: PowerRun[] = [];
  const push = (status: PowerStatus, start: number, end: number): void => {
    if (end <= start) return;
    const last = spans[spans.length - 1];
    if (last && last.status === status && last.end === start) last.end = end;
    else spans.push({ status, start, end });
  };
  let cursor = dayStart;
  for (const run of runs) {
    if (run.end <= dayStart) continue;
    if (run.start >= dayEnd) break;
    const start = Math.max(run.start, dayStart);
    push('unknown', cursor, start);
    cursor = Math.min(run.end, dayEnd);
    push(run.status, start, cursor);
  }
  push('unknown', cursor, dayEnd);
  return spans;
}

export function sumLengths(spans: readonly { start: number; end: number }[]): number {
  return spans.reduce((total, span) => total + (span.end - span.start), 0);
}
