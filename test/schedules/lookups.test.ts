import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isNightTime, lookupOff, lookupOn, nextPlannedStart, plannedButPowerOn, warningDue, watchedDays } from '../../src/schedules/lookups.js';
import type { PlanInterval } from '../../src/outbox/payload-parts.js';
import { buildQueuePlan } from '../../src/schedules/queue-plan.js';
import type { DayEntry } from '../../src/schedules/snapshot.js';
import { MIN, utc, ZONE } from './fixture.js';
import { HEALTHY, planOf, RULES } from './plans.js';

// GPV1.1 of gpv-small.json, in local time: 14 Jan 07:00–10:00, 15:30–18:00, 23:00–(15 Jan)02:00,
// then 15 Jan 11:00–11:30, 12:00–13:00. The 16th is not in the file.
const NOW = utc(2026, 1, 14, 19);
const plan = planOf('gpv-small.json', 'GPV1.1', NOW);
const planned = (start: number, end: number): PlanInterval => ({ start, end, kind: 'planned' });

describe('an OFF and the plan', () => {
  test('inside a planned interval: planned, until its end', () => {
    const off = lookupOff(plan, utc(2026, 1, 14, 6));
    assert.deepEqual(off, { kind: 'planned', interval: planned(utc(2026, 1, 14, 5), utc(2026, 1, 14, 8)), openEnd: false, openStart: false });
  });

  test('up to 15 minutes before a planned start counts as planned; earlier does not', () => {
    assert.equal(lookupOff(plan, utc(2026, 1, 14, 13, 15)).kind, 'planned'); // 15:15 for 15:30
    assert.equal(lookupOff(plan, utc(2026, 1, 14, 13, 14)).kind, 'unplanned');
    assert.equal(lookupOff(plan, utc(2026, 1, 14, 8)).kind, 'unplanned', 'the end itself is outside');
  });

  test('a night outage runs on past midnight into the next known day', () => {
    const off = lookupOff(plan, utc(2026, 1, 14, 21, 30));
    assert.equal(off.kind === 'planned' && off.interval.end, utc(2026, 1, 15, 0));
  });

  test('a possible interval says possible; a planned one nearby still wins', () => {
    const queue2 = planOf('gpv-small.json', 'GPV1.2', NOW);
    assert.equal(lookupOff(queue2, utc(2026, 1, 14, 11, 30)).kind, 'possible');
    assert.equal(lookupOff(queue2, utc(2026, 1, 14, 9, 50)).kind, 'planned');
  });

  test('an outage reaching the end of what is known has no claimed end', () => {
    const spring = planOf('gpv-dst-spring.json', 'GPV2.1', utc(2026, 3, 29, 9));
    const off = lookupOff(spring, utc(2026, 3, 29, 10));
    assert.deepEqual([off.kind, off.kind === 'planned' && off.openEnd], ['planned', true]);
  });

  test('a day the source does not have, or a stale source: unknown with the reason', () => {
    assert.deepEqual(lookupOff(plan, utc(2026, 1, 16, 10)), { kind: 'unknown', reason: 'day-missing' });
    const stale = planOf('gpv-small.json', 'GPV1.1', utc(2026, 1, 17));
    assert.deepEqual(lookupOff(stale, utc(2026, 1, 17)), { kind: 'unknown', reason: 'source-stale' });
  });
});

describe('an ON and the plan', () => {
  const off = utc(2026, 1, 14, 5, 5);

  test('later than the planned end, with the next outage today', () => {
    const on = lookupOn(plan, off, utc(2026, 1, 14, 8, 25));
    assert.equal(on.kind, 'known');
    if (on.kind !== 'known') return;
    assert.deepEqual([on.comparison?.verdict, on.comparison?.deltaMs], ['later', 25 * MIN]);
    assert.deepEqual(on.next, { kind: 'next', tomorrow: false, interval: planned(utc(2026, 1, 14, 13, 30), utc(2026, 1, 14, 16)), openEnd: false, openStart: false });
  });

  test('earlier than planned, and on time within five minutes', () => {
    const early = lookupOn(plan, off, utc(2026, 1, 14, 7));
    assert.deepEqual(early.kind === 'known' && [early.comparison?.verdict, early.comparison?.deltaMs], ['earlier', -60 * MIN]);
    const onTime = lookupOn(plan, off, utc(2026, 1, 14, 8, 4));
    assert.equal(onTime.kind === 'known' && onTime.comparison?.verdict, 'on-time');
  });

  test('an outage that started a little before the planned start still compares with it', () => {
    const on = lookupOn(plan, utc(2026, 1, 14, 4, 50), utc(2026, 1, 14, 8, 10));
    assert.equal(on.kind === 'known' && on.comparison?.verdict, 'later');
  });

  test('an outage outside the plan has nothing to compare with', () => {
    const on = lookupOn(plan, utc(2026, 1, 14, 10), utc(2026, 1, 14, 10, 20));
    assert.equal(on.kind === 'known' && on.comparison, null);
  });

  test('the next outage tomorrow, nothing more today with tomorrow unknown, or nothing through tomorrow', () => {
    const queue21 = planOf('gpv-small.json', 'GPV2.1', NOW); // 14th: none; 15th: 04:30–05:30
    const tomorrow = lookupOn(queue21, utc(2026, 1, 14, 9), utc(2026, 1, 14, 10));
    assert.equal(tomorrow.kind === 'known' && tomorrow.next.kind === 'next' && tomorrow.next.tomorrow, true);
    const lastDay = lookupOn(plan, utc(2026, 1, 15, 10), utc(2026, 1, 15, 11, 30));
    assert.deepEqual(lastDay.kind === 'known' && lastDay.next, { kind: 'none-today' });
    const quiet = fromDays('GPV1.1', [day('2026-01-14', []), day('2026-01-15', [])]);
    const none = lookupOn(quiet, utc(2026, 1, 14, 9), utc(2026, 1, 14, 10));
    assert.deepEqual(none.kind === 'known' && none.next, { kind: 'none' });
  });

  test('when the day of the return is unknown, nothing is said', () => {
    assert.deepEqual(lookupOn(plan, utc(2026, 1, 16, 5), utc(2026, 1, 16, 9)), { kind: 'unknown', reason: 'day-missing' });
  });
});

