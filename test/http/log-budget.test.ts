import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBudget } from '../../src/http/log-budget.js';

test('a few lines per minute pass; the next line that passes says how many were left out', () => {
  const budget = new LogBudget({ linesPerWindow: 3, windowMs: 60_000 });
  assert.equal(budget.take(0), 0);
  assert.equal(budget.take(1_000), 0);
  assert.equal(budget.take(2_000), 0);
  for (let i = 0; i < 97; i += 1) assert.equal(budget.take(3_000 + i), null);
  assert.equal(budget.take(60_000), 97, 'the first line of the next minute counts the ones left out');
  assert.equal(budget.take(60_001), 0);
});
