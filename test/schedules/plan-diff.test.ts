import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlanInterval } from '../../src/outbox/payload-parts.js';
import { diffPlans, planChange } from '../../src/schedules/plan-diff.js';

const p = (start: number, end: number): PlanInterval => ({ start, end, kind: 'planned' });

test('added and removed intervals; a moved end is one removed and one added', () => {
  const before = [p(9, 12), p(18, 21)];
  const after = [p(18, 21), p(22, 23), p(9, 13)];
  assert.deepEqual(diffPlans(before, after), { added: [p(22, 23), p(9, 13)], removed: [p(9, 12)] });
});

test('a kind change is a change', () => {
  assert.deepEqual(diffPlans([p(1, 2)], [{ start: 1, end: 2, kind: 'possible' }]), { added: [{ start: 1, end: 2, kind: 'possible' }], removed: [p(1, 2)] });
});

test('first seen, unchanged or changed against what the place was told', () => {
  assert.deepEqual(planChange(undefined, [p(1, 2)]), { kind: 'first-seen' });
  assert.deepEqual(planChange([p(1, 2)], [p(1, 2)]), { kind: 'unchanged' });
  assert.deepEqual(planChange([], []), { kind: 'unchanged' });
  assert.deepEqual(planChange([p(1, 2)], []), { kind: 'changed', diff: { added: [], removed: [p(1, 2)] } });
});
