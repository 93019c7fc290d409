import type { Translate } from './translator.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Lengths under 10 minutes keep their seconds: "2 хв" for 93 s would hide a third of it. */
const SECONDS_SHOWN_BELOW = 10 * MINUTE;

export interface DurationOptions {
  /**
   * Past a day, count whole days ("2 d 5 h", the default) or stay in hours ("53 h 10 min", for
   * weekly and monthly totals, where hours read easier).
   */
  days?: boolean;
}

/**
 * A length of time in words. Under 10 minutes to the second ("1 хв 33 с", "45 с", "5 хв"), from
 * there to the nearest minute ("3 год 12 хв"), and past a day in days and hours ("2 д 5 год")
 * unless `days: false`. The one duration formatter of the service: alerts, menus, the diagram
 * and the reports. Units are the duration-* messages of the locale.
 */
export function formatDuration(ms: number, t: Translate, options: DurationOptions = {}): string {
  const seconds = Math.round(Math.max(0, ms) / SECOND);
  if (seconds * SECOND < SECONDS_SHOWN_BELOW) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    const parts: string[] = [];
    if (minutes > 0) parts.push(t('duration-minutes', { n: minutes }));
    if (rest > 0 || minutes === 0) parts.push(t('duration-seconds', { n: rest }));
    return parts.join(' ');
  }
  const minutesTotal = Math.round(seconds / 60);
  const days = options.days === false ? 0 : Math.floor(minutesTotal / (DAY / MINUTE));
  const hours = Math.floor((minutesTotal - days * (DAY / MINUTE)) / 60);
  const minutes = minutesTotal % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(t('duration-days', { n: days }));
  if (hours > 0) parts.push(t('duration-hours', { n: hours }));
  if (minutes > 0 && days === 0) parts.push(t('duration-minutes', { n: minutes }));
  return parts.join(' ');
}

/** Totals of a week or a month: "52 год 10 хв" reads easier there than "2 д 4 год". */
export const IN_HOURS: DurationOptions = { days: false };
