import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CATCH_UP_MS,
  decideReport,
  latestDue,
  monthOfKey,
  nextReportTime,
  periodKey,
  weekOfKey,
  type DueReport,
} from '../../src/reports/report-schedule.js';
import { KYIV, kyiv } from './sample-month.js';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe('when reports are due', () => {
  test('the weekly summary is due on Monday 09:00 local, for the week that ended at 00:00', () => {
    const due = latestDue('weekly', kyiv('2026-11-23T09:00'), KYIV);
    assert.deepEqual(due.period, { from: kyiv('2026-11-16T00:00'), to: kyiv('2026-11-23T00:00') });
    assert.equal(due.key, '2026-11-16');
    assert.equal(due.dueAt, kyiv('2026-11-23T09:00'));
    // A minute before, the latest due summary is still last week's.
    assert.equal(latestDue('weekly', kyiv('2026-11-23T08:59'), KYIV).key, '2026-11-09');
  });

  test('across the autumn clock change: a 169-hour week, due at 09:00 on the wall clock (07:00 UTC, not 06:00)', () => {
    const due = latestDue('weekly', kyiv('2026-10-26T09:00'), KYIV);
    assert.equal(due.key, '2026-10-19');
    assert.equal(due.period.to - due.period.from, 169 * HOUR);
    assert.equal(iso(due.dueAt), '2026-10-26T07:00:00.000Z');
    assert.equal(iso(nextReportTime(kyiv('2026-10-25T12:00'), KYIV)), '2026-10-26T07:00:00.000Z');
  });

  test('across the spring clock change: a 167-hour week, due at 09:00 summer time (06:00 UTC)', () => {
    const due = latestDue('weekly', kyiv('2026-03-30T10:00'), KYIV);
    assert.equal(due.key, '2026-03-23');
    assert.equal(due.period.to - due.period.from, 167 * HOUR);
    assert.equal(iso(due.dueAt), '2026-03-30T06:00:00.000Z');
  });

  test('the monthly report is due on the 1st at 09:00 for the month before', () => {
    const due = latestDue('monthly', kyiv('2026-11-01T09:00'), KYIV);
    assert.equal(due.key, '2026-10');
    assert.deepEqual([due.period.from, due.period.to], [kyiv('2026-10-01T00:00'), kyiv('2026-11-01T00:00')]);
    assert.equal(latestDue('monthly', kyiv('2026-11-01T08:59'), KYIV).key, '2026-09');
    assert.equal(latestDue('monthly', kyiv('2026-01-01T09:30'), KYIV).key, '2025-12', 'across the new year');
  });

  test('the next report time is the earlier of next Monday 09:00 and the next 1st 09:00, strictly after now', () => {
    assert.equal(nextReportTime(kyiv('2026-11-18T15:00'), KYIV), kyiv('2026-11-23T09:00'));
    assert.equal(nextReportTime(kyiv('2026-11-23T09:00'), KYIV), kyiv('2026-11-30T09:00'), 'not the moment itself');
    // Monday 26 October 09:00 → Sunday 1 November 09:00 comes before Monday 2 November.
    assert.equal(nextReportTime(kyiv('2026-10-26T09:00'), KYIV), kyiv('2026-11-01T09:00'));
    assert.equal(nextReportTime(kyiv('2026-11-23T08:00'), KYIV), kyiv('2026-11-23T09:00'));
  });

  test('keys name the period and read back', () => {
    const week = latestDue('weekly', kyiv('2026-11-23T09:00'), KYIV).period;
    assert.equal(periodKey('weekly', week, KYIV), '2026-11-16');
    assert.deepEqual(weekOfKey('2026-11-16', KYIV), week);
    assert.throws(() => weekOfKey('2026-11-17', KYIV), /not the Monday/);
    assert.throws(() => weekOfKey('garbage', KYIV), /not the Monday/);
    assert.deepEqual(monthOfKey('2026-10'), { year: 2026, month: 10 });
    assert.throws(() => monthOfKey('2026-13'), /not a month/);
  });
});

describe('who gets a due report', () => {
  const week: DueReport = latestDue('weekly', kyiv('2026-11-23T09:00'), KYIV);
  const place = { createdAt: kyiv('2026-10-01T00:00'), paused: false, hasTarget: true };

  test('a place that existed during the week, with a channel, gets it at 09:00 and in the catch-up window', () => {
    assert.equal(decideReport(week, place, kyiv('2026-11-23T09:00')), 'queue');
    assert.equal(decideReport(week, place, week.dueAt + CATCH_UP_MS.weekly), 'queue', 'Wednesday 09:00, the last moment');
    assert.equal(decideReport(week, place, week.dueAt + CATCH_UP_MS.weekly + 1), 'too-late');
  });

  test('a place created mid-week gets it (its known part); one created after the week ended does not', () => {
    assert.equal(decideReport(week, { ...place, createdAt: kyiv('2026-11-18T12:00') }, week.dueAt), 'queue');
    assert.equal(decideReport(week, { ...place, createdAt: kyiv('2026-11-23T00:00') }, week.dueAt), 'too-new');
    assert.equal(decideReport(week, { ...place, createdAt: kyiv('2026-11-23T08:00') }, week.dueAt), 'too-new');
  });

  test('paused places and places with nobody to send to get nothing', () => {
    assert.equal(decideReport(week, { ...place, paused: true }, week.dueAt), 'paused');
    assert.equal(decideReport(week, { ...place, hasTarget: false }, week.dueAt), 'no-target');
  });

  test('a monthly report is caught up during the first week of the month', () => {
    const month = latestDue('monthly', kyiv('2026-11-01T09:00'), KYIV);
    assert.equal(decideReport(month, place, kyiv('2026-11-08T09:00')), 'queue');
    assert.equal(decideReport(month, place, kyiv('2026-11-08T09:01')), 'too-late');
  });
});
