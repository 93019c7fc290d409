import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PowerInterval } from '../../src/diagram/timeline.js';
import { monthPeriod, weekContaining } from '../../src/reports/periods.js';
import { summarizeDays, summarizeMonth, summarizePeriod, summarizeWeek, type ReportInput } from '../../src/reports/summary.js';
import { KYIV, kyiv, sampleMonth } from './sample-month.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

function interval(status: PowerInterval['status'], start: string, end: string | null): PowerInterval {
  return { status, startedAt: kyiv(start), endedAt: end === null ? null : kyiv(end) };
}

/** On the whole time from `from`, with the given outages (wall-clock pairs), current state open. */
function onWithOutages(from: string, outages: [string, string][]): PowerInterval[] {
  const intervals: PowerInterval[] = [];
  let cursor = from;
  for (const [start, end] of outages) {
    intervals.push(interval('on', cursor, start), interval('off', start, end));
    cursor = end;
  }
  intervals.push(interval('on', cursor, null));
  return intervals;
}

function input(intervals: PowerInterval[], now: string, createdAt = '2025-01-01T00:00'): ReportInput {
  return { intervals, now: kyiv(now), placeCreatedAt: kyiv(createdAt), timeZone: KYIV };
}

describe('weekly summary', () => {
  // Week Mon 17 – Sun 23 Nov 2025, reported on Monday 24 Nov 09:00.
  const outages: [string, string][] = [
    ['2025-11-11T10:00', '2025-11-11T14:00'], // the week before: 4 h
    ['2025-11-13T20:00', '2025-11-13T21:30'], // the week before: 1.5 h
    ['2025-11-16T22:00', '2025-11-17T02:00'], // across Monday midnight: 2 h before, 2 h in
    ['2025-11-18T08:00', '2025-11-18T11:15'],
    ['2025-11-20T19:00', '2025-11-20T19:01:33'], // 93 s
    ['2025-11-23T23:00', '2025-11-24T01:00'], // across the end: 1 h in
  ];
  const summary = summarizeWeek(input(onWithOutages('2025-11-01T00:00', outages), '2025-11-24T09:00'));

  it('covers the week that just ended', () => {
    assert.deepEqual(summary.week, { from: kyiv('2025-11-17T00:00'), to: kyiv('2025-11-24T00:00') });
    assert.equal(summary.totals.lengthMs, 168 * HOUR);
  });

  it('adds up the time without power, cutting outages at the week’s edges', () => {
    const off = 2 * HOUR + 3.25 * HOUR + 93_000 + 1 * HOUR;
    const { totals } = summary;
    assert.equal(totals.offMs, off);
    assert.equal(totals.onMs, 168 * HOUR - off);
    assert.equal(totals.knownMs, 168 * HOUR);
    assert.deepEqual([totals.unknownMs, totals.futureMs], [0, 0]);
    assert.equal(totals.outages, 4, 'both outages crossing an edge count in this week');
    assert.deepEqual(totals.longest, { start: kyiv('2025-11-18T08:00'), end: kyiv('2025-11-18T11:15'), ms: 3.25 * HOUR });
    assert.equal(totals.powerShare, (168 * HOUR - off) / (168 * HOUR));
    assert.equal(totals.plan, null);
  });

  it('compares with the week before', () => {
    const previousOff = 4 * HOUR + 1.5 * HOUR + 2 * HOUR;
    assert.equal(summary.previous.offMs, previousOff);
    assert.equal(summary.previous.outages, 3);
    assert.deepEqual(summary.comparison, {
      offMsDelta: summary.totals.offMs - previousOff,
      outagesDelta: 1,
      previousOnMs: 168 * HOUR - previousOff,
      previousOffMs: previousOff,
      previousOutages: 3,
      partial: false,
    });
  });

  it('counts a place created mid-week only from then: its unknown part is not power', () => {
    // Created Wednesday 19 Nov 12:00; the device had sent an "on" from before (clock skew), ignored.
    const created = summarizeWeek(
      input(onWithOutages('2025-11-19T11:00', [['2025-11-21T10:00', '2025-11-21T16:00']]), '2025-11-24T09:00', '2025-11-19T12:00'),
    );
    const known = kyiv('2025-11-24T00:00') - kyiv('2025-11-19T12:00');
    assert.equal(created.totals.unknownMs, 60 * HOUR);
    assert.equal(created.totals.knownMs, known);
    assert.equal(created.totals.offMs, 6 * HOUR);
    assert.equal(created.totals.onMs, known - 6 * HOUR);
    assert.equal(created.totals.powerShare, (known - 6 * HOUR) / known, 'the share is of the known time only');
    assert.equal(created.comparison, null, 'nothing known the week before: nothing to compare');
  });

  it('counts neither the service down nor a pause as power or outage', () => {
    const intervals = [
      interval('on', '2025-11-01T00:00', '2025-11-18T10:00'),
      interval('unknown', '2025-11-18T10:00', '2025-11-18T16:00'), // the service was down
      interval('on', '2025-11-18T16:00', '2025-11-20T08:00'),
      interval('off', '2025-11-20T08:00', '2025-11-20T09:00'),
      interval('on', '2025-11-20T09:00', '2025-11-22T00:00'),
      interval('unknown', '2025-11-22T00:00', '2025-11-23T00:00'), // paused for a day
      interval('on', '2025-11-23T00:00', null),
    ];
    const week = summarizeWeek(input(intervals, '2025-11-24T09:00'));
    assert.equal(week.totals.unknownMs, 30 * HOUR);
    assert.equal(week.totals.knownMs, 138 * HOUR);
    assert.equal(week.totals.offMs, HOUR);
    assert.equal(week.totals.powerShare, 137 / 138);
    assert.equal(week.comparison?.partial, true, '138 of 168 hours known (82%): the totals do not compare');
  });

  it('counts the spring DST week as 167 hours and the autumn one as 169', () => {
    const spring = summarizeWeek(
      input(onWithOutages('2025-03-01T00:00', [['2025-03-30T02:00', '2025-03-30T05:00']]), '2025-03-31T09:00'),
    );
    assert.equal(spring.totals.lengthMs, 167 * HOUR);
    assert.equal(spring.totals.offMs, 2 * HOUR, '02:00–05:00 on the wall clock is 2 real hours that night');
    assert.equal(spring.totals.knownMs, 167 * HOUR);
    assert.equal(spring.totals.powerShare, 165 / 167);
    const autumn = summarizeWeek(
      input(onWithOutages('2025-10-01T00:00', [['2025-10-26T02:00', '2025-10-26T05:00']]), '2025-10-27T09:00'),
    );
    assert.equal(autumn.totals.lengthMs, 169 * HOUR);
    assert.equal(autumn.totals.offMs, 4 * HOUR, '02:00–05:00 on the wall clock is 4 real hours that night');
    assert.equal(autumn.totals.powerShare, 165 / 169);
    assert.equal(autumn.previous.lengthMs, 168 * HOUR);
  });

  it('leaves the rest of a week still running as the future, and an outage going on now ends at now', () => {
    const week = weekContaining(kyiv('2025-11-19T15:00'), KYIV);
    const intervals = [interval('on', '2025-11-01T00:00', '2025-11-19T13:00'), interval('off', '2025-11-19T13:00', null)];
    const totals = summarizePeriod(input(intervals, '2025-11-19T15:00'), week);
    assert.equal(totals.futureMs, kyiv('2025-11-24T00:00') - kyiv('2025-11-19T15:00'));
    assert.equal(totals.offMs, 2 * HOUR);
    assert.deepEqual(totals.longest, { start: kyiv('2025-11-19T13:00'), end: kyiv('2025-11-19T15:00'), ms: 2 * HOUR });
    assert.equal(totals.unknownMs, 0);
  });

  it('flags a comparison with a week known only in part', () => {
    // Created on Friday of the week before: 2 of its 7 days known.
    const week = summarizeWeek(
      input(onWithOutages('2025-11-14T00:00', [['2025-11-15T10:00', '2025-11-15T12:00'], ['2025-11-19T10:00', '2025-11-19T11:00']]), '2025-11-24T09:00', '2025-11-14T00:00'),
    );
    assert.equal(week.previous.knownMs, 72 * HOUR);
    assert.equal(week.comparison?.partial, true);
    assert.equal(week.comparison?.previousOnMs, 70 * HOUR);
  });

  it('reports nothing known when there are no intervals', () => {
    const empty = summarizeWeek(input([], '2025-11-24T09:00'));
    assert.deepEqual(
      [empty.totals.knownMs, empty.totals.unknownMs, empty.totals.outages, empty.totals.longest, empty.totals.powerShare, empty.comparison],
      [0, 168 * HOUR, 0, null, null, null],
    );
  });

  it('refuses a period that ends before it starts', () => {
    assert.throws(() => summarizePeriod(input([], '2025-11-24T09:00'), { from: kyiv('2025-11-24T00:00'), to: kyiv('2025-11-17T00:00') }), /must end after it starts/);
  });
});

