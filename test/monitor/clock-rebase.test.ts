import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClockRebases, PendingRebases } from '../../src/monitor/clock-rebase.js';
import { PowerEventStore } from '../../src/history/power-event-store.js';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { tempDir } from '../support/temp-dir.js';

test('pending moves: steps add up per place, a place counts as moved only once its transaction committed', () => {
  const pending = new PendingRebases();
  pending.add([1, 2, 3], 1_000, 7_200_000);
  pending.add([2, 3], 8_201_000, -600_000);
  assert.equal(pending.size, 3);
  assert.deepEqual(pending.take(2), { since: 1_000, deltaMs: 6_600_000 }, "the first step's since (its record is still in that base), both steps");
  assert.equal(pending.take(2), null, 'not twice in one transaction');
  assert.deepEqual(pending.next(5), [1, 3], 'a batch skips what this transaction already took');
  pending.rolledBack();
  assert.equal(pending.size, 3, 'a rolled back move is still due');
  assert.deepEqual(pending.take(2), { since: 1_000, deltaMs: 6_600_000 });
  // A step seen while the place's move is in the open transaction applies after it.
  pending.add([2], 7_601_000, 30_000);
  pending.committed();
  assert.deepEqual(pending.take(2), { since: 7_601_000, deltaMs: 30_000 });
  pending.add([2], 7_631_000, 5_000);
  pending.rolledBack();
  assert.deepEqual(pending.take(2), { since: 7_601_000, deltaMs: 35_000 }, 'after a rollback both are due, from the older base');
  pending.committed();
  assert.deepEqual([pending.take(1), pending.take(3)], [{ since: 1_000, deltaMs: 7_200_000 }, { since: 1_000, deltaMs: 6_600_000 }]);
  pending.committed();
  assert.equal(pending.size, 0);
});

test('moving a record: what this run stored moves, what began before keeps its start; a step back longer than the run moves it all', async () => {
  const dir = tempDir();
  const store = await openTestStore(dir.file('events.db'));
  try {
    const events = new PowerEventStore(store.connection);
    const place = insertPlaceRow(store.connection, { name: 'A', api_key: 'k', timeout_s: 60, language: 'uk', status: 'on', paused: 0, alerting_failed: 0, created_at: 0 });
    // The previous run: on 0–100; this run began at 150 (unknown 100–150), then on, off, on.
    events.append(place, { status: 'on', startedAt: 0, endedAt: 100, edge: 'first_heartbeat' });
    events.append(place, { status: 'unknown', startedAt: 100, endedAt: 150, edge: 'server_down' });
    events.append(place, { status: 'on', startedAt: 150, endedAt: 200, edge: 'heartbeat' });
    events.append(place, { status: 'off', startedAt: 200, endedAt: 260, edge: 'heartbeat_gap' });
    events.append(place, { status: 'on', startedAt: 260, endedAt: null, edge: 'heartbeat' });
    const times = () => events.all(place).map((row) => [row.started_at, row.ended_at]);

    assert.equal(events.rebaseSince(place, 150, 1_000), 150);
    assert.deepEqual(times(), [[0, 100], [100, 1_150], [1_150, 1_200], [1_200, 1_260], [1_260, null]], 'forward: the unknown span before the run grows');
    assert.equal(events.rebaseSince(place, 1_150, -1_030), 1_150);
    assert.deepEqual(times(), [[0, 100], [100, 120], [120, 170], [170, 230], [230, null]], 'back, within the run: lengths kept');
    assert.equal(events.rebaseSince(place, 120, -50), Number.MIN_SAFE_INTEGER, 'back past the unknown span: it would end before it began');
    assert.deepEqual(times(), [[-50, 50], [50, 70], [70, 120], [120, 180], [180, null]], 'the whole record moves, every length kept');
  } finally {
    await store.close();
    dir.cleanup();
  }
});

test("the run's bookkeeping: a start on a clock behind is told apart until a step brings the clock past the previous run", () => {
  const rebases = new ClockRebases(10_000);
  assert.equal(rebases.started(10_000 + 2_000, 7, 2_000), 0, 'within the tolerance: not behind');
  const behind = new ClockRebases(10_000);
  assert.equal(behind.started(40_000, 7, 2_000), 30_000);
  behind.wrote(1, 5_000, 5_000, true); // heard, its status unchanged
  behind.wrote(2, 5_000, 12_000, true); // heard, its status set from this run's clock
  behind.wrote(3, 5_000, 30_000, false); // not heard: a deadline from the previous run's heartbeat
  behind.stepped([1, 2, 3], 10_000); // not yet past the previous run (20,000 < 40,000)
  behind.stepped([1], 25_000); // now past it (45,000)
  assert.deepEqual(behind.take(1), { rebase: { since: 10_000, deltaMs: 35_000, runFirstEventId: 7 }, heard: true, statusSet: false });
  assert.deepEqual(behind.take(2), { rebase: { since: 10_000, deltaMs: 10_000, runFirstEventId: 7 }, heard: true, statusSet: true });
  assert.deepEqual(behind.take(3), { rebase: { since: 10_000, deltaMs: 10_000, runFirstEventId: 7 }, heard: false, statusSet: false });
  behind.committed();
  behind.stepped([2], -1_000);
  assert.deepEqual(behind.take(2), { rebase: { since: 45_000, deltaMs: -1_000 }, heard: true, statusSet: true }, 'then by time, from the run start on the corrected clock');
  behind.moved(2, { since: 45_000, deltaMs: -1_000 }, Number.MIN_SAFE_INTEGER);
  behind.committed();
  behind.stepped([2, 4], 500);
  assert.deepEqual(behind.take(2), { rebase: { since: Number.MIN_SAFE_INTEGER, deltaMs: 500 }, heard: true, statusSet: true }, 'a place whose whole record moved keeps moving whole');
  assert.deepEqual(behind.take(4)?.rebase, { since: 44_000, deltaMs: 500 });
});

test('a standby that takes over later is not behind the leader it follows: the comparison is with when it starts watching', () => {
  // The process started at 10,000; the leader it replaces was last alive at 40,000; it takes over at 45,000.
  const takeover = new ClockRebases(10_000);
  assert.equal(takeover.started(40_000, 7, 2_000, 45_000), 0);
  // A clock really behind is still seen at a takeover: last alive at 60,000, taking over at 45,000.
  assert.equal(new ClockRebases(10_000).started(60_000, 7, 2_000, 45_000), 15_000);
});
