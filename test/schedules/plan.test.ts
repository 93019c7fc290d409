import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeIntervals } from '../../src/schedules/plan.js';
import type { PlanInterval } from '../../src/outbox/payload-parts.js';

const p = (start: number, end: number): PlanInterval => ({ start, end, kind: 'planned' });
const m = (start: number, end: number): PlanInterval => ({ start, end, kind: 'possible' });

test('half-hours and adjacent hours merge into one interval; gaps stay', () => {
  assert.deepEqual(mergeIntervals([p(30, 60), p(60, 120), p(120, 180), p(200, 260)]), [p(30, 180), p(200, 260)]);
  assert.deepEqual(mergeIntervals([p(60, 120), p(0, 30), p(30, 60)]), [p(0, 120)]);
});

test('empty intervals vanish; overlapping ones merge', () => {
  assert.deepEqual(mergeIntervals([p(10, 10), p(0, 50), p(40, 70)]), [p(0, 70)]);
});

test('kinds stay apart, and a planned interval wins over a possible one it overlaps', () => {
  assert.deepEqual(mergeIntervals([p(0, 60), m(60, 120)]), [p(0, 60), m(60, 120)]);
  assert.deepEqual(mergeIntervals([m(0, 120), p(30, 60)]), [m(0, 30), p(30, 60), m(60, 120)]);
});
