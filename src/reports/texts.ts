import { DateTime } from 'luxon';
import { escapeHtml } from '../i18n/escape-html.js';
import type { Translate } from '../i18n/translator.js';
import { formatDuration, IN_HOURS } from '../i18n/duration.js';
import type { MonthRef, Period, StatsPeriod } from './periods.js';
import type { Comparison, DaysSummary, MonthlySummary, PeriodTotals, WeeklySummary } from './summary.js';
import { CAPTION_LIMIT, fitHtml, MESSAGE_LIMIT } from '../i18n/telegram-text.js';

/**
 * The words of the reports, as Fluent messages (report-* in locales/) and their variables: a
 * report is a list of lines, each a message key with its variables, rendered with the channel's
 * translator. Durations, days and month names are formatted here through the same translator.
 * Pure: nothing is read or sent here.
 */

export type ReportVariables = Record<string, string | number>;

export interface ReportLine {
  key: string;
  variables: ReportVariables;
}

export interface ReportTextContext {
  /** As the user typed it; escaped here, since the texts are HTML. */
  placeName: string;
  timeZone: string;
  t: Translate;
}

/** Outage time left out of a plan below this is rounding, not news. */
const MEANINGFUL_MS = 60_000;

/** The one-message weekly summary (Monday morning, for the week that just ended). */
export function weeklySummaryLines(summary: WeeklySummary, context: ReportTextContext): ReportLine[] {
  return [
    line('report-weekly-title', { place: escapeHtml(context.placeName), range: formatDayRange(summary.week, context) }),
    ...bodyLines(summary.totals, context),
    ...comparisonLines('week', summary.comparison, context),
  ];
}

/** The caption of the monthly report's picture. */
export function monthlyCaptionLines(summary: MonthlySummary, context: ReportTextContext): ReportLine[] {
  const body = bodyLines(summary.totals, context);
  const worst = summary.worstDay;
  // Right after the longest outage, before the share of the month with power.
  const afterLongest = body.findIndex((candidate) => candidate.key === 'report-longest') + 1;
  if (worst && afterLongest > 0) {
    body.splice(afterLongest, 0, line('report-worst-day', { day: formatDay(DateTime.fromISO(worst.date, { zone: context.timeZone }).toMillis(), context), duration: formatDuration(worst.offMs, context.t, IN_HOURS) }));
  }
  return [
    line('report-monthly-title', { place: escapeHtml(context.placeName), month: formatMonthName(summary.month, context.t) }),
    ...body,
    ...comparisonLines('month', summary.comparison, context),
  ];
}

/** The answer to /stats for a period: its totals (the picture goes with it). */
export function statsCaptionLines(summary: DaysSummary, period: StatsPeriod, context: ReportTextContext): ReportLine[] {
  const range = period.kind === 'last-month' && period.month ? formatMonthName(period.month, context.t) : formatDayRange(period, context);
  return [line('report-stats-title', { place: escapeHtml(context.placeName), range }), ...bodyLines(summary.totals, context)];
}

/** Renders report lines with the translator, one per line. */
export function renderReportLines(lines: readonly ReportLine[], t: Translate): string {
  return lines.map((entry) => t(entry.key, entry.variables)).join('\n');
}

export function formatWeeklySummary(summary: WeeklySummary, context: ReportTextContext): string {
  return fitHtml(renderReportLines(weeklySummaryLines(summary, context), context.t), MESSAGE_LIMIT);
}

export function formatMonthlyCaption(summary: MonthlySummary, context: ReportTextContext): string {
  return fitHtml(renderReportLines(monthlyCaptionLines(summary, context), context.t), CAPTION_LIMIT);
}

export function formatStatsCaption(summary: DaysSummary, period: StatsPeriod, context: ReportTextContext): string {
  return fitHtml(renderReportLines(statsCaptionLines(summary, period, context), context.t), CAPTION_LIMIT);
}

