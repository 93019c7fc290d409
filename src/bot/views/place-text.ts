import { DateTime } from 'luxon';
import type { Place } from '../../places/place-service.js';
import type { IntervalStatus } from '../../db/schema.js';
import { heartbeatIntervalFor } from '../../devices/esp32-config.js';
import { localTime } from '../../i18n/time-text.js';
import { formatDuration, IN_HOURS } from '../../i18n/duration.js';
import { channelLabel } from '../../places/channel-titles.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import type { Locale, Translate } from '../../i18n/translator.js';
import type { PlaceScheduleView } from '../../schedules/schedule-service.js';
import { scheduleCardLines, skippedEventLine } from './schedule-text.js';

/** What every view of a place needs besides the place: the moment and where it is shown. */
export interface ViewContext {
  now: number;
  timeZone: string;
  t: Translate;
  defaultChannelId: string | undefined;
  /** The last known title of a channel, so it is named by it rather than by its id. */
  channelTitle?: (chatId: string) => string | null;
}

/** The view context of this moment for a translator: how features get one. */
export type ViewOf = (t: Translate) => ViewContext;

const BUTTON_NAME_MAX = 28;

/** A place's timeout as people say it: "5 хв", "1 год", "90 с" → "1 хв 30 с" (never "300 с"). */
export function timeoutText(timeoutS: number, t: Translate): string {
  return formatDuration(timeoutS * 1000, t, IN_HOURS);
}

export function statusEmoji(place: Pick<Place, 'status' | 'paused'>): string {
  if (place.paused) return '⏸';
  return place.status === 'on' ? '🟢' : place.status === 'off' ? '🔴' : '⚪';
}

/** A place as one button of the main menu: "⚠️🔴 Dacha · 3 h 12 min". Buttons are plain text. */
export function placeButtonLabel(place: Place, view: ViewContext): string {
  const warning = place.alerting_failed ? '⚠️' : '';
  const name = [...place.name].length > BUTTON_NAME_MAX ? `${[...place.name].slice(0, BUTTON_NAME_MAX - 1).join('')}…` : place.name;
  const since = place.status_since === null ? '' : ` · ${formatDuration(view.now - place.status_since, view.t)}`;
  return `${warning}${statusEmoji(place)} ${name}${since}`;
}

/** The text above the main menu (HTML). */
export function mainMenuText(places: readonly Pick<Place, 'alerting_failed'>[], view: ViewContext): string {
  const { t } = view;
  const lines = [t('main-title', { count: places.length })];
  if (places.length === 0) lines.push(t('main-empty'));
  else lines.push(t('main-hint'));
  const failing = places.filter((place) => place.alerting_failed).length;
  if (failing > 0) lines.push(t('main-failing', { count: failing }));
  return lines.join('\n');
}

/** A place's outage schedule as its card shows it (the reader's language names the region). */
export interface CardSchedule {
  schedule: PlaceScheduleView | null;
  locale: Locale;
}

/** Status, device facts and settings of one place, and its outage schedule when given (HTML; the name is escaped). */
export function placeDetailsText(place: Place, view: ViewContext, schedule?: CardSchedule): string {
  const { t, now } = view;
  const time = (ms: number) => localTime(ms, view);
  const lines = [t('place-title', { name: escapeHtml(place.name) })];
  if (place.paused) lines.push(t('place-paused'));
  if (place.status_since === null) lines.push(t('place-status-waiting'));
  else {
    lines.push(
      t(`place-status-${place.status}`, { duration: formatDuration(now - place.status_since, t), since: time(place.status_since) }),
    );
  }
  if (place.awaiting_key_since !== null) lines.push(t('place-awaiting-key', { since: time(place.awaiting_key_since) }));
  if (place.previous_key_until !== null) lines.push(t('place-old-key-until', { until: time(place.previous_key_until) }));
  if (place.last_heartbeat_at === null) lines.push(t('place-no-heartbeat'));
  else lines.push(t('place-last-heartbeat', { time: time(place.last_heartbeat_at), ago: formatDuration(now - place.last_heartbeat_at, t) }));
  const facts = deviceFacts(place, t);
  if (facts) lines.push(t('place-device', { facts }));
  lines.push(t('place-timeout', { timeout: timeoutText(place.timeout_s, t), interval: heartbeatIntervalFor(place.timeout_s) }));
  lines.push(channelLine(place.channel_id, view));
  lines.push(t('place-language', { language: t(`language-name-${place.language}`) }));
  if (schedule) lines.push(...scheduleCardLines(schedule.schedule, view, schedule.locale));
  if (place.alerting_failed) lines.push(t('place-alerting-failed', { reason: escapeHtml(place.alerting_error ?? '?') }));
  return lines.join('\n');
}

