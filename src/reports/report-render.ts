import { performance } from 'node:perf_hooks';
import type { PowerInterval } from '../diagram/timeline.js';
import type { Locale, Translate } from '../i18n/translator.js';
import { renderPicturePng } from './month-picture.js';
import { monthPeriod, previousMonth, statsPeriod, type MonthRef, type StatsPeriodKind } from './periods.js';
import { pictureLabels } from './picture-labels.js';
import type { PlannedInterval } from './plan.js';
import { summarizeDays, summarizeMonth, type DaysSummary, type ReportInput } from './summary.js';
import { formatDayRange, formatMonthlyCaption, formatMonthName, formatStatsCaption } from './texts.js';

/**
 * A report render request as the render worker takes it: read the place and its intervals
 * through the functions given (the worker's read-only connection), summarise, draw the month
 * picture and write its caption. Everything but the reads is pure.
 */

/** A calendar month (the monthly report), or one of the /stats periods ending today. */
export type ReportPeriodRequest = ({ kind: 'month' } & MonthRef) | { kind: StatsPeriodKind };

export interface ReportRenderRequest {
  /** Matches the answer to the request. */
  id: number;
  placeId: number;
  period: ReportPeriodRequest;
  /** The instant the report shows as "now" (the main thread's clock). */
  now: number;
  timeZone: string;
  /**
   * The language of the picture and caption: the reader's (an admin asking /stats in their
   * chat). Absent for posts to the place's channel, which are in the place's own language.
   */
  language?: Locale;
}

export interface ReportPlace {
  name: string;
  language: Locale;
  createdAt: number;
}

/** Where a report's data comes from; the render worker backs these with its SQLite reads. */
export interface ReportSource {
  place(placeId: number): ReportPlace | undefined;
  /** The place's power_events overlapping [from, to). */
  intervals(placeId: number, from: number, to: number): PowerInterval[];
  /** The place's published outage plan over [from, to); undefined when it follows none. */
  plan?(placeId: number, from: number, to: number): PlannedInterval[] | undefined;
  translator(locale: Locale): Translate;
}

/** A rendered report as the main thread gets it: the picture of a period with its caption (HTML), in the language asked for. */
export interface RenderedReportImage {
  png: Buffer;
  caption: string;
  /** False when nothing was known in the period: the caption then says so, the picture is only grey. */
  hasData: boolean;
  renderMs: number;
}

export interface RenderedReport {
  png: Buffer;
  /** HTML caption for the photo, in the place's language. */
  caption: string;
  summary: DaysSummary;
  renderMs: number;
}

/** Whether a report knows anything: with no known time, totals and picture are only "no data". */
export function reportHasData(summary: DaysSummary): boolean {
  return summary.totals.knownMs > 0;
}

export type ReportRenderAnswer =
  | { type: 'report-rendered'; id: number; png: ArrayBuffer; caption: string; hasData: boolean; renderMs: number }
  | { type: 'report-failed'; id: number; error: string };

export function renderReport(request: ReportRenderRequest, source: ReportSource): RenderedReport {
  const started = performance.now();
  const place = source.place(request.placeId);
  if (!place) throw new Error(`there is no place with id ${request.placeId}`);
  const t = source.translator(request.language ?? place.language);
  const { timeZone, now } = request;
  const context = { placeName: place.name, timeZone, t };

  const read = (from: number, to: number): ReportInput => {
    const plan = source.plan?.(request.placeId, from, to);
    return {
      intervals: source.intervals(request.placeId, from, to),
      placeCreatedAt: place.createdAt,
      now,
      timeZone,
      ...(plan ? { plan } : {}),
    };
  };

  let summary: DaysSummary;
  let caption: string;
  let periodTitle: string;
  if (request.period.kind === 'month') {
    const month = monthPeriod(request.period, timeZone);
    // The month before is read too, to compare with.
    const monthly = summarizeMonth(read(previousMonth(month, timeZone).from, month.to), month);
    summary = monthly;
    caption = formatMonthlyCaption(monthly, context);
    periodTitle = formatMonthName(month, t);
  } else {
    const period = statsPeriod(request.period.kind, now, timeZone);
    summary = summarizeDays(read(period.from, period.to), period);
    caption = formatStatsCaption(summary, period, context);
    periodTitle = period.kind === 'last-month' && period.month ? formatMonthName(period.month, t) : formatDayRange(period, context);
  }

  const labels = pictureLabels({ placeName: place.name, periodTitle, totals: summary.totals, days: summary.days, t });
  const png = renderPicturePng({ days: summary.days, now, timeZone }, labels);
  return { png, caption, summary, renderMs: performance.now() - started };
}

/**
 * The render worker's answer to a report request: the PNG in a fresh ArrayBuffer to transfer
 * (the canvas' own buffer may be pooled), or the reason it failed. Never throws.
 */
export function answerReportRequest(request: ReportRenderRequest, source: ReportSource): [ReportRenderAnswer, ArrayBuffer[]] {
  try {
    const report = renderReport(request, source);
    const bytes = new Uint8Array(report.png.byteLength);
    bytes.set(report.png);
    return [{ type: 'report-rendered', id: request.id, png: bytes.buffer, caption: report.caption, hasData: reportHasData(report.summary), renderMs: report.renderMs }, [bytes.buffer]];
  } catch (error) {
    return [{ type: 'report-failed', id: request.id, error: error instanceof Error ? error.message : String(error) }, []];
  }
}
