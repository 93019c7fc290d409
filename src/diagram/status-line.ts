import { DateTime } from 'luxon';
import type { LocationsTable } from '../db/schema.js';
import type { Translate } from '../i18n/translator.js';
import { CAPTION_LIMIT, fitHtml } from '../i18n/telegram-text.js';

/**
 * The first line of the pinned diagram's caption: the place's state now and since when
 * ("🟢 Світло є з 14:02", "🔴 Світла немає з 22:10 учора"), so someone opening the channel sees
 * the truth without scrolling. Pure: the state, the instant and the zone come in as values.
 */

export type PlaceState = Pick<LocationsTable, 'status' | 'status_since' | 'paused'>;

export interface StatusLineContext {
  now: number;
  timeZone: string;
  t: Translate;
}

export function statusLine(place: PlaceState, context: StatusLineContext): string {
  const since = place.status_since;
  if (place.paused) return since === null ? context.t('diagram-status-paused-now') : context.t('diagram-status-paused', { since: sinceText(since, context) });
  if (since === null) return context.t('diagram-status-unknown-new');
  switch (place.status) {
    case 'on':
      return context.t('diagram-status-on', { since: sinceText(since, context) });
    case 'off':
      return context.t('diagram-status-off', { since: sinceText(since, context) });
    case 'unknown':
      return context.t('diagram-status-unknown', { since: sinceText(since, context) });
  }
}

/** The status line over the rest of the caption (both HTML), within a caption's 1024 characters. */
export function captionWithStatus(status: string, body: string): string {
  return fitHtml(body === '' ? status : `${status}\n${body}`, CAPTION_LIMIT);
}

/** "14:02" today, "22:10 учора" yesterday, "18 листопада, 14:02" before that. */
export function sinceText(since: number, context: StatusLineContext): string {
  const moment = DateTime.fromMillis(since, { zone: context.timeZone });
  const today = DateTime.fromMillis(context.now, { zone: context.timeZone }).startOf('day');
  const time = moment.toFormat('HH:mm');
  if (moment >= today) return time;
  if (moment >= today.minus({ days: 1 }).startOf('day')) return context.t('diagram-status-since-yesterday', { time });
  return context.t('diagram-status-since-date', { date: context.t('report-date', { day: moment.day, month: moment.month }), time });
}
