import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barPieces, buildWeekTimeline, type DayTimeline, type PowerInterval } from '../../src/diagram/timeline.js';
import { KYIV, kyiv } from './sample-week.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

function week(intervals: PowerInterval[], now: string, createdAt = '2020-01-01T00:00') {
  return buildWeekTimeline({ intervals, now: kyiv(now), placeCreatedAt: kyiv(createdAt), timeZone: KYIV });
}

function dayOf(timeline: ReturnType<typeof week>, date: string): DayTimeline {
  const day = timeline.days.find((candidate) => candidate.date === date);
  assert.ok(day, `no day ${date} in ${timeline.days.map((d) => d.date).join(', ')}`);
  return day;
}

/** The bar as compact [kind, startHour, endHour] triples (segments, then the future), easier to compare and to read. */
function shape(day: DayTimeline): [string, number, number][] {
  return barPieces(day).map((piece) => [piece.kind, round(piece.startHour), round(piece.endHour)]);
}

function round(hours: number): number {
  return Math.round(hours * 1000) / 1000;
}

function on(start: string, end: string | null): PowerInterval {
  return { status: 'on', startedAt: kyiv(start), endedAt: end === null ? null : kyiv(end) };
}

function off(start: string, end: string | null): PowerInterval {
  return { status: 'off', startedAt: kyiv(start), endedAt: end === null ? null : kyiv(end) };
}