describe('monthly summary', () => {
  const intervals = sampleMonth('2025-09-01T00:00', '2025-12-01T09:00', [['2025-11-12T03:00', '2025-11-12T09:30']]);

  it('has one row per day whose sums are the month’s totals', () => {
    const month = summarizeMonth(input(intervals, '2025-12-01T09:00'));
    assert.deepEqual([month.month.year, month.month.month], [2025, 11]);
    assert.equal(month.days.length, 30);
    assert.equal(month.days[0]?.date, '2025-11-01');
    assert.equal(month.days[29]?.date, '2025-11-30');
    const sum = (pick: (day: (typeof month.days)[number]) => number): number => month.days.reduce((total, day) => total + pick(day), 0);
    assert.equal(sum((day) => day.offMs), month.totals.offMs);
    assert.equal(sum((day) => day.onMs), month.totals.onMs);
    assert.equal(sum((day) => day.unknownMs), month.totals.unknownMs);
    assert.equal(month.totals.unknownMs, 6.5 * HOUR);
    assert.ok(month.totals.outages >= 60, `a realistic month has many outages, got ${month.totals.outages}`);
    assert.ok(sum((day) => day.outages) >= month.totals.outages, 'an outage across midnight counts on both days');
    for (const day of month.days) assert.equal(day.onMs + day.offMs + day.unknownMs + day.futureMs, day.hoursInDay * HOUR);
  });

  it('names the worst day and compares with the month before', () => {
    const month = summarizeMonth(input(intervals, '2025-12-01T09:00'));
    const worst = month.days.reduce((best, day) => (day.offMs > best.offMs ? day : best));
    assert.equal(month.worstDay?.date, worst.date);
    assert.equal(month.previous.from, kyiv('2025-10-01T00:00'));
    assert.equal(month.comparison?.offMsDelta, month.totals.offMs - month.previous.offMs);
    assert.equal(month.comparison?.partial, false);
  });

  it('measures the 25-hour day of October in real hours', () => {
    const october = summarizeMonth(input(intervals, '2025-11-01T09:00'), monthPeriod({ year: 2025, month: 10 }, KYIV));
    assert.equal(october.days.length, 31);
    assert.equal(october.days[25]?.hoursInDay, 25);
    assert.equal(october.totals.knownMs, (31 * 24 + 1) * HOUR);
  });

  it('splits a month still running at now: lived days, today cut at now, the days ahead all future', () => {
    const running = sampleMonth('2025-09-01T00:00', '2025-11-19T15:40');
    const november = summarizeDays(input(running, '2025-11-19T15:40'), monthPeriod({ year: 2025, month: 11 }, KYIV));
    const today = november.days[18]!;
    assert.deepEqual(today.future, { startHour: 15 + 40 / 60, endHour: 24 });
    assert.equal(today.futureMs, 8 * HOUR + 20 * MINUTE);
    const ahead = november.days[25]!;
    assert.deepEqual([ahead.segments, ahead.future, ahead.futureMs], [[], { startHour: 0, endHour: 24 }, 24 * HOUR]);
    assert.equal(november.totals.futureMs, kyiv('2025-12-01T00:00') - kyiv('2025-11-19T15:40'));
    assert.equal(november.totals.knownMs + november.totals.unknownMs + november.totals.futureMs, 30 * 24 * HOUR);
  });

  it('a month with no outages has no worst day', () => {
    const quiet = summarizeMonth(input([interval('on', '2025-09-01T00:00', null)], '2025-12-01T09:00'));
    assert.equal(quiet.worstDay, null);
    assert.equal(quiet.totals.powerShare, 1);
    assert.equal(quiet.comparison?.offMsDelta, 0);
  });
});
