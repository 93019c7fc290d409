import type { Alert } from '../outbox/payload-parts.js';
import { formatDuration } from '../i18n/duration.js';
import { escapeHtml } from '../i18n/escape-html.js';
import { fitList, MESSAGE_LIMIT } from '../i18n/telegram-text.js';
import { localTime } from '../i18n/time-text.js';
import type { Translate } from '../i18n/translator.js';

/**
 * The one post at the end of a snooze: what happened while notifications were off, and where
 * things stand now. Nothing happened: no post at all.
 *
 *   🔕 Поки сповіщення були вимкнені: 🔴 14:02–🟢 16:40, не було 2 год 38 хв
 *   📍 Дача
 *   Зараз: 🟢 світло є з 16:40
 *
 * Integration: with what `SnoozeStore.end` or `.hold` returned, the outbox owner calls
 * `summarizeSnooze(ended.alerts, { placeName, timeZone, now, t })` once per language it posts in
 * (the place's channel language, each subscriber's own), and queues the text as an alert-priority
 * post to the same destinations and recipients an alert of the place goes to; null: queue nothing.
 * The admin's snooze buttons offer `SNOOZE_HOURS`, and `snoozeUntil(now, hours)` is the end.
 */

export const SNOOZE_HOURS = [1, 3, 12] as const;
export type SnoozeHours = (typeof SNOOZE_HOURS)[number];

const HOUR = 3_600_000;

export function snoozeUntil(now: number, hours: SnoozeHours): number {
  return now + hours * HOUR;
}

/** Past this many lines the oldest are folded into "…and N earlier" (a 12-hour flap stays readable). */
export const SNOOZE_SUMMARY_MAX_LINES = 15;

/** What the summary is written for: the place, in one language, at one moment (an alert's context fits). */
export interface SnoozeSummaryContext {
  placeName: string;
  timeZone: string;
  now: number;
  t: Translate;
}

export interface SnoozeSummary {
  /** HTML, as alerts are. */
  text: string;
  /** The state the last change left the place in. */
  state: { status: 'on' | 'off'; since: number };
}

/** One line of the summary: an outage with its return, or a change without its pair. */
type Line =
  | { kind: 'outage'; from: number; to: number; offMs: number }
  | { kind: 'off'; at: number; notBefore?: number }
  | { kind: 'on'; at: number; offMs: number }
  | { kind: 'short'; from: number; to: number };

export function summarizeSnooze(alerts: readonly Alert[], context: SnoozeSummaryContext): SnoozeSummary | null {
  const last = alerts[alerts.length - 1];
  if (!last) return null;
  const { t } = context;
  const time = (ms: number) => localTime(ms, context);
  const lines = pairUp(alerts).map((line) => {
    switch (line.kind) {
      case 'outage':
        return t('people-snooze-outage', { from: time(line.from), to: time(line.to), duration: formatDuration(line.offMs, t) });
      case 'off':
        return line.notBefore === undefined
          ? t('people-snooze-off', { time: time(line.at) })
          : t('people-snooze-off-between', { from: time(line.notBefore), to: time(line.at) });
      case 'on':
        return t('people-snooze-on', { time: time(line.at), duration: formatDuration(line.offMs, t) });
      case 'short':
        return t('people-snooze-short', { from: time(line.from), to: time(line.to) });
    }
  });
  const base = Math.max(0, lines.length - SNOOZE_SUMMARY_MAX_LINES);
  const state = stateAfter(last);
  const now = t(state.status === 'on' ? 'people-snooze-now-on' : 'people-snooze-now-off', { since: time(state.since) });
  const place = escapeHtml(context.placeName);
  // Fewer lines still when they would not fit in one message (a long name, long lines).
  const text = fitList(
    lines.slice(base),
    (kept, more) => {
      const hidden = base + more;
      const shown = hidden > 0 ? [t('people-snooze-earlier', { count: hidden }), ...kept] : kept;
      const [only] = shown;
      return only !== undefined && shown.length === 1
        ? t('people-snooze-summary-one', { change: only, place, now })
        : t('people-snooze-summary', { changes: shown.join('\n'), place, now });
    },
    MESSAGE_LIMIT,
  );
  return { text, state };
}

/** An outage and its return read as one line; a change whose pair fell outside the snooze stands alone. */
function pairUp(alerts: readonly Alert[]): Line[] {
  const lines: Line[] = [];
  for (const alert of alerts) {
    const previous = lines[lines.length - 1];
    switch (alert.kind) {
      case 'power_off':
        lines.push(alert.notBefore === undefined ? { kind: 'off', at: alert.at } : { kind: 'off', at: alert.at, notBefore: alert.notBefore });
        break;
      case 'power_on':
        if (previous?.kind === 'off' && previous.notBefore === undefined) {
          lines[lines.length - 1] = { kind: 'outage', from: previous.at, to: alert.at, offMs: alert.offMs };
        } else {
          lines.push({ kind: 'on', at: alert.at, offMs: alert.offMs });
        }
        break;
      case 'short_outage':
        lines.push({ kind: 'short', from: alert.from, to: alert.to });
        break;
    }
  }
  return lines;
}

function stateAfter(alert: Alert): SnoozeSummary['state'] {
  switch (alert.kind) {
    case 'power_off':
      return { status: 'off', since: alert.at };
    case 'power_on':
      return { status: 'on', since: alert.at };
    case 'short_outage':
      return { status: 'on', since: alert.to };
  }
}
