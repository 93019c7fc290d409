import { DateTime } from 'luxon';
import { zonedTime } from '../diagram/timeline.js';

/**
 * The spans of time reports cover, as [from, to) in UTC ms, always cut at local midnights so a
 * report is made of whole local days: a week is Monday 00:00 to Monday 00:00 (167 or 169 hours
 * when the clocks change), a month runs from the 1st 00:00 to the next 1st 00:00. Pure: the
 * instant and the zone come in as values.
 */

export interface Period {
  from: number;
  to: number;
}

/** A calendar month: month is 1 = January … 12 = December. */
export interface MonthRef {
  year: number;
  month: number;
}

export interface MonthPeriod extends Period, MonthRef {}

/** The periods /stats offers. */
export const STATS_PERIODS = ['7-days', '30-days', 'this-month', 'last-month'] as const;
export type StatsPeriodKind = (typeof STATS_PERIODS)[number];

export interface StatsPeriod extends Period {
  kind: StatsPeriodKind;
  /** Set for the calendar-month kinds, whose title names the month rather than the days. */
  month: MonthRef | null;
}

/** The week (Monday 00:00 to the next Monday 00:00, local) that contains the instant. */
export function weekContaining(instant: number, timeZone: string): Period {
  const monday = zonedTime(instant, timeZone, 'the week').startOf('week');
  return { from: monday.toMillis(), to: monday.plus({ weeks: 1 }).startOf('day').toMillis() };
}

/** The last week that is over at `now`: on Monday 09:00 that is the week that ended at 00:00. */
export function lastFullWeek(now: number, timeZone: string): Period {
  return previousWeek(weekContaining(now, timeZone), timeZone);
}

/** The week before a week. */
export function previousWeek(week: Period, timeZone: string): Period {
  const monday = zonedTime(week.from, timeZone, 'the previous week').minus({ weeks: 1 }).startOf('day');
  return { from: monday.toMillis(), to: week.from };
}

/** A calendar month in the zone. */
export function monthPeriod(month: MonthRef, timeZone: string): MonthPeriod {
  if (!Number.isInteger(month.year) || !Number.isInteger(month.month) || month.month < 1 || month.month > 12) {
    throw new Error(`Cannot make a month period of year ${month.year}, month ${month.month}: the month must be a whole number 1–12`);
  }
  zonedTime(0, timeZone, 'the month period'); // a clear error for a bad zone
  const first = DateTime.fromObject({ year: month.year, month: month.month, day: 1 }, { zone: timeZone });
  return { year: month.year, month: month.month, from: first.toMillis(), to: first.plus({ months: 1 }).startOf('day').toMillis() };
}

/** The month that contains the instant. */
export function monthContaining(instant: number, timeZone: string): MonthPeriod {
  const local = zonedTime(instant, timeZone, 'the month');
  return monthPeriod({ year: local.year, month: local.month }, timeZone);
}

/** The last month that is over at `now`: on the 1st that is the month that ended at 00:00. */
export function lastFullMonth(now: number, timeZone: string): MonthPeriod {
  return previousMonth(monthContaining(now, timeZone), timeZone);
}

export function previousMonth(month: MonthRef, timeZone: string): MonthPeriod {
  return month.month === 1 ? monthPeriod({ year: month.year - 1, month: 12 }, timeZone) : monthPeriod({ year: month.year, month: month.month - 1 }, timeZone);
}

/**
 * A /stats period as whole local days ending with today: "7 days" and "30 days" are today and
 * the 6 (29) days before it; "this month" runs from the 1st to the end of today (the days ahead
 * are not drawn); "last month" is the whole previous calendar month.
 */
export function statsPeriod(kind: StatsPeriodKind, now: number, timeZone: string): StatsPeriod {
  const today = zonedTime(now, timeZone, 'the stats period').startOf('day');
  const tomorrow = today.plus({ days: 1 }).startOf('day').toMillis();
  switch (kind) {
    case '7-days':
      return { kind, month: null, from: today.minus({ days: 6 }).startOf('day').toMillis(), to: tomorrow };
    case '30-days':
      return { kind, month: null, from: today.minus({ days: 29 }).startOf('day').toMillis(), to: tomorrow };
    case 'this-month': {
      const month = monthContaining(now, timeZone);
      return { kind, month: { year: month.year, month: month.month }, from: month.from, to: tomorrow };
    }
    case 'last-month': {
      const month = lastFullMonth(now, timeZone);
      return { kind, month: { year: month.year, month: month.month }, from: month.from, to: month.to };
    }
  }
}

export function isStatsPeriodKind(value: string): value is StatsPeriodKind {
  return (STATS_PERIODS as readonly string[]).includes(value);
}

/**
 * The local midnights starting each day of a period. The period must begin and end at local
 * midnights (every period above does); anything else is a caller's mistake, said plainly.
 */
export function daysOf(period: Period, timeZone: string): DateTime[] {
  const first = zonedTime(period.from, timeZone, 'the days of a period');
  if (first.toMillis() !== first.startOf('day').toMillis()) {
    throw new Error(`A report period must start at a local midnight in ${timeZone}; ${first.toISO()} does not`);
  }
  const days: DateTime[] = [];
  let day = first;
  while (day.toMillis() < period.to) {
    days.push(day);
    day = day.plus({ days: 1 }).startOf('day');
  }
  if (day.toMillis() !== period.to) {
    throw new Error(`A report period must end at a local midnight in ${timeZone}; ${zonedTime(period.to, timeZone, 'the days of a period').toISO()} does not`);
  }
  return days;
}
