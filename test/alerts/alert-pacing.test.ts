import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paceAlerts } from '../../src/alerts/alert-pacing.js';

const MIN = 60_000;
const rules = { lateAfterMs: 5 * MIN, flapWindowMs: MIN };
const due = (at: number) => ({ failing_since: null, next_attempt_at: at });

test('late — failed before, or waiting past the limit — sends the whole pile, without asking for the last post', () => {
  const never = () => assert.fail('the last post is not read for a late pile');
  assert.deepEqual(paceAlerts({ failing_since: 0, next_attempt_at: 10 * MIN }, 3, 10 * MIN, rules, never), { send: 3, late: true });
  assert.deepEqual(paceAlerts(due(0), 4, 5 * MIN, rules, never), { send: 4, late: true });
});

test('inside the flap window after the last post: held until it ends; after it: everything waiting, as one', () => {
  assert.deepEqual(paceAlerts(due(10 * MIN), 2, 10 * MIN, rules, () => 10 * MIN - 20_000), { holdUntil: 10 * MIN + 40_000 });
  assert.deepEqual(paceAlerts(due(10 * MIN), 2, 10 * MIN, rules, () => 9 * MIN), { send: 2, late: false });
  assert.deepEqual(paceAlerts(due(10 * MIN), 2, 10 * MIN, rules, () => null), { send: 2, late: false });
  assert.deepEqual(paceAlerts(due(10 * MIN), 2, 10 * MIN, rules, () => undefined), { send: 2, late: false });
});

test('without a flap window each alert goes on its own', () => {
  assert.deepEqual(paceAlerts(due(10 * MIN), 3, 10 * MIN, { ...rules, flapWindowMs: 0 }, () => 10 * MIN), { send: 1, late: false });
});
