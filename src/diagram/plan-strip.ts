import { DateTime } from 'luxon';
import type { DiagramPlan } from '../schedules/plan.js';
import type { PlanKind } from '../outbox/payload-parts.js';
import type { WeekTimeline } from './timeline.js';

/**
 * The outage schedule under the weekly diagram: how the plan of the place's queue for the week
 * (DiagramPlan, worked out by the schedules on the main thread, which hold the parsed copy; the
 * render worker parses nothing) falls on the day bars. Pure: plain values in, plain values out.
 */

/** A piece of a day's plan strip, in hours from local midnight (real elapsed time, like the bars). */
export interface PlanPiece {
  kind: PlanKind;
  startHour: number;
  endHour: number;
}

export interface DayPlanStrip {
  /** The day's plan is known: its strip is drawn (empty of pieces when nothing was planned). */
  known: boolean;
  pieces: PlanPiece[];
  /** Probable outages of a day not published, in its part still ahead (weekly schedule). */
  probable?: PlanPiece[];
}

export interface WeekPlan {
  /** One per day of the week, oldest first, like WeekTimeline.days. */
  days: DayPlanStrip[];
  /** Planned (not possible) outage time of the known days, up to now: set against the real off time. */
  plannedMs: number;
  /** Whether any known day had possible outages (the legend names them only then). */
  hasPossible: boolean;
}

const HOUR_MS = 3_600_000;

/** The plan cut into the week's days; null when no day of the week has a known plan. */
export function weekPlan(week: WeekTimeline, plan: DiagramPlan | undefined, timeZone: string): WeekPlan | null {
  if (!plan) return null;
  const known = new Set(plan.knownDays);
  const probable = plan.probable ?? [];
  if (!week.days.some((day) => known.has(day.date)) && probable.length === 0) return null;
  let plannedMs = 0;
  let hasPossible = false;
  const days = week.days.map((day): DayPlanStrip => {
    const dayStart = DateTime.fromISO(day.date, { zone: timeZone }).startOf('day').toMillis();
    const dayEnd = dayStart + day.hoursInDay * HOUR_MS;
    const livedEnd = dayStart + (day.future?.startHour ?? day.hoursInDay) * HOUR_MS;
    if (!known.has(day.date)) {
      // Only the future part: a weekly template says nothing about what already happened.
      const ahead = probable.flatMap((interval): PlanPiece[] => {
        const start = Math.max(interval.start, livedEnd);
        const end = Math.min(interval.end, dayEnd);
        return end > start ? [{ kind: 'possible', startHour: (start - dayStart) / HOUR_MS, endHour: (end - dayStart) / HOUR_MS }] : [];
      });
      return ahead.length > 0 ? { known: false, pieces: [], probable: ahead } : { known: false, pieces: [] };
    }
    const pieces: PlanPiece[] = [];
    for (const interval of plan.intervals) {
      const start = Math.max(interval.start, dayStart);
      const end = Math.min(interval.end, dayEnd);
      if (end <= start) continue;
      pieces.push({ kind: interval.kind, startHour: (start - dayStart) / HOUR_MS, endHour: (end - dayStart) / HOUR_MS });
      if (interval.kind === 'planned') plannedMs += Math.max(0, Math.min(end, livedEnd) - start);
      else hasPossible = true;
    }
    pieces.sort((a, b) => a.startHour - b.startHour);
    return { known: true, pieces };
  });
  return { days, plannedMs, hasPossible };
}
