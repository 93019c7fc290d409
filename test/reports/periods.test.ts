import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  daysOf,
  isStatsPeriodKind,
  lastFullMonth,
  lastFullWeek,
  monthContaining,
  monthPeriod,
  previousMonth,
  previousWeek,
  statsPeriod,
  weekContaining,
  type Period,
} from '../../src/reports/periods.js';
import { KYIV, kyiv } from './sample-month.js';

const HOUR = 3_600_000;
const hours = (period: Period): number => (period.to - period.from) / HOUR;

describe('report periods', () => {
  it('a week runs from Monday 00:00 to the next Monday 00:00, local', () => {
    const week = weekContaining(kyiv('2025-11-19T15:40'), KYIV);
    assert.deepEqual(week, { from: kyiv('2025-11-17T00:00'), to: kyiv('2025-11-24T00:00') });
    assert.equal(hours(week), 168);
    // Monday 00:00 belongs to the week it starts; Sunday 23:59 to the week before.
    assert.equal(weekContaining(kyiv('2025-11-24T00:00'), KYIV).from, kyiv('2025-11-24T00:00'));
    assert.equal(weekContaining(kyiv('2025-11-23T23:59'), KYIV).from, kyiv('2025-11-17T00:00'));
  });

  it('on Monday 09:00 the last full week is the one that ended at midnight', () => {
    assert.deepEqual(lastFullWeek(kyiv('2025-11-24T09:00'), KYIV), { from: kyiv('2025-11-17T00:00'), to: kyiv('2025-11-24T00:00') });
    assert.deepEqual(previousWeek({ from: kyiv('2025-11-17T00:00'), to: kyiv('2025-11-24T00:00') }, KYIV), {
      from: kyiv('2025-11-10T00:00'),
      to: kyiv('2025-11-17T00:00'),
    });
  });

  it('a week with a clock change is 167 or 169 hours', () => {
    // Europe/Kyiv: Sunday 30 March 2025 03:00 → 04:00; Sunday 26 October 2025 04:00 → 03:00.
    const spring = weekContaining(kyiv('2025-03-27T12:00'), KYIV);
    assert.deepEqual(spring, { from: kyiv('2025-03-24T00:00'), to: kyiv('2025-03-31T00:00') });
    assert.equal(hours(spring), 167);
    const autumn = lastFullWeek(kyiv('2025-10-27T09:00'), KYIV);
    assert.deepEqual(autumn, { from: kyiv('2025-10-20T00:00'), to: kyiv('2025-10-27T00:00') });
    assert.equal(hours(autumn), 169);
    // The week before the spring change is an ordinary one, reached across the change.
    assert.equal(hours(previousWeek(weekContaining(kyiv('2025-04-02T12:00'), KYIV), KYIV)), 167);
  });

  it('a month runs from the 1st 00:00 to the next 1st 00:00, DST months included', () => {
    const november = monthPeriod({ year: 2025, month: 11 }, KYIV);
    assert.deepEqual(november, { year: 2025, month: 11, from: kyiv('2025-11-01T00:00'), to: kyiv('2025-12-01T00:00') });
    assert.equal(hours(november), 30 * 24);
    assert.equal(hours(monthPeriod({ year: 2025, month: 10 }, KYIV)), 31 * 24 + 1);
    assert.equal(hours(monthPeriod({ year: 2025, month: 3 }, KYIV)), 31 * 24 - 1);
    assert.equal(hours(monthPeriod({ year: 2024, month: 2 }, KYIV)), 29 * 24);
  });

  it('on the 1st the last full month is the one that ended at midnight, across a new year too', () => {
    assert.deepEqual(lastFullMonth(kyiv('2025-12-01T09:00'), KYIV), monthPeriod({ year: 2025, month: 11 }, KYIV));
    assert.deepEqual(lastFullMonth(kyiv('2026-01-01T09:00'), KYIV), monthPeriod({ year: 2025, month: 12 }, KYIV));
    assert.deepEqual(previousMonth({ year: 2026, month: 1 }, KYIV), monthPeriod({ year: 2025, month: 12 }, KYIV));
    assert.deepEqual(monthContaining(kyiv('2025-11-30T23:59'), KYIV), monthPeriod({ year: 2025, month: 11 }, KYIV));
  });

  it('stats periods are whole local days ending with today', () => {
    const now = kyiv('2025-11-19T15:40');
    assert.deepEqual(statsPeriod('7-days', now, KYIV), { kind: '7-days', month: null, from: kyiv('2025-11-13T00:00'), to: kyiv('2025-11-20T00:00') });
    assert.deepEqual(statsPeriod('30-days', now, KYIV), { kind: '30-days', month: null, from: kyiv('2025-10-21T00:00'), to: kyiv('2025-11-20T00:00') });
    assert.deepEqual(statsPeriod('this-month', now, KYIV), {
      kind: 'this-month',
      month: { year: 2025, month: 11 },
      from: kyiv('2025-11-01T00:00'),
      to: kyiv('2025-11-20T00:00'),
    });
    assert.deepEqual(statsPeriod('last-month', now, KYIV), {
      kind: 'last-month',
      month: { year: 2025, month: 10 },
      from: kyiv('2025-10-01T00:00'),
      to: kyiv('2025-11-01T00:00'),
    });
  });

  it('stats periods across a clock change keep whole local days', () => {
    // 7 days ending Tuesday 1 April 2025 hold the 23-hour 30 March; 30 days ending 10 November hold the 25-hour 26 October.
    const spring = statsPeriod('7-days', kyiv('2025-04-01T10:00'), KYIV);
    assert.deepEqual([spring.from, spring.to], [kyiv('2025-03-26T00:00'), kyiv('2025-04-02T00:00')]);
    assert.equal(hours(spring), 167);
    const autumn = statsPeriod('30-days', kyiv('2025-11-10T10:00'), KYIV);
    assert.equal(autumn.from, kyiv('2025-10-12T00:00'));
    assert.equal(hours(autumn), 30 * 24 + 1);
    assert.equal(daysOf(autumn, KYIV).length, 30);
  });

  it('lists the local days of a period and refuses one not cut at midnights', () => {
    const days = daysOf(monthPeriod({ year: 2025, month: 10 }, KYIV), KYIV);
    assert.equal(days.length, 31);
    assert.equal(days[25]?.toISODate(), '2025-10-26');
    assert.equal(days[26]?.toMillis(), kyiv('2025-10-27T00:00'));
    assert.throws(() => daysOf({ from: kyiv('2025-11-01T06:00'), to: kyiv('2025-11-02T00:00') }, KYIV), /must start at a local midnight in Europe\/Kyiv/);
    assert.throws(() => daysOf({ from: kyiv('2025-11-01T00:00'), to: kyiv('2025-11-02T06:00') }, KYIV), /must end at a local midnight/);
  });

  it('says what is wrong with a bad month or zone', () => {
    assert.throws(() => monthPeriod({ year: 2025, month: 13 }, KYIV), /month must be a whole number 1–12/);
    assert.throws(() => weekContaining(0, 'Mars/Olympus'), /invalid time zone "Mars\/Olympus"/);
    assert.throws(() => monthPeriod({ year: 2025, month: 1 }, 'Mars/Olympus'), /invalid time zone/);
  });

  it('knows the stats period names', () => {
    assert.ok(isStatsPeriodKind('30-days'));
    assert.ok(!isStatsPeriodKind('year'));
  });
});
