import { DateTime } from 'luxon';
import { isoDay } from '../../schedules/local-time.js';
import { dayStateAt, dayStateOf, type DayState } from '../../schedules/queue-plan.js';
import { dayLines, healthLines, intervalText, renderPlanLine } from '../../schedules/plan-text.js';
import type { PlaceSchedule } from '../../schedules/schedule-store.js';
import type { PlaceScheduleView } from '../../schedules/schedule-service.js';
import type { QueueInfo } from '../../outbox/payload-parts.js';
import type { ScheduleSource } from '../../schedules/sources.js';
import type { ProbableDay } from '../../schedules/week-template.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import type { Locale, Translate } from '../../i18n/translator.js';

/** What the schedule lines need of a view (place-text's ViewContext has it). */
interface ScheduleView {
  now: number;
  timeZone: string;
  t: Translate;
}

/** A source as people know it: its region in their language ("Київ (ДТЕК)"), else its id. Plain text. */
export function sourceName(source: ScheduleSource | undefined, sourceId: string, locale: Locale): string {
  return source?.region?.[locale] ?? sourceId;
}

/** A queue on a button: "3.1" for the usual ones (GPV3.1 too), else the source's own name for it. Plain text. */
export function queueButtonLabel(queue: QueueInfo): string {
  return /^(?:GPV)?(\d{1,2}\.\d{1,2})$/i.exec(queue.id)?.[1] ?? queue.label ?? queue.id;
}

/** One page of a list too long for one keyboard: the items with their index in the whole list. */
export function pageOf<T>(items: readonly T[], page: number, size: number): { page: number; pages: number; items: { item: T; index: number }[] } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(0, Math.trunc(page)), pages - 1);
  const start = current * size;
  return { page: current, pages, items: items.slice(start, start + size).map((item, i) => ({ item, index: start + i })) };
}

/**
 * The schedule part of a place's card (HTML): the source and queue with the data's age, or why
 * posts show no plan now; then today's and tomorrow's planned outages in local time, when known.
 */
export function scheduleCardLines(schedule: PlaceScheduleView | null, view: ScheduleView, locale: Locale): string[] {
  const { t } = view;
  if (!schedule) return [t('place-schedule-none')];
  const { settings, source, queue, plan } = schedule;
  if (!source) return [t('place-schedule-gone', { source: escapeHtml(settings.source) })];
  const ctx = { zone: view.timeZone, t };
  const lines = healthLines(plan, sourceName(source, settings.source, locale), queue, view.now, ctx).map((line) => renderPlanLine(line, t));
  if (plan.blocked) return lines;
  const today = dayStateAt(plan, view.now);
  if (today.known) lines.push(dayLine('today', today, view));
  const tomorrow = dayStateOf(plan, isoDay(DateTime.fromMillis(view.now, { zone: view.timeZone }).plus({ days: 1 })));
  if (tomorrow.known) lines.push(dayLine('tomorrow', tomorrow, view));
  else lines.push(t(tomorrow.reason === 'emergency' ? 'place-schedule-tomorrow-emergency' : 'place-schedule-tomorrow-unknown'));
  lines.push(...probableLines(schedule.probable ?? [], view, locale));
  return lines;
}

/**
 * The week ahead from the source's weekly schedule, for the days it has not published, labelled
 * as probable so it is never taken for the plan: "🔮 Ймовірно, за тижневим графіком:" and a line a day.
 */
export function probableLines(days: readonly ProbableDay[], view: ScheduleView, locale: Locale): string[] {
  if (days.length === 0) return [];
  const { t } = view;
  return [
    t('place-schedule-probable'),
    ...days.map((d) => {
      const date = DateTime.fromMillis(d.start, { zone: view.timeZone }).setLocale(locale).toFormat('ccc dd.MM');
      return d.intervals.length === 0
        ? t('place-schedule-probable-day-none', { date })
        : t('place-schedule-probable-day', { date, intervals: d.intervals.map((i) => intervalText(i, view.timeZone)).join(', ') });
    }),
  ];
}

function dayLine(day: 'today' | 'tomorrow', state: Extract<DayState, { known: true }>, view: ScheduleView): string {
  if (state.intervals.length === 0) return view.t('place-schedule-day-none', { day });
  return view.t('place-schedule-day', { day, intervals: dayLines(state.intervals, view.timeZone, view.t('plan-possible-mark')).join(', ') });
}

/** The place's choices about its schedule's posts, for the schedule menu (HTML). */
export function scheduleSettingsLines(settings: PlaceSchedule, t: Translate): string[] {
  return [t('plan-menu-warn', { minutes: settings.warnMinutes }), t('plan-menu-tomorrow', { on: settings.postTomorrow ? 'yes' : 'no' })];
}

/** A planned outage that did not happen, as a line of a place's recent events: "📅 20.11 18:00–21:30 …". */
export function skippedEventLine(skip: { starts_at: number; ends_at: number }, timeZone: string, t: Translate): string {
  const day = DateTime.fromMillis(skip.starts_at, { zone: timeZone }).toFormat('dd.MM');
  const interval = intervalText({ start: skip.starts_at, end: skip.ends_at, kind: 'planned' }, timeZone);
  return t('plan-skipped', { interval: `${day} ${interval}` });
}
