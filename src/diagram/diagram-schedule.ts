import { DateTime } from 'luxon';

/**
 * When the diagram jobs fire, computed in the configured zone with Luxon rather than by Bree
 * (whose `timezone` option fixes the offset when it schedules, so a fire lands an hour off
 * around a daylight-saving change). Pure: the instant and the zone come in as values.
 */

/** The local calendar day (yyyy-MM-dd) an instant falls on. */
export function localDay(at: number, timeZone: string): string {
  return inZone(at, timeZone).toISODate() ?? '';
}

/** The local midnight that began the day `at` falls on, UTC ms. */
export function localDayStart(at: number, timeZone: string): number {
  return inZone(at, timeZone).startOf('day').toMillis();
}

/** The first local midnight strictly after `at` (the start of the next local day), UTC ms. */
export function nextLocalMidnight(at: number, timeZone: string): number {
  return inZone(at, timeZone).startOf('day').plus({ days: 1 }).startOf('day').toMillis();
}

/**
 * The first local "hh:00" strictly after `at`, UTC ms. Steps in real hours, so around a DST
 * change it is the next hour that exists: after 02:00 on the spring day comes 04:00, and the
 * autumn day has two 03:00s, one real hour apart.
 */
export function nextHourMark(at: number, timeZone: string): number {
  const hourStart = inZone(at, timeZone).startOf('hour');
  let next = hourStart.plus({ hours: 1 });
  // Zones whose offset is not a whole number of hours still have their "hh:00" a real hour apart,
  // but a DST step of 30 minutes (Lord Howe) can move it: go to the next local :00 if needed.
  if (next.minute !== 0) next = next.plus({ minutes: 60 - next.minute });
  return next.toMillis();
}

function inZone(at: number, timeZone: string): DateTime {
  const local = DateTime.fromMillis(at, { zone: timeZone });
  if (!local.isValid) throw new Error(`Invalid time zone "${timeZone}" for the diagram schedule`);
  return local;
}
