import { knownRuns, splitDay, sumLengths, type DaySplit, type PowerInterval, type PowerRun } from '../diagram/timeline.js';
import { daysOf, lastFullMonth, lastFullWeek, previousMonth, previousWeek, type MonthPeriod, type Period } from './periods.js';
import { comparePlan, type PlanComparison, type PlannedInterval } from './plan.js';

/**
 * Week, month and day-range summaries of one place, from its recorded power intervals. Only
 * KNOWN time counts: time before the place existed, while the service was down or the place
 * paused (unknown intervals), and time no interval covers is neither power nor outage, and
 * time after `now` is the future. Pure: the clock and the zone come in as values.
 */

export interface ReportInput {
  /** The place's power_events overlapping the periods asked for (as the render worker reads them). */
  intervals: PowerInterval[];
  placeCreatedAt: number;
  now: number;
  timeZone: string;
  /** The published outage schedule over the same periods; absent when the place follows none. */
  plan?: readonly PlannedInterval[];
}

/** An outage as seen inside a period: cut at the period's edges and at `now`. */
export interface Outage {
  start: number;
  end: number;
  ms: number;
}

export interface PeriodTotals extends Period {
  /** to − from: 168 hours for most weeks, 167 or 169 across a clock change. */
  lengthMs: number;
  onMs: number;
  offMs: number;
  /** onMs + offMs: the time the service knew the state. */
  knownMs: number;
  /** Lived time the service did not know: before the place existed, service down, paused. */
  unknownMs: number;
  /** Time of the period after `now`. */
  futureMs: number;
  /** Outages touching the period (one across its start counts here and in the period before). */
  outages: number;
  longest: Outage | null;
  /** onMs / knownMs, 0..1; null when nothing is known. */
  powerShare: number | null;
  /** Plan vs fact over the lived part of the period; null without a plan. */
  plan: PlanComparison | null;
}

/** This period against the one before. */
export interface Comparison {
  /** Outage time now minus then: negative means less time without power. */
  offMsDelta: number;
  outagesDelta: number;
  previousOnMs: number;
  previousOffMs: number;
  previousOutages: number;
  /**
   * Either period knew the state for less than PARTIAL_BELOW of its lived time (a place added
   * mid-week, the service down for long): then totals do not compare, only shares do.
   */
  partial: boolean;
}

export interface WeeklySummary {
  week: Period;
  totals: PeriodTotals;
  previous: PeriodTotals;
  /** Null when either week knows nothing to compare. */
  comparison: Comparison | null;
}

export interface DayReport extends DaySplit {
  onMs: number;
  unknownMs: number;
  futureMs: number;
  plan: PlanComparison | null;
}

export interface DaysSummary {
  totals: PeriodTotals;
  /** One per local day of the period, oldest first. */
  days: DayReport[];
}

export interface MonthlySummary extends DaysSummary {
  month: MonthPeriod;
  previous: PeriodTotals;
  comparison: Comparison | null;
  /** The day with the most time without power (the earliest of equals); null without outages. */
  worstDay: DayReport | null;
}

/** Below this share of known time, a comparison is flagged as resting on incomplete data. */
export const PARTIAL_BELOW = 0.9;

export function summarizePeriod(input: ReportInput, period: Period): PeriodTotals {
  return totalsOf(input, period, runsOf(input, period));
}

/** The week that is over at `now` (Monday 00:00 to Monday 00:00), unless another is given. */
export function summarizeWeek(input: ReportInput, week: Period = lastFullWeek(input.now, input.timeZone)): WeeklySummary {
  const totals = summarizePeriod(input, week);
  const previous = summarizePeriod(input, previousWeek(week, input.timeZone));
  return { week, totals, previous, comparison: compare(totals, previous) };
}

/** Totals and one row per local day; the period must run from a local midnight to one. */
export function summarizeDays(input: ReportInput, period: Period): DaysSummary {
  const runs = runsOf(input, period);
  const days = daysOf(period, input.timeZone).map((start): DayReport => {
    const split = splitDay(runs, start, input.now);
    const dayStart = start.toMillis();
    const dayEnd = start.plus({ days: 1 }).startOf('day').toMillis();
    const livedEnd = Math.min(dayEnd, Math.max(dayStart, input.now));
    const onMs = timeIn(runs, 'on', dayStart, livedEnd);
    return {
      ...split,
      onMs,
      unknownMs: livedEnd - dayStart - onMs - split.offMs,
      futureMs: dayEnd - livedEnd,
      plan: input.plan ? comparePlan(input.plan, runs, { from: dayStart, to: livedEnd }) : null,
    };
  });
  return { totals: totalsOf(input, period, runs), days };
}

/** The month that is over at `now`, unless another is given, with its days and the month before. */
export function summarizeMonth(input: ReportInput, month: MonthPeriod = lastFullMonth(input.now, input.timeZone)): MonthlySummary {
  const { totals, days } = summarizeDays(input, month);
  const previous = summarizePeriod(input, previousMonth(month, input.timeZone));
  const worstDay = days.reduce<DayReport | null>((worst, day) => (day.offMs > (worst?.offMs ?? 0) ? day : worst), null);
  return { month, totals, days, previous, comparison: compare(totals, previous), worstDay };
}

/** Time the runs spend in one status inside [from, to). */
function timeIn(runs: PowerRun[], status: PowerRun['status'], from: number, to: number): number {
  return runs
    .filter((run) => run.status === status)
    .reduce((sum, run) => sum + Math.max(0, Math.min(run.end, to) - Math.max(run.start, from)), 0);
}

function runsOf(input: ReportInput, period: Period): PowerRun[] {
  if (!(period.to > period.from)) {
    throw new Error(`A report period must end after it starts (from ${new Date(period.from).toISOString()}, to ${new Date(period.to).toISOString()})`);
  }
  return knownRuns(input.intervals, { ...period, now: input.now, placeCreatedAt: input.placeCreatedAt });
}

function totalsOf(input: ReportInput, period: Period, runs: PowerRun[]): PeriodTotals {
  const livedEnd = Math.min(period.to, Math.max(period.from, input.now));
  const offRuns = runs.filter((run) => run.status === 'off');
  const onMs = sumLengths(runs.filter((run) => run.status === 'on'));
  const offMs = sumLengths(offRuns);
  const knownMs = onMs + offMs;
  const longest = offRuns.reduce<PowerRun | null>((best, run) => (best === null || run.end - run.start > best.end - best.start ? run : best), null);
  return {
    from: period.from,
    to: period.to,
    lengthMs: period.to - period.from,
    onMs,
    offMs,
    knownMs,
    unknownMs: livedEnd - period.from - knownMs,
    futureMs: period.to - livedEnd,
    outages: offRuns.length,
    longest: longest ? { start: longest.start, end: longest.end, ms: longest.end - longest.start } : null,
    powerShare: knownMs > 0 ? onMs / knownMs : null,
    plan: input.plan ? comparePlan(input.plan, runs, { from: period.from, to: livedEnd }) : null,
  };
}

function compare(current: PeriodTotals, previous: PeriodTotals): Comparison | null {
  if (current.knownMs === 0 || previous.knownMs === 0) return null;
  const coverage = (totals: PeriodTotals): number => totals.knownMs / (totals.lengthMs - totals.futureMs);
  return {
    offMsDelta: current.offMs - previous.offMs,
    outagesDelta: current.outages - previous.outages,
    previousOnMs: previous.onMs,
    previousOffMs: previous.offMs,
    previousOutages: previous.outages,
    partial: coverage(current) < PARTIAL_BELOW || coverage(previous) < PARTIAL_BELOW,
  };
}
