import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildQueuePlan, dayStateAt, dayStateOf, followingDay, sourceStatus } from '../../src/schedules/queue-plan.js';
import { HOUR, MIN, utc } from './fixture.js';
import { copyOf, HEALTHY, planOf, RULES } from './plans.js';

const NOW = utc(2026, 1, 14, 19); // an hour after the file's own "as of" (20:05 local)

describe('never lie with a stale plan', () => {
  test('a fresh copy is usable, with its age for the admin card', () => {
    const status = sourceStatus(copyOf('gpv-small.json', NOW), HEALTHY, NOW, RULES);
    assert.deepEqual(status, { usable: true, reason: null, asOf: utc(2026, 1, 14, 18, 5), dataAgeMs: 55 * MIN, fetchedAt: NOW - 5 * MIN, failures: 0, lastError: null });
  });

  test('no copy yet: unknown, "never fetched" or "failing" once attempts failed', () => {
    assert.equal(sourceStatus(undefined, HEALTHY, NOW, RULES).reason, 'never-fetched');
    const failing = sourceStatus(undefined, { failures: 2, lastError: 'HTTP 503', lastAttemptAt: NOW }, NOW, RULES);
    assert.deepEqual([failing.usable, failing.reason, failing.lastError], [false, 'fetch-failing', 'HTTP 503']);
  });

  test('a copy not confirmed for three poll intervals is a failing source, whatever it says', () => {
    const copy = { ...copyOf('gpv-small.json', NOW), fetchedAt: NOW - 46 * MIN };
    assert.equal(sourceStatus(copy, { failures: 3, lastError: 'timeout', lastAttemptAt: NOW }, NOW, RULES).reason, 'fetch-failing');
    assert.equal(sourceStatus({ ...copy, fetchedAt: NOW - 44 * MIN }, HEALTHY, NOW, RULES).usable, true);
    const plan = buildQueuePlan(copy, HEALTHY, 'GPV1.1', NOW, RULES);
    assert.deepEqual(dayStateAt(plan, NOW), { known: false, reason: 'fetch-failing', day: null, start: null, end: null });
  });

  test('a source whose own "as of" is over two days old is stale even when fetched just now', () => {
    const later = utc(2026, 1, 16, 18, 6);
    const plan = planOf('gpv-small.json', 'GPV1.1', later);
    assert.equal(plan.blocked, 'source-stale');
    assert.equal(plan.source.dataAgeMs, 48 * HOUR + MIN);
    assert.equal(planOf('gpv-small.json', 'GPV1.1', later - 2 * MIN).blocked, null);
  });

  test('without an "as of" in the source, the time its content was first seen stands in', () => {
    const copy = copyOf('gpv-small.json', NOW);
    const noAsOf = { ...copy, snapshot: { ...copy.snapshot, asOf: null }, changedAt: NOW - 3 * 24 * HOUR };
    assert.equal(sourceStatus(noAsOf, HEALTHY, NOW, RULES).reason, 'source-stale');
  });

  test('a queue the source does not list, and a listed queue without days', () => {
    assert.equal(planOf('gpv-small.json', 'GPV9.9', NOW).blocked, 'queue-missing');
    const named = planOf('gpv-small.json', 'GPV2.2', NOW);
    assert.equal(named.blocked, null);
    const state = dayStateAt(named, NOW);
    assert.equal(!state.known && state.reason, 'day-missing');
  });

  test('a known day, the next one, and a day the source does not have', () => {
    const plan = planOf('gpv-small.json', 'GPV1.1', NOW);
    const today = dayStateAt(plan, NOW);
    assert.equal(today.known && today.day, '2026-01-14');
    const tomorrow = followingDay(plan, today);
    assert.equal(tomorrow.known && tomorrow.day, '2026-01-15');
    const after = followingDay(plan, tomorrow);
    assert.deepEqual([after.known, !after.known && after.reason], [false, 'day-missing']);
    assert.equal(dayStateOf(plan, '2026-01-16').known, false);
    assert.equal(plan.runs.length, 1, 'two consecutive known days make one run');
  });

  test('waiting, emergency and unreadable days are unknown; NoOutages is a known empty day', () => {
    const now = utc(2026, 1, 29, 8);
    const reason = (queue: string, day: string) => {
      const state = dayStateOf(planOf('yasno-small.json', queue, now), day);
      return state.known ? `known ${state.intervals.length}` : state.reason;
    };
    assert.equal(reason('1.1', '2026-01-30'), 'waiting');
    assert.equal(reason('3.1', '2026-01-29'), 'emergency');
    assert.equal(reason('3.1', '2026-01-30'), 'known 0');
    assert.equal(reason('4.1', '2026-01-29'), 'unreadable');
    assert.equal(reason('1.1', '2026-01-29'), 'known 3');
  });
});
