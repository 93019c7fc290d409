import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PowerInterval } from '../../src/diagram/timeline.js';
import { monthPeriod, weekContaining } from '../../src/reports/periods.js';
import type { PlannedInterval } from '../../src/reports/plan.js';
import { summarizeDays, summarizePeriod, summarizeWeek } from '../../src/reports/summary.js';
import { KYIV, kyiv } from './sample-month.js';

const HOUR = 3_600_000;

const plan = (kind: PlannedInterval['kind'], from: string, to: string): PlannedInterval => ({ kind, from: kyiv(from), to: kyiv(to) });
const state = (status: PowerInterval['status'], start: string, end: string | null): PowerInterval => ({
  status,
  startedAt: kyiv(start),
  endedAt: end === null ? null : kyiv(end),
});

// Tuesday 18 Nov 2025: real outages 11:00–13:00 (planned), 17:00–17:30 (possible), 20:00–21:00 (not in the plan).
const intervals: PowerInterval[] = [
  state('on', '2025-11-01T00:00', '2025-11-18T11:00'),
  state('off', '2025-11-18T11:00', '2025-11-18T13:00'),
  state('on', '2025-11-18T13:00', '2025-11-18T17:00'),
  state('off', '2025-11-18T17:00', '2025-11-18T17:30'),
  state('on', '2025-11-18T17:30', '2025-11-18T20:00'),
  state('off', '2025-11-18T20:00', '2025-11-18T21:00'),
  state('on', '2025-11-18T21:00', null),
];
// Two planned entries that overlap (10–14 and 12–16: 6 h once), a possible one partly inside them (15–18: 2 h beyond).
const schedule: PlannedInterval[] = [
  plan('planned', '2025-11-18T10:00', '2025-11-18T14:00'),
  plan('planned', '2025-11-18T12:00', '2025-11-18T16:00'),
  plan('possible', '2025-11-18T15:00', '2025-11-18T18:00'),
];

describe('planned hours (the seam for schedules)', () => {
  const week = weekContaining(kyiv('2025-11-18T12:00'), KYIV);
  const base = { intervals, placeCreatedAt: 0, timeZone: KYIV, plan: schedule };

  it('compares the plan with what happened', () => {
    const totals = summarizePeriod({ ...base, now: kyiv('2025-11-24T09:00') }, week);
    assert.deepEqual(totals.plan, {
      plannedMs: 6 * HOUR,
      possibleMs: 2 * HOUR,
      offInPlannedMs: 2 * HOUR,
      offInPossibleMs: 0.5 * HOUR,
      offOutsidePlanMs: 1 * HOUR,
      onInPlannedMs: 4 * HOUR,
    });
    assert.equal(totals.offMs, 3.5 * HOUR);
  });

  it('passes the plan through the weekly summary and the day rows', () => {
    const summary = summarizeWeek({ ...base, now: kyiv('2025-11-24T09:00') }, week);
    assert.equal(summary.totals.plan?.plannedMs, 6 * HOUR);
    assert.equal(summary.previous.plan?.plannedMs, 0);
    const days = summarizeDays({ ...base, now: kyiv('2025-11-24T09:00') }, monthPeriod({ year: 2025, month: 11 }, KYIV)).days;
    assert.equal(days[17]?.plan?.offOutsidePlanMs, 1 * HOUR);
    assert.equal(days[16]?.plan?.plannedMs, 0);
  });

  it('compares only the time already lived', () => {
    const totals = summarizePeriod({ ...base, now: kyiv('2025-11-18T12:30') }, week);
    assert.deepEqual(totals.plan, {
      plannedMs: 2.5 * HOUR,
      possibleMs: 0,
      offInPlannedMs: 1.5 * HOUR,
      offInPossibleMs: 0,
      offOutsidePlanMs: 0,
      onInPlannedMs: 1 * HOUR,
    });
  });

  it('clips a plan reaching outside the period', () => {
    const totals = summarizePeriod(
      { ...base, now: kyiv('2025-11-24T09:00'), plan: [plan('planned', '2025-11-16T22:00', '2025-11-17T02:00')] },
      week,
    );
    assert.equal(totals.plan?.plannedMs, 2 * HOUR);
  });

  it('has no plan comparison for a place without a schedule', () => {
    assert.equal(summarizePeriod({ intervals, placeCreatedAt: 0, timeZone: KYIV, now: kyiv('2025-11-24T09:00') }, week).plan, null);
  });

  it('says which planned interval is wrong', () => {
    const now = kyiv('2025-11-24T09:00');
    assert.throws(
      () => summarizePeriod({ ...base, now, plan: [schedule[0]!, plan('planned', '2025-11-18T14:00', '2025-11-18T13:00')] }, week),
      /Planned interval #2 ends before it starts/,
    );
    assert.throws(() => summarizePeriod({ ...base, now, plan: [{ kind: 'planned', from: Number.NaN, to: 0 }] }, week), /#1 has a time that is not a number/);
    const odd = { kind: 'maybe', from: 0, to: 1 } as unknown as PlannedInterval;
    assert.throws(() => summarizePeriod({ ...base, now, plan: [odd] }, week), /kind "maybe"; it must be 'planned' or 'possible'/);
  });
});
