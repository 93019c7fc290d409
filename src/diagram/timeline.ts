import { DateTime } from 'luxon';

/**
 * The week as the diagram shows it: 7 local calendar days ending with today, each split into
 * contiguous on/off/unknown segments. Pure: the clock and the time zone come in as values.
 */

export type PowerStatus = 'on' | 'off' | 'unknown';

/** A stored power state. UTC milliseconds; `endedAt` null means it is still the current state. */
export interface PowerInterval {
  status: PowerStatus;
  startedAt: number;
  endedAt: number | null;
}

/** Hours are real elapsed time from local midnight, so a DST day spans 0..23 or 0..25. */
export interface DaySegment {
  status: PowerStatus;
  startHour: number;
  endHour: number;
}

export interface DayTimeline {
  /** yyyy-MM-dd in the local time zone. */
  date: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 24, or 23 / 25 on daylight-saving days. */
  hoursInDay: number;
  /** Contiguous, covering 0..hoursInDay, adjacent segments never share a status. */
  segments: DaySegment[];
  /** The day lies in the ISO week before the one containing today (drawn dimmed). */
  inPreviousWeek: boolean;
  isToday: boolean;
  offMs: number;
  /** Outages touching this day (one crossing midnight counts on both days). */
  outages: number;
}

export interface WeekTimeline {
  /** Always 7 days, oldest first, today last. */
  days: DayTimeline[];
  totals: { offMs: number; outages: number; longestOffMs: number };
  /** Start of the oldest day (local midnight), UTC ms. */
  rangeStart: number;
  /** End of today (next local midnight), UTC ms. */
  rangeEnd: number;
}

export interface WeekTimelineInput {
  intervals: PowerInterval[];
  locationCreatedAt: number;
  now: number;
  timeZone: string;
}

const HOUR_MS = 3_600_000;
export const DAYS_IN_WINDOW = 7;

/** A span of known state, UTC ms, end exclusive. */
interface Span {
  status: PowerStatus;
  start: number;
  end: number;
}

export function buildWeekTimeline(input: WeekTimelineInput): WeekTimeline {
  const { intervals, locationCreatedAt, now, timeZone } = input;
  const nowLocal = DateTime.fromMillis(now, { zone: timeZone });
  if (!nowLocal.isValid) {
    throw new Error(`Cannot build the week timeline: invalid time zone "${timeZone}" (${nowLocal.invalidExplanation ?? nowLocal.invalidReason})`);
  }
  const todayStart = nowLocal.startOf('day');
  const thisWeekStart = todayStart.startOf('week').toMillis();

  const dayStarts: DateTime[] = [];
  for (let back = DAYS_IN_WINDOW - 1; back >= 0; back--) {
    dayStarts.push(todayStart.minus({ days: back }).startOf('day'));
  }
  const rangeStart = dayStarts[0]!.toMillis();
  const rangeEnd = todayStart.plus({ days: 1 }).startOf('day').toMillis();

  // Known time is what lies inside the window, after the location existed and not in the future.
  const knownFrom = Math.max(rangeStart, locationCreatedAt);
  const knownTo = Math.min(rangeEnd, now);
  const runs = mergeAdjacent(resolveOverlaps(intervals, knownFrom, knownTo, now));

  const days = dayStarts.map((start, index): DayTimeline => {
    const dayStart = start.toMillis();
    const dayEnd = start.plus({ days: 1 }).startOf('day').toMillis();
    const spans = fillDay(runs, dayStart, dayEnd);
    const offSpans = spans.filter((span) => span.status === 'off');
    return {
      date: start.toISODate() ?? '',
      weekday: start.weekday,
      hoursInDay: (dayEnd - dayStart) / HOUR_MS,
      segments: spans.map((span) => ({
        status: span.status,
        startHour: (span.start - dayStart) / HOUR_MS,
        endHour: (span.end - dayStart) / HOUR_MS,
      })),
      inPreviousWeek: dayStart < thisWeekStart,
      isToday: index === DAYS_IN_WINDOW - 1,
      offMs: sumLengths(offSpans),
      outages: offSpans.length,
    };
  });

  const offRuns = runs.filter((run) => run.status === 'off');
  return {
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

/**
 * Clips the intervals to [from, to) and makes them disjoint: where two overlap, the one that
 * started later wins (it is the newer knowledge, e.g. an outage recorded over a stale "on").
 * Returns spans sorted by start. Gaps between them are unknown time.
 */
function resolveOverlaps(intervals: PowerInterval[], from: number, to: number, now: number): Span[] {
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

  const painted: Span[] = [];
  for (const next of clipped) {
    // Everything painted so far started no later than `next`, so only the tail can overlap it.
    const displaced: Span[] = [];
    while (painted.length > 0 && painted[painted.length - 1]!.end > next.start) {
      displaced.unshift(painted.pop()!);
    }
    const tails: Span[] = [];
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
function mergeAdjacent(spans: Span[]): Span[] {
  const merged: Span[] = [];
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
function fillDay(runs: Span[], dayStart: number, dayEnd: number): Span[] {
  const spans: Span[] = [];
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

function sumLengths(spans: Span[]): number {
  return spans.reduce((total, span) => total + (span.end - span.start), 0);
}
