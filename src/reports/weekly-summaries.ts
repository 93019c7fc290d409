import type { Clock } from '../clock.js';
import type { PowerEventRow } from '../history/power-event-store.js';
import { translatorFor, type Locale, type TranslationSource } from '../i18n/translator.js';
import { previousWeek, type Period } from './periods.js';
import type { PlanHistory } from './plan.js';
import { summarizeWeek } from './summary.js';
import { formatWeeklySummary } from './texts.js';

export interface WeeklySummaryPlace {
  name: string;
  language: Locale;
  created_at: number;
}

export interface WeeklySummariesDeps {
  /** The place, or undefined when it is gone. */
  place: (placeId: number) => Promise<WeeklySummaryPlace | undefined>;
  /** The place's power intervals overlapping [from, to) (PlaceService.eventsBetween). */
  events: (placeId: number, from: number, to: number) => Promise<PowerEventRow[]>;
  /** The plan seam: planned outages from the schedules feature, when it keeps them. */
  plans?: PlanHistory | undefined;
  i18n: TranslationSource;
  clock: Clock;
  timeZone: string;
}

/** Writes a weekly summary; the weekly deliverer asks for one when its turn comes. */
export interface WeeklySummarySource {
  /** The summary of `week` in `locale` (the place's own when absent); null when nothing of it is known. */
  weeklyText(placeId: number, week: Period, locale?: Locale): Promise<string | null>;
}

/**
 * The weekly summary's text of one place: reads the week and the one before (a handful of
 * intervals, on the main thread: no picture to draw), summarises them and writes the message.
 */
export class WeeklySummaries implements WeeklySummarySource {
  constructor(private readonly deps: WeeklySummariesDeps) {}

  async weeklyText(placeId: number, week: Period, locale?: Locale): Promise<string | null> {
    const { timeZone } = this.deps;
    const place = await this.deps.place(placeId);
    if (!place) return null;
    const from = previousWeek(week, timeZone).from;
    const events = await this.deps.events(placeId, from, week.to);
    const plan = this.deps.plans?.plannedBetween(placeId, from, week.to);
    const summary = summarizeWeek(
      {
        intervals: events.map((event) => ({ status: event.status, startedAt: event.started_at, endedAt: event.ended_at })),
        placeCreatedAt: place.created_at,
        now: this.deps.clock.now(),
        timeZone,
        ...(plan ? { plan } : {}),
      },
      week,
    );
    if (summary.totals.knownMs === 0) return null;
    return formatWeeklySummary(summary, { placeName: place.name, timeZone, t: translatorFor(this.deps.i18n, locale ?? place.language) });
  }
}
