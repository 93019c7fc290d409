import { DateTime } from 'luxon';
import type { PowerInterval } from '../../src/diagram/timeline.js';

export const KYIV = 'Europe/Kyiv';

/** UTC ms of a Kyiv wall-clock time. */
export function kyiv(iso: string): number {
  const time = DateTime.fromISO(iso, { zone: KYIV });
  if (!time.isValid) throw new Error(`bad test time ${iso}`);
  return time.toMillis();
}

/**
 * Months of scheduled-style outages in Kyiv, repeatable (a fixed pseudo-random sequence): two
 * to four outages a day of 20 minutes to 4 hours, some across midnight, from `from` until
 * `until` (now: the current interval stays open), with the service down during `serverDown`
 * (recorded as unknown, as the service records it: nothing else overlaps it).
 */
export function sampleMonth(from: string, until: string, serverDown: [string, string][] = [], seed = 7): PowerInterval[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const end = kyiv(until);
  const intervals: PowerInterval[] = [];
  let cursor = kyiv(from);
  while (cursor < end) {
    const offAt = Math.min(cursor + (2 + random() * 7) * 3_600_000, end);
    intervals.push({ status: 'on', startedAt: cursor, endedAt: offAt === end ? null : offAt });
    if (offAt === end) break;
    const onAt = Math.min(offAt + (1 / 3 + random() * 3.7) * 3_600_000, end);
    intervals.push({ status: 'off', startedAt: offAt, endedAt: onAt === end ? null : onAt });
    cursor = onAt;
  }
  return serverDown.reduce((all, [downFrom, downTo]) => cutOut(all, kyiv(downFrom), kyiv(downTo)), intervals);
}

/** Replaces [from, to) of the intervals with one unknown interval, trimming what overlaps it. */
function cutOut(intervals: PowerInterval[], from: number, to: number): PowerInterval[] {
  const result: PowerInterval[] = [];
  for (const interval of intervals) {
    const end = interval.endedAt ?? Number.POSITIVE_INFINITY;
    if (end <= from || interval.startedAt >= to) {
      result.push(interval);
      continue;
    }
    if (interval.startedAt < from) result.push({ ...interval, endedAt: from });
    if (end > to) result.push({ ...interval, startedAt: to });
  }
  result.push({ status: 'unknown', startedAt: from, endedAt: to });
  return result.sort((a, b) => a.startedAt - b.startedAt);
}