describe('buildWeekTimeline', () => {
  it('covers the 7 local days ending with today, oldest first', () => {
    const timeline = week([], '2025-11-19T15:40');
    assert.deepEqual(
      timeline.days.map((day) => [day.date, day.weekday]),
      [['2025-11-13', 4], ['2025-11-14', 5], ['2025-11-15', 6], ['2025-11-16', 7], ['2025-11-17', 1], ['2025-11-18', 2], ['2025-11-19', 3]],
    );
    assert.deepEqual(timeline.days.map((day) => day.isToday), [false, false, false, false, false, false, true]);
    assert.equal(timeline.rangeStart, kyiv('2025-11-13T00:00'));
    assert.equal(timeline.rangeEnd, kyiv('2025-11-20T00:00'));
  });

  it('shows an empty history as unknown up to now, with zero totals', () => {
    const timeline = week([], '2025-11-19T15:30');
    for (const day of timeline.days.slice(0, -1)) {
      assert.equal(day.hoursInDay, 24);
      assert.deepEqual(shape(day), [['unknown', 0, 24]]);
      assert.equal(day.future, null);
      assert.equal(day.offMs, 0);
      assert.equal(day.outages, 0);
    }
    assert.deepEqual(shape(dayOf(timeline, '2025-11-19')), [['unknown', 0, 15.5], ['future', 15.5, 24]]);
    assert.deepEqual(timeline.totals, { offMs: 0, outages: 0, longestOffMs: 0 });
  });

  it('marks the days of the previous ISO week, and none when today is Sunday', () => {
    const wednesday = week([], '2025-11-19T15:40');
    assert.deepEqual(wednesday.days.map((day) => day.inPreviousWeek), [true, true, true, true, false, false, false]);
    const sunday = week([], '2025-11-23T10:00');
    assert.deepEqual(sunday.days.map((day) => day.inPreviousWeek), [false, false, false, false, false, false, false]);
    const monday = week([], '2025-11-24T00:00');
    assert.deepEqual(monday.days.map((day) => day.inPreviousWeek), [true, true, true, true, true, true, false]);
  });

  it('keeps the future part of today apart from unknown time and extends the current interval to now', () => {
    const timeline = week([on('2025-11-10T00:00', '2025-11-19T09:00'), off('2025-11-19T09:00', null)], '2025-11-19T15:30');
    const today = dayOf(timeline, '2025-11-19');
    assert.deepEqual(shape(today), [['on', 0, 9], ['off', 9, 15.5], ['future', 15.5, 24]]);
    // The lived part alone is what the service knew; the future is no power state at all.
    assert.deepEqual(today.segments.map((segment) => segment.status), ['on', 'off']);
    assert.deepEqual(today.future, { startHour: 15.5, endHour: 24 });
    assert.equal(today.offMs, 6.5 * HOUR);
    assert.deepEqual(shape(dayOf(timeline, '2025-11-18')), [['on', 0, 24]]);
    assert.deepEqual(timeline.totals, { offMs: 6.5 * HOUR, outages: 1, longestOffMs: 6.5 * HOUR });
  });

  it('shows time not covered by any interval as unknown', () => {
    const timeline = week(
      [on('2025-11-18T00:00', '2025-11-18T06:00'), off('2025-11-18T08:00', '2025-11-18T10:00'), on('2025-11-18T10:00', '2025-11-18T20:15')],
      '2025-11-19T12:00',
    );
    assert.deepEqual(shape(dayOf(timeline, '2025-11-18')), [
      ['on', 0, 6],
      ['unknown', 6, 8],
      ['off', 8, 10],
      ['on', 10, 20.25],
      ['unknown', 20.25, 24],
    ]);
    assert.deepEqual(shape(dayOf(timeline, '2025-11-19')), [['unknown', 0, 12], ['future', 12, 24]]);
  });

  it('shows a server-down span before now as unknown and the rest of today as the future', () => {
    const timeline = week(
      [on('2025-11-10T00:00', '2025-11-19T10:00'), { status: 'unknown', startedAt: kyiv('2025-11-19T10:00'), endedAt: null }],
      '2025-11-19T12:00',
    );
    assert.deepEqual(shape(dayOf(timeline, '2025-11-19')), [['on', 0, 10], ['unknown', 10, 12], ['future', 12, 24]]);
  });

  it('at midnight the whole of today is the future', () => {
    const timeline = week([on('2025-11-10T00:00', null)], '2025-11-19T00:00');
    const today = dayOf(timeline, '2025-11-19');
    assert.deepEqual(today.segments, []);
    assert.deepEqual(shape(today), [['future', 0, 24]]);
    assert.deepEqual(shape(dayOf(timeline, '2025-11-18')), [['on', 0, 24]]);
  });

  it('shows time before the location existed as unknown', () => {
    const timeline = week(
      [on('2025-11-01T00:00', '2025-11-16T13:00'), off('2025-11-16T13:00', '2025-11-16T14:00'), on('2025-11-16T14:00', null)],
      '2025-11-19T12:00',
      '2025-11-15T10:30',
    );
    assert.deepEqual(shape(dayOf(timeline, '2025-11-14')), [['unknown', 0, 24]]);
    assert.deepEqual(shape(dayOf(timeline, '2025-11-15')), [['unknown', 0, 10.5], ['on', 10.5, 24]]);
    assert.deepEqual(shape(dayOf(timeline, '2025-11-16')), [['on', 0, 13], ['off', 13, 14], ['on', 14, 24]]);
  });

  it('splits an outage across midnight but counts it once in the totals', () => {
    const timeline = week(
      [on('2025-11-10T00:00', '2025-11-17T22:00'), off('2025-11-17T22:00', '2025-11-18T03:00'), on('2025-11-18T03:00', null)],
      '2025-11-19T12:00',
    );
    const monday = dayOf(timeline, '2025-11-17');
    const tuesday = dayOf(timeline, '2025-11-18');
    assert.deepEqual(shape(monday), [['on', 0, 22], ['off', 22, 24]]);
    assert.deepEqual(shape(tuesday), [['off', 0, 3], ['on', 3, 24]]);
    assert.deepEqual([monday.outages, monday.offMs], [1, 2 * HOUR]);
    assert.deepEqual([tuesday.outages, tuesday.offMs], [1, 3 * HOUR]);
    assert.deepEqual(timeline.totals, { offMs: 5 * HOUR, outages: 1, longestOffMs: 5 * HOUR });
  });

  it('adds up several outages, and clips the longest one to the window', () => {
    const timeline = week(
      [
        // Began before the window: only its part inside the window counts.
        off('2025-11-10T00:00', '2025-11-13T03:00'),
        on('2025-11-13T03:00', '2025-11-15T10:00'),
        off('2025-11-15T10:00', '2025-11-15T12:20'),
        on('2025-11-15T12:20', '2025-11-18T07:00'),
        off('2025-11-18T07:00', '2025-11-18T07:40'),
        on('2025-11-18T07:40', null),
      ],
      '2025-11-19T12:00',
    );
    assert.deepEqual(shape(dayOf(timeline, '2025-11-13')), [['off', 0, 3], ['on', 3, 24]]);
    assert.deepEqual(timeline.totals, {
      offMs: 3 * HOUR + 2 * HOUR + 20 * MINUTE + 40 * MINUTE,
      outages: 3,
      longestOffMs: 3 * HOUR,
    });
    assert.deepEqual(timeline.days.map((day) => day.outages), [1, 0, 1, 0, 0, 1, 0]);
  });

  it('accepts unsorted, slightly overlapping intervals: the later-started one wins', () => {
    const timeline = week(
      [
        on('2025-11-18T10:05', null),
        off('2025-11-18T08:00', '2025-11-18T10:10'), // overlaps the next "on" by 5 minutes
        on('2025-11-10T00:00', '2025-11-18T08:03'), // overlaps this outage by 3 minutes
        { status: 'unknown', startedAt: kyiv('2025-11-18T15:00'), endedAt: kyiv('2025-11-18T16:00') }, // server down
      ],
      '2025-11-19T12:00',
    );
    assert.deepEqual(shape(dayOf(timeline, '2025-11-18')), [
      ['on', 0, 8],
      ['off', 8, round(10 + 5 / 60)],
      ['on', round(10 + 5 / 60), 15],
      ['unknown', 15, 16],
      ['on', 16, 24],
    ]);
    assert.equal(timeline.totals.offMs, 2 * HOUR + 5 * MINUTE);
  });

  it('measures the 23-hour spring DST day in real hours', () => {
    // Europe/Kyiv, Sunday 30 March 2025: 03:00 jumps to 04:00.
    const timeline = week(
      [on('2025-03-20T00:00', '2025-03-30T02:00'), off('2025-03-30T02:00', '2025-03-30T05:00'), on('2025-03-30T05:00', null)],
      '2025-03-30T20:00',
    );
    const day = dayOf(timeline, '2025-03-30');
    assert.equal(day.hoursInDay, 23);
    // 02:00–05:00 on the wall clock is 2 real hours; 20:00 is 19 hours after midnight.
    assert.deepEqual(shape(day), [['on', 0, 2], ['off', 2, 4], ['on', 4, 19], ['future', 19, 23]]);
    assert.equal(day.offMs, 2 * HOUR);
    assert.equal(timeline.totals.longestOffMs, 2 * HOUR);
    assert.equal(dayOf(timeline, '2025-03-29').hoursInDay, 24);
    // Monday 24 … Sunday 30 March: one ISO week, nothing dimmed.
    assert.ok(timeline.days.every((candidate) => !candidate.inPreviousWeek));
  });

  it('measures the 25-hour autumn DST day in real hours', () => {
    // Europe/Kyiv, Sunday 26 October 2025: 04:00 goes back to 03:00.
    const timeline = week(
      [
        on('2025-10-15T00:00', '2025-10-26T02:00'),
        off('2025-10-26T02:00', '2025-10-26T05:00'),
        on('2025-10-26T05:00', '2025-10-26T23:30'),
        off('2025-10-26T23:30', '2025-10-27T01:00'),
        on('2025-10-27T01:00', null),
      ],
      '2025-10-27T12:00',
    );
    const day = dayOf(timeline, '2025-10-26');
    assert.equal(day.hoursInDay, 25);
    // 02:00–05:00 on the wall clock is 4 real hours; 23:30 is 24.5 hours after midnight.
    assert.deepEqual(shape(day), [['on', 0, 2], ['off', 2, 6], ['on', 6, 24.5], ['off', 24.5, 25]]);
    assert.equal(day.offMs, 4.5 * HOUR);
    assert.deepEqual(shape(dayOf(timeline, '2025-10-27')), [['off', 0, 1], ['on', 1, 12], ['future', 12, 24]]);
    assert.deepEqual(timeline.totals, { offMs: 5.5 * HOUR, outages: 2, longestOffMs: 4 * HOUR });
    assert.equal(timeline.rangeEnd - timeline.rangeStart, (7 * 24 + 1) * HOUR);
  });

  it('rejects an unknown time zone with a clear error', () => {
    assert.throws(
      () => buildWeekTimeline({ intervals: [], now: 0, placeCreatedAt: 0, timeZone: 'Mars/Olympus' }),
      /invalid time zone "Mars\/Olympus"/,
    );
  });
});
