import { DateTime } from 'luxon';
import type { ReportKind } from '../db/schema.js';
import { zonedTime } from '../diagram/timeline.js';
import { lastFullMonth, lastFullWeek, monthContaining, monthPeriod, previousMonth, previousWeek, weekContaining, type MonthRef, type Period } from './periods.js';

/**
 * When the weekly summary and the monthly report are due, and whether a place gets one: pure,
 * with the instant and the zone passed in. A report is due at 09:00 local on the day its period
 * ended (Monday for the week, the 1st for the month), computed with Luxon in the zone, so it is
 * 09:00 on the wall clock whatever the clocks did that week.
 *
 * After a restart the latest due report is still posted if it is not too old (CATCH_UP_MS), once:
 * what was queued is remembered per place and period (report-store.ts). A report missed for
 * longer is left out (the admins can ask /stats), and so is one whose period ended before the
 * place existed.
 */

export type { ReportKind };
export const REPORT_KINDS: readonly ReportKind[] = ['weekly', 'monthly'];

/** Local hour of the day reports go out. */
export const REPORT_HOUR = 9;

/**
 * How late a missed report is still posted: a week's summary until Wednesday 09:00 (later it
 * would be read as news about the current week), a month's report during the first week.
 */
export const CATCH_UP_MS: Readonly<Record<ReportKind, number>> = { weekly: 48 * 3_600_000, monthly: 7 * 24 * 3_600_000 };

export interface DueReport {
  kind: ReportKind;
  period: Period;
  /** The period as stored and queued: the week's Monday (yyyy-MM-dd) or the month (yyyy-MM). */
  key: string;
  /** 09:00 local on the day after the period. */
  dueAt: number;
}

/** 09:00 local on the day that starts at `dayStart` (a local midnight). */
export function reportTimeOn(dayStart: number, timeZone: string): number {
  return zonedTime(dayStart, timeZone, 'the report time').startOf('day').set({ hour: REPORT_HOUR }).toMillis();
}

/** The latest report of `kind` whose time has come at `now`: its period is over and 09:00 passed. */
export function latestDue(kind: ReportKind, now: number, timeZone: string): DueReport {
  if (kind === 'weekly') {
    let week = lastFullWeek(now, timeZone);
    if (reportTimeOn(week.to, timeZone) > now) week = previousWeek(week, timeZone);
    return { kind, period: week, key: periodKey(kind, week, timeZone), dueAt: reportTimeOn(week.to, timeZone) };
  }
  let month = lastFullMonth(now, timeZone);
  if (reportTimeOn(month.to, timeZone) > now) month = previousMonth(month, timeZone);
  return { kind, period: month, key: periodKey(kind, month, timeZone), dueAt: reportTimeOn(month.to, timeZone) };
}

/** The next time (strictly after `now`) a report of either kind is due. */
export function nextReportTime(now: number, timeZone: string): number {
  const week = weekContaining(now, timeZone);
  const monday = reportTimeOn(week.from, timeZone);
  const weekly = monday > now ? monday : reportTimeOn(week.to, timeZone);
  const month = monthContaining(now, timeZone);
  const first = reportTimeOn(month.from, timeZone);
  const monthly = first > now ? first : reportTimeOn(month.to, timeZone);
  return Math.min(weekly, monthly);
}

/** What the schedule knows of a place when deciding. */
export interface ReportCandidate {
  createdAt: number;
  paused: boolean;
  /** Someone to send it to: the place's channel with the report switched on, or a subscriber. */
  hasTarget: boolean;
}

export type ReportDecision = 'queue' | 'paused' | 'too-new' | 'too-late' | 'no-target';

/** Whether the place gets the due report now (whether it already got it is the store's to say). */
export function decideReport(due: DueReport, place: ReportCandidate, now: number): ReportDecision {
  if (place.paused) return 'paused';
  // Added after the period ended: there is nothing of it to report.
  if (place.createdAt >= due.period.to) return 'too-new';
  if (now - due.dueAt > CATCH_UP_MS[due.kind]) return 'too-late';
  if (!place.hasTarget) return 'no-target';
  return 'queue';
}

export function periodKey(kind: ReportKind, period: Period, timeZone: string): string {
  const start = zonedTime(period.from, timeZone, 'the report period');
  return kind === 'weekly' ? (start.toISODate() ?? '') : start.toFormat('yyyy-MM');
}

/** The week that begins on the Monday `key` (yyyy-MM-dd); throws on anything else. */
export function weekOfKey(key: string, timeZone: string): Period {
  const monday = DateTime.fromISO(key, { zone: timeZone });
  if (!/^\d{4}-\d\d-\d\d$/.test(key) || !monday.isValid || monday.weekday !== 1) {
    throw new Error(`"${key}" is not the Monday of a week (yyyy-MM-dd)`);
  }
  return weekContaining(monday.toMillis(), timeZone);
}

/** The month `key` (yyyy-MM); throws on anything else. */
export function monthOfKey(key: string): MonthRef {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (!match) throw new Error(`"${key}" is not a month (yyyy-MM)`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** The month `key` as a period in the zone. */
export function monthPeriodOfKey(key: string, timeZone: string): Period {
  return monthPeriod(monthOfKey(key), timeZone);
}
