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
 * A realistic week of scheduled outages ending on Wednesday 19 Nov 2025, 15:40 Kyiv:
 * two to three outages a day, one across midnight, a server-down gap (unknown) on Saturday.
 * `off` lists the outages as [start, end] wall-clock times; everything between them is on.
 */
export function sampleWeek(): { intervals: PowerInterval[]; now: number; placeCreatedAt: number } {
  const off: [string, string][] = [
    ['2025-11-13T07:00', '2025-11-13T10:30'],
    ['2025-11-13T17:00', '2025-11-13T20:00'],
    ['2025-11-14T00:30', '2025-11-14T04:00'],
    ['2025-11-14T11:00', '2025-11-14T14:20'],
    ['2025-11-14T21:00', '2025-11-15T01:30'],
    ['2025-11-15T14:00', '2025-11-15T17:45'],
    ['2025-11-16T06:00', '2025-11-16T09:00'],
    ['2025-11-16T16:00', '2025-11-16T16:04'],
    ['2025-11-16T18:00', '2025-11-16T22:00'],
    ['2025-11-17T03:00', '2025-11-17T06:30'],
    ['2025-11-17T13:00', '2025-11-17T17:10'],
    ['2025-11-18T08:00', '2025-11-18T12:00'],
    ['2025-11-18T19:00', '2025-11-18T23:00'],
    ['2025-11-19T06:30', '2025-11-19T09:30'],
    ['2025-11-19T14:00', '2025-11-19T15:00'],
  ];
  const serverDown: [string, string] = ['2025-11-15T05:00', '2025-11-15T08:30'];
  const intervals: PowerInterval[] = [];
  let cursor = kyiv('2025-11-01T00:00');
  for (const [start, end] of off) {
    intervals.push({ status: 'on', startedAt: cursor, endedAt: kyiv(start) });
    intervals.push({ status: 'off', startedAt: kyiv(start), endedAt: kyiv(end) });
    cursor = kyiv(end);
  }
  intervals.push({ status: 'on', startedAt: cursor, endedAt: null });
  intervals.push({ status: 'unknown', startedAt: kyiv(serverDown[0]), endedAt: kyiv(serverDown[1]) });
  return { intervals, now: kyiv('2025-11-19T15:40'), placeCreatedAt: kyiv('2025-11-13T05:20') };
}
