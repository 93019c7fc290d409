import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockTime, isDay, localDay, localDayClock } from '../../src/schedules/local-time.js';
import { HOUR, utc, ZONE } from './fixture.js';

test('an ordinary day: 24 hours from local midnight, minutes by plain arithmetic', () => {
  const day = localDayClock('2026-01-14', ZONE);
  assert.equal(day.start, utc(2026, 1, 13, 22));
  assert.equal(day.end, utc(2026, 1, 14, 22));
  assert.equal(day.at(7 * 60 + 30), utc(2026, 1, 14, 5, 30));
  assert.equal(day.at(1440), day.end);
});

test('the spring day has 23 hours: 03:00–04:00 does not exist and lands on the jump', () => {
  const day = localDayClock('2026-03-29', ZONE);
  assert.equal(day.end - day.start, 23 * HOUR);
  assert.equal(day.at(3 * 60), utc(2026, 3, 29, 1)); // 03:00 EET never shows: 04:00 EEST
  assert.equal(day.at(3 * 60 + 30), utc(2026, 3, 29, 1)); // inside the gap: the jump too
  assert.equal(day.at(4 * 60), utc(2026, 3, 29, 1));
  assert.equal(day.at(2 * 60), utc(2026, 3, 29, 0));
  assert.equal(day.at(5 * 60), utc(2026, 3, 29, 2));
});

test('the autumn day has 25 hours: 03:00 is read at its first showing, 04:00 once', () => {
  const day = localDayClock('2026-10-25', ZONE);
  assert.equal(day.end - day.start, 25 * HOUR);
  assert.equal(day.at(3 * 60), utc(2026, 10, 25, 0)); // 03:00 EEST
  assert.equal(day.at(4 * 60), utc(2026, 10, 25, 2)); // 04:00 EET, two real hours later
  assert.equal(day.at(23 * 60), utc(2026, 10, 25, 21));
});

test('local day of an instant, calendar dates and HH:mm with 24:00 for an end at midnight', () => {
  assert.equal(localDay(utc(2026, 1, 13, 22), ZONE), '2026-01-14');
  assert.equal(localDay(utc(2026, 1, 13, 21, 59), ZONE), '2026-01-13');
  assert.ok(isDay('2024-02-29'));
  assert.ok(!isDay('2026-02-29'));
  assert.ok(!isDay('2026-1-5'));
  assert.equal(clockTime(utc(2026, 1, 14, 22), ZONE), '00:00');
  assert.equal(clockTime(utc(2026, 1, 14, 22), ZONE, { end: true }), '24:00');
  assert.equal(clockTime(utc(2026, 7, 1, 15, 30), ZONE), '18:30');
  assert.throws(() => localDayClock('2026-13-01', ZONE), /not a calendar date/);
});
