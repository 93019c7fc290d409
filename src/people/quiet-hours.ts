import { DateTime } from 'luxon';
import type { Translate } from '../i18n/translator.js';
import type { QuietHours, QuietWindow } from '../outbox/payload-parts.js';

/**
 * Quiet hours: a daily window of local wall-clock time in which posts go out silently
 * (`disable_notification: true`). Silent only: a post inside the window is delivered at once,
 * never held, delayed or dropped.
 *
 * Integration: the deliverer of a private alert (or of a post to a chat with quiet hours) calls
 * `isQuietAt(window, now, timeZone)` with the moment it hands the message to Telegram — the moment
 * the phone would ring — and sets `disable_notification` when it is true. Windows come from
 * SubscriberStore (`recipients()[i].quiet`) and DestinationStore (`settingsFor().quiet`).
 * The bot's settings use `parseQuietHours` for typed input and `formatQuietHours` to show one.
 */

const MINUTES_PER_DAY = 24 * 60;

/** A new subscriber's nights: 23:00–07:00 local. */
export const DEFAULT_SUBSCRIBER_QUIET_HOURS: QuietWindow = { startMin: 23 * 60, endMin: 7 * 60 };

/** Chats (channels, groups, topics) have no quiet hours until an admin sets them. */
export const DEFAULT_DESTINATION_QUIET_HOURS: QuietHours = null;

export function isMinuteOfDay(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < MINUTES_PER_DAY;
}

/** A window that can be stored: both ends are minutes of the day and it has a length. */
export function isValidWindow(window: QuietWindow): boolean {
  return isMinuteOfDay(window.startMin) && isMinuteOfDay(window.endMin) && window.startMin !== window.endMin;
}

/**
 * Whether `at` falls inside the window, by the local wall clock of `timeZone`. Daylight saving
 * needs nothing special: the window is wall-clock time, so on the 23-hour day in March it is an
 * hour shorter in real time when it spans the jump, on the 25-hour day in October an hour longer,
 * and the repeated hour (03:00–04:00 twice in Kyiv) is inside or outside both times alike.
 */
export function isQuietAt(quiet: QuietHours, at: number, timeZone: string): boolean {
  if (quiet === null) return false;
  const local = DateTime.fromMillis(at, { zone: timeZone });
  if (!local.isValid) throw new Error(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Kyiv.`);
  const minute = local.hour * 60 + local.minute;
  return quiet.startMin < quiet.endMin
    ? minute >= quiet.startMin && minute < quiet.endMin
    : minute >= quiet.startMin || minute < quiet.endMin;
}

/** "23:00–07:00". */
export function formatQuietWindow(window: QuietWindow): string {
  return `${clock(window.startMin)}–${clock(window.endMin)}`;
}

function clock(minuteOfDay: number): string {
  const hours = Math.floor(minuteOfDay / 60);
  const minutes = minuteOfDay % 60;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** Why typed quiet hours were refused: a Fluent key (people-quiet-error-*) says it to the person. */
export type QuietHoursError = 'format' | 'same';

export type ParsedQuietHours = { ok: true; quiet: QuietHours } | { ok: false; error: QuietHoursError };

/** Words that turn quiet hours off, in the languages of the service. */
const OFF_WORDS = new Set(['off', 'no', 'none', 'вимк', 'вимкнути', 'вимкнено', 'ні', 'немає']);

const TIME = String.raw`(\d{1,2})(?:[:.](\d{2}))?`;
const WINDOW = new RegExp(`^${TIME}\\s*(?:-|–|—|до|to)\\s*${TIME}$`, 'i');

/**
 * Quiet hours as a person types them: "23:00-07:00", "23–7", "22.30 до 6.45", or "off"/"вимк".
 * 24:00 as an end is midnight. Anything else is refused with a reason, and nothing is guessed.
 */
export function parseQuietHours(input: string): ParsedQuietHours {
  const text = input.trim().toLowerCase();
  if (OFF_WORDS.has(text)) return { ok: true, quiet: null };
  const match = WINDOW.exec(text);
  if (!match) return { ok: false, error: 'format' };
  const startMin = minuteOf(match[1], match[2]);
  const endMin = minuteOf(match[3], match[4]);
  if (startMin === null || endMin === null) return { ok: false, error: 'format' };
  const window = { startMin: startMin % MINUTES_PER_DAY, endMin: endMin % MINUTES_PER_DAY };
  if (window.startMin === window.endMin) return { ok: false, error: 'same' };
  return { ok: true, quiet: window };
}

function minuteOf(hoursText: string | undefined, minutesText: string | undefined): number | null {
  const hours = Number(hoursText);
  const minutes = minutesText === undefined ? 0 : Number(minutesText);
  if (!Number.isInteger(hours) || !Number.isInteger(minutes) || minutes > 59) return null;
  if (hours === 24 && minutes === 0) return MINUTES_PER_DAY;
  if (hours > 23) return null;
  return hours * 60 + minutes;
}

/** Quiet hours in words for a settings screen: "🌙 23:00–07:00" or "off". */
export function describeQuietHours(quiet: QuietHours, t: Translate): string {
  return quiet === null ? t('people-quiet-off') : t('people-quiet-window', { window: formatQuietWindow(quiet) });
}