/** Where a place's alerts go: its own channel, the default one, or nowhere. */
export function channelLine(channelId: string | null, view: Pick<ViewContext, 't' | 'defaultChannelId' | 'channelTitle'>): string {
  const { t } = view;
  const label = (chatId: string) => channelLabel(chatId, view.channelTitle?.(chatId), t);
  if (channelId) return t('place-channel', { channel: label(channelId) });
  if (view.defaultChannelId) return t('place-channel-default', { channel: label(view.defaultChannelId) });
  return t('place-channel-none');
}

function deviceFacts(place: Place, t: Translate): string {
  const facts: string[] = [];
  if (place.device_fw) facts.push(t('place-device-fw', { fw: escapeHtml(place.device_fw) }));
  if (place.device_rssi !== null) facts.push(t('place-device-rssi', { rssi: place.device_rssi }));
  if (place.device_uptime_ms !== null) facts.push(t('place-device-uptime', { uptime: formatDuration(place.device_uptime_ms, t) }));
  if (place.device_ip) facts.push(t('place-device-ip', { ip: escapeHtml(place.device_ip) }));
  return facts.join(' · ');
}

export interface PowerInterval {
  status: IntervalStatus;
  started_at: number;
  ended_at: number | null;
}

/** A planned outage that did not happen (the place's power stayed on through it). */
export interface SkippedOutage {
  starts_at: number;
  ends_at: number;
}

/**
 * The last power intervals, newest first, in local time (HTML), with the planned outages that
 * did not happen among them by start time.
 */
export function recentEventsText(placeName: string, intervals: PowerInterval[], view: ViewContext, skipped: readonly SkippedOutage[] = []): string {
  const { t, now } = view;
  const lines = [t('events-title', { name: escapeHtml(placeName) })];
  if (intervals.length === 0 && skipped.length === 0) lines.push(t('events-none'));
  const entries = [
    ...intervals.map((interval) => ({ start: interval.started_at, interval })),
    ...skipped.map((skip) => ({ start: skip.starts_at, skip })),
  ].sort((a, b) => b.start - a.start);
  for (const entry of entries) {
    if ('skip' in entry) {
      lines.push(skippedEventLine(entry.skip, view.timeZone, t));
      continue;
    }
    const { interval } = entry;
    const emoji = interval.status === 'on' ? '🟢' : interval.status === 'off' ? '🔴' : '⚪';
    const from = dayAndTime(interval.started_at, view.timeZone);
    const what = t(`event-status-${interval.status}`);
    lines.push(
      interval.ended_at === null
        ? t('events-line-open', { emoji, what, from, duration: formatDuration(now - interval.started_at, t) })
        : t('events-line-closed', { emoji, what, from, to: localTime(interval.ended_at, { timeZone: view.timeZone, now: interval.started_at }), duration: formatDuration(interval.ended_at - interval.started_at, t) }),
    );
  }
  lines.push(t('events-zone', { zone: view.timeZone }));
  return lines.join('\n');
}

function dayAndTime(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toFormat('dd.MM HH:mm');
}