describe('warnings before planned outages', () => {
  test('the next planned start, and a warning only inside the lead time', () => {
    assert.equal(nextPlannedStart(plan, utc(2026, 1, 14, 4))?.interval.start, utc(2026, 1, 14, 5));
    assert.equal(warningDue(plan, utc(2026, 1, 14, 4, 29), 30 * MIN), null);
    assert.equal(warningDue(plan, utc(2026, 1, 14, 4, 30), 30 * MIN)?.interval.end, utc(2026, 1, 14, 8));
    assert.equal(warningDue(plan, utc(2026, 1, 14, 5), 30 * MIN), null, 'once it has begun, no warning');
    assert.equal(warningDue(plan, utc(2026, 1, 14, 4, 30), 0), null, 'warnings off');
  });

  test('possible outages are not warned about', () => {
    const queue2 = planOf('gpv-small.json', 'GPV1.2', NOW); // possible 13:00–14:30 and 19:30–20:00, planned 00:00 next day
    assert.equal(nextPlannedStart(queue2, utc(2026, 1, 14, 10, 30))?.interval.start, utc(2026, 1, 14, 22));
  });

  test('an outage at the very start of the known days may be under way already: no warning', () => {
    const yasno = planOf('yasno-small.json', '1.1', utc(2026, 1, 28, 21, 30));
    assert.equal(nextPlannedStart(yasno, utc(2026, 1, 28, 21, 30))?.interval.start, utc(2026, 1, 29, 6));
  });

  test('night is 23:00–07:00 local', () => {
    assert.equal(isNightTime(utc(2026, 1, 14, 21), ZONE), true); // 23:00
    assert.equal(isNightTime(utc(2026, 1, 14, 20, 59), ZONE), false);
    assert.equal(isNightTime(utc(2026, 7, 1, 3, 59), ZONE), true); // 06:59 summer time
    assert.equal(isNightTime(utc(2026, 7, 1, 4), ZONE), false);
  });
});

test('today and tomorrow, when known, for change posts', () => {
  assert.deepEqual(
    watchedDays(plan, NOW).map((d) => `${d.role} ${d.day} ${d.intervals.length}`),
    ['today 2026-01-14 3', 'tomorrow 2026-01-15 3'],
  );
  assert.deepEqual(watchedDays(plan, utc(2026, 1, 15, 12)).map((d) => d.role), ['today']);
});

test('a planned outage that did not happen: over, watched, and power on all the time', () => {
  const interval = planned(utc(2026, 1, 14, 5), utc(2026, 1, 14, 8));
  const later = utc(2026, 1, 14, 9);
  const on = (start: number, end: number | null) => ({ status: 'on' as const, start, end });
  assert.deepEqual(plannedButPowerOn([interval], [on(utc(2026, 1, 14), utc(2026, 1, 14, 6)), on(utc(2026, 1, 14, 6), null)], later), [interval]);
  assert.deepEqual(plannedButPowerOn([interval], [on(utc(2026, 1, 14), utc(2026, 1, 14, 6)), on(utc(2026, 1, 14, 6, 10), null)], later), [], 'a gap');
  assert.deepEqual(plannedButPowerOn([interval], [on(utc(2026, 1, 14), null)], utc(2026, 1, 14, 7)), [], 'not over yet');
  assert.deepEqual(plannedButPowerOn([{ ...interval, kind: 'possible' }], [on(utc(2026, 1, 14), null)], later), [], 'possible ones are not expected');
});

function day(date: string, intervals: PlanInterval[]): DayEntry {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { day: date, start: utc(y, m, d) - 2 * 3600_000, end: utc(y, m, d + 1) - 2 * 3600_000, status: 'plan', intervals };
}

function fromDays(queue: string, days: DayEntry[]) {
  const copy = { snapshot: { format: 'gpv' as const, asOf: NOW, queues: [{ id: queue, label: null }], days: { [queue]: days }, problems: [] }, fetchedAt: NOW, changedAt: NOW };
  return buildQueuePlan(copy, HEALTHY, queue, NOW, RULES);
}
