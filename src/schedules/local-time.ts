import { DateTime, IANAZone } from 'luxon';

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** yyyy-MM-dd of the local calendar day that the instant `ms` falls on. */
export function localDay(ms: number, zone: string): string {
  return isoDay(DateTime.fromMillis(ms, { zone }));
}

/**
 * yyyy-MM-dd of a luxon date. Luxon gives null for an invalid date (an unknown zone, a day that
 * does not parse): the zone is checked at start and days are checked where they come in, so one
 * here is a bug, said plainly rather than passed on as a day.
 */
export function isoDay(date: DateTime): string {
  const day = date.toISODate();
  if (day === null) throw new RangeError(`not a valid date (${date.invalidReason ?? 'invalid'}: ${date.invalidExplanation ?? 'no explanation'})`);
  return day;
}

/** The `count` local calendar days (yyyy-MM-dd) ending with the one `ms` falls on, oldest first. */
export function lastDays(ms: number, zone: string, count: number): string[] {
  const today = DateTime.fromMillis(ms, { zone }).startOf('day');
  return Array.from({ length: count }, (_, i) => isoDay(today.minus({ days: count - 1 - i })));
}

/** yyyy-MM-dd of the local calendar day `days` days before the one `ms` falls on. */
export function localDayBefore(ms: number, zone: string, days: number): string {
  return isoDay(DateTime.fromMillis(ms, { zone }).startOf('day').minus({ days }));
}

/** Whether `text` is a real calendar date written yyyy-MM-dd. */
export function isDay(text: string): boolean {
  const match = DAY_SHAPE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Wall-clock times of one local day turned into instants. Schedules speak in wall-clock hours
 * ("hour 4" is 03:00–04:00 on the clock), so on a daylight-saving day they must be read the way
 * a clock on the wall shows them: `at(m)` is the first moment the clock shows m minutes past
 * midnight *or later*. That gives the right answer on both odd days:
 * - the 23-hour day in spring: 03:00–04:00 does not exist; both ends land on the jump, so that
 *   hour is empty and the day totals 23 hours;
 * - the 25-hour day in autumn: 03:00–04:00 happens twice; it starts at the first 03:00 and ends
 *   at the one 04:00, so that hour lasts two real hours and the day totals 25.
 */
export interface LocalDayClock {
  day: string;
  /** The instant the day begins (local midnight) and ends (the next local midnight). */
  start: number;
  end: number;
  /** The instant for `minute` minutes of wall-clock time past midnight, 0…1440. */
  at(minute: number): number;
}

/** Day clocks are asked for the same few days over and over (every queue of every poll): keep the recent ones. */
const dayClocks = new Map<string, LocalDayClock>();
const DAY_CLOCKS_KEPT = 64;

export function localDayClock(day: string, zone: string): LocalDayClock {
  const key = `${zone}|${day}`;
  const known = dayClocks.get(key);
  if (known) return known;
  const clock = makeDayClock(day, zone);
  if (dayClocks.size >= DAY_CLOCKS_KEPT) dayClocks.clear();
  dayClocks.set(key, clock);
  return clock;
}

function makeDayClock(day: string, zone: string): LocalDayClock {
  if (!isDay(day)) throw new RangeError(`"${day}" is not a calendar date (yyyy-MM-dd)`);
  const tz = IANAZone.create(zone);
  if (!tz.isValid) throw new RangeError(`"${zone}" is not an IANA time zone`);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const naiveMidnight = Date.UTC(y, m - 1, d);
  const start = wallClockInstant(naiveMidnight, tz);
  const end = wallClockInstant(naiveMidnight + DAY_MS, tz);
  // Most days have one offset from midnight to midnight: plain arithmetic, no zone look-ups.
  const steady = end - start === DAY_MS && tz.offset(start) === tz.offset(end - 1);
  // On the two odd days a year, each wall-clock minute is worked out once.
  const odd = new Map<number, number>();
  return {
    day,
    start,
    end,
    at(minute: number): number {
      if (!Number.isInteger(minute) || minute < 0 || minute > 1440) throw new RangeError(`minute ${minute} is outside a day (0…1440)`);
      if (minute === 0) return start;
      if (minute === 1440) return end;
      if (steady) return start + minute * MINUTE;
      let instant = odd.get(minute);
      if (instant === undefined) odd.set(minute, (instant = wallClockInstant(naiveMidnight + minute * MINUTE, tz)));
      return instant;
    },
  };
}

/**
 * The first instant at which the local clock reads `naive` (a wall-clock reading written as if it
 * were UTC) or later.
 */
function wallClockInstant(naive: number, tz: IANAZone): number {
  let best = Number.POSITIVE_INFINITY;
  for (const offset of new Set([tz.offset(naive - DAY_MS), tz.offset(naive), tz.offset(naive + DAY_MS)])) {
    const candidate = naive - offset * MINUTE;
    if (tz.offset(candidate) === offset && candidate < best) best = candidate;
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  // The reading falls in a gap (the clocks jumped over it): the jump is when the clock first
  // shows it or later. Find the jump to the minute between a day before and a day after.
  let low = naive - DAY_MS; // offset as before the jump
  let high = naive + DAY_MS; // offset as after it
  const before = tz.offset(low);
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (tz.offset(middle) === before) low = middle;
    else high = middle;
  }
  return high;
}

/** "HH:mm" on the local clock; `end` marks the end of an interval, where local midnight reads "24:00". */
export function clockTime(ms: number, zone: string, options: { end?: boolean } = {}): string {
  const local = DateTime.fromMillis(ms, { zone });
  if (options.end && local.hour === 0 && local.minute === 0) return '24:00';
  return local.toFormat('HH:mm');
}
