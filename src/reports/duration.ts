import type { Translate } from '../telegram/translator.js';

/**
 * A length of time for reports: under 10 minutes to the second ("1 хв 33 с", "45 с"), from
 * there to the minute ("3 год 12 хв", "52 год"), never in days: weekly and monthly totals read
 * easier in hours. Units come from the report-duration-* messages of the locale.
 */
export function formatReportDuration(ms: number, t: Translate): string {
  const seconds = Math.round(Math.max(0, ms) / 1000);
  if (seconds < SECONDS_SHOWN_BELOW) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    if (seconds === 0) return t('report-duration-minutes', { m: 0 });
    if (minutes === 0) return t('report-duration-seconds', { s: rest });
    if (rest === 0) return t('report-duration-minutes', { m: minutes });
    return t('report-duration-minutes-seconds', { m: minutes, s: rest });
  }
  const totalMinutes = Math.round(seconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours === 0) return t('report-duration-minutes', { m: minutes });
  if (minutes === 0) return t('report-duration-hours', { h: hours });
  return t('report-duration-hours-minutes', { h: hours, m: minutes });
}

/** Lengths under 10 minutes keep their seconds: "2 хв" for 93 s would hide a third of it. */
const SECONDS_SHOWN_BELOW = 600;