/** Totals, the longest outage, the share with power, unknown time, plan vs fact. */
function bodyLines(totals: PeriodTotals, context: ReportTextContext): ReportLine[] {
  const { t } = context;
  if (totals.knownMs === 0) return [line('report-no-data', {})];
  const lines: ReportLine[] = [];
  if (totals.outages === 0 || totals.longest === null) {
    lines.push(line('report-no-outages', {}));
  } else {
    lines.push(line('report-off-total', { duration: formatDuration(totals.offMs, t, IN_HOURS), outages: totals.outages }));
    lines.push(
      line('report-longest', {
        duration: formatDuration(totals.longest.ms, t, IN_HOURS),
        day: formatDay(totals.longest.start, context),
        time: DateTime.fromMillis(totals.longest.start, { zone: context.timeZone }).toFormat('HH:mm'),
      }),
    );
    lines.push(line('report-power-share', { share: sharePercent(totals) }));
  }
  if (totals.unknownMs >= MEANINGFUL_MS) lines.push(line('report-unknown', { duration: formatDuration(totals.unknownMs, t, IN_HOURS) }));
  const plan = totals.plan;
  if (plan && (plan.plannedMs > 0 || plan.possibleMs > 0)) {
    lines.push(
      line('report-plan', {
        planned: formatDuration(plan.plannedMs, t, IN_HOURS),
        possible: plan.possibleMs > 0 ? formatDuration(plan.possibleMs, t, IN_HOURS) : 'none',
        actual: formatDuration(totals.offMs, t, IN_HOURS),
      }),
    );
  }
  if (plan && plan.offOutsidePlanMs >= MEANINGFUL_MS) {
    lines.push(line('report-plan-outside', { duration: formatDuration(plan.offOutsidePlanMs, t, IN_HOURS) }));
  }
  return lines;
}

/**
 * This period against the one before: the change in time without power, or, when either
 * period knew too little for totals to compare, only the share of the time with power then.
 */
function comparisonLines(period: 'week' | 'month', comparison: Comparison | null, context: ReportTextContext): ReportLine[] {
  if (!comparison) return [];
  if (comparison.partial) {
    return [line(`report-compare-${period}-partial`, { share: sharePercent({ onMs: comparison.previousOnMs, offMs: comparison.previousOffMs }) })];
  }
  // Within a minute reads as "as much as before": the totals are shown to the minute.
  const direction = Math.abs(comparison.offMsDelta) < MEANINGFUL_MS ? 'same' : comparison.offMsDelta < 0 ? 'less' : 'more';
  return [
    line(`report-compare-${period}`, {
      direction,
      delta: formatDuration(Math.abs(comparison.offMsDelta), context.t, IN_HOURS),
      previous: formatDuration(comparison.previousOffMs, context.t, IN_HOURS),
    }),
  ];
}

/**
 * The share of known time with power, in percent: whole percents, except that a period with
 * any outage never reads 100 % and one with any power never reads 0 % (one decimal instead).
 */
export function sharePercent(totals: Pick<PeriodTotals, 'onMs' | 'offMs'>): number {
  const known = totals.onMs + totals.offMs;
  if (known === 0) return 0;
  const percent = (totals.onMs / known) * 100;
  const whole = Math.round(percent);
  if (whole === 100 && totals.offMs > 0) return Math.min(99.9, Math.floor(percent * 10) / 10);
  if (whole === 0 && totals.onMs > 0) return Math.max(0.1, Math.ceil(percent * 10) / 10);
  return whole;
}

/** "17–23 листопада", "27 жовтня – 2 листопада": the local days of a period, last day included. */
export function formatDayRange(period: Period, context: Pick<ReportTextContext, 'timeZone' | 't'>): string {
  const first = DateTime.fromMillis(period.from, { zone: context.timeZone });
  const last = DateTime.fromMillis(period.to - 1, { zone: context.timeZone });
  const lastText = formatDate(last, context.t);
  if (first.hasSame(last, 'day')) return lastText;
  if (first.hasSame(last, 'month')) return `${first.day}–${lastText}`;
  return `${formatDate(first, context.t)} – ${lastText}`;
}

/** "чт, 20 листопада" / "Thu 20 Nov". */
export function formatDay(instant: number, context: Pick<ReportTextContext, 'timeZone' | 't'>): string {
  const local = DateTime.fromMillis(instant, { zone: context.timeZone });
  return context.t('report-day', { weekday: context.t('report-weekday', { weekday: local.weekday }), date: formatDate(local, context.t) });
}

/** "Листопад 2025" / "November 2025". */
export function formatMonthName(month: MonthRef, t: Translate): string {
  return t('report-month-name', { month: month.month, year: String(month.year) });
}

function formatDate(local: DateTime, t: Translate): string {
  return t('report-date', { day: local.day, month: local.month });
}

function line(key: string, variables: ReportVariables): ReportLine {
  return { key, variables };
}
