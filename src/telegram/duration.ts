import type { Translate } from './translator.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A length of time in words, to the minute: "3 год 12 хв" / "3 h 12 min", "2 d 5 h" past a day.
 * Rounds to the nearest minute; under half a minute reads "less than a minute".
 */
export function formatDuration(ms: number, t: Translate): string {
  const minutesTotal = Math.round(Math.max(0, ms) / MINUTE);
  if (minutesTotal === 0) return t('duration-less-than-minute');
  const days = Math.floor(minutesTotal / (DAY / MINUTE));
  const hours = Math.floor((minutesTotal % (DAY / MINUTE)) / 60);
  const minutes = minutesTotal % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(t('duration-days', { n: days }));
  if (hours > 0) parts.push(t('duration-hours', { n: hours }));
  if (minutes > 0 && days === 0) parts.push(t('duration-minutes', { n: minutes }));
  return parts.join(' ');
}
