import type { Translate } from './translator.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface DurationOptions {
  /**
   * Past a day, count whole days ("2 d 5 h", the default) or stay in hours ("53 h 10 min", for
   * weekly totals, where hours read easier).
   */
  days?: boolean;
}

/**
 * A length of time in words, to the minute: "3 год 12 хв" / "3 h 12 min", "2 d 5 h" past a day.
 * Rounds to the nearest minute; under half a minute reads "less than a minute". The one duration
 * formatter of the service: messages, menus and the diagram.
 */
export function formatDuration(ms: number, t: Translate, options: DurationOptions = {}): string {
  const minutesTotal = Math.round(Math.max(0, ms) / MINUTE);
  if (minutesTotal === 0) return t('duration-less-than-minute');
  const days = options.days === false ? 0 : Math.floor(minutesTotal / (DAY / MINUTE));
  const hours = Math.floor((minutesTotal - days * (DAY / MINUTE)) / 60);
  const minutes = minutesTotal % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(t('duration-days', { n: days }));
  if (hours > 0) parts.push(t('duration-hours', { n: hours }));
  if (minutes > 0 && days === 0) parts.push(t('duration-minutes', { n: minutes }));
  return parts.join(' ');
}
