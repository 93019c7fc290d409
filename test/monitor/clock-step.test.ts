import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Place } from '../../src/places/place-service.js';
import { capturedLogger, LEVEL } from '../support/captured-logger.js';
import { ManualClock } from '../support/clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * A step of the wall clock (NTP answering on a server without a real-time clock, an admin setting
 * the date) while the monotonic clock runs on, through the real service: HTTP heartbeats, the
 * monitor, the outbox. The step is never read as an outage or a return, the record stays ordered,
 * and lengths are the time that really passed.
 */

const HOUR = 3_600_000;

interface EventRow {
  status: string;
  started_at: number;
  ended_at: number | null;
  start_edge: string;
}

interface AlertOf {
  kind: string;
  at?: number;
  previousMs?: number | null;
  offSince?: number;
  offMs?: number;
}

async function beat(t: TestApp, place: Place, body: object = {}): Promise<void> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` }, body: JSON.stringify(body) });
  assert.equal(response.status, 200);
}

/** Heartbeats every 20 s for `ms`, sweeping after each (as the sweep worker would). */
async function heartbeating(t: TestApp, places: Place[], ms: number): Promise<void> {
  for (let passed = 0; passed < ms; passed += 20_000) {
    t.clock.advance(20_000);
    for (const place of places) await beat(t, place);
    t.sweep();
  }
}

function events(t: TestApp, place: Place): EventRow[] {
  return t.rows((db) =>
    db
      .selectFrom('power_events')
      .select(['status', 'started_at', 'ended_at', 'start_edge'])
      .where('location_id', '=', place.id)
      .orderBy('started_at')
      .orderBy('id'),
  );
}

async function alerts(t: TestApp): Promise<AlertOf[]> {
  await t.drain();
  return t.sender.delivered.filter((row) => row.kind === 'alert').map((row) => (JSON.parse(row.payload) as { alert: AlertOf }).alert);
}

/** Every interval ends after it starts, and starts where (or after) the one before it ended. */
function assertOrdered(rows: EventRow[]): void {
  for (const [i, row] of rows.entries()) {
    if (row.ended_at !== null) assert.ok(row.ended_at > row.started_at, `interval ${i} (${row.status}, ${row.start_edge}) lasts: ${JSON.stringify(row)}`);
    const next = rows[i + 1];
    if (next) {
      assert.notEqual(row.ended_at, null, `only the last interval is open: ${JSON.stringify(rows)}`);
      assert.ok(next.started_at >= row.ended_at!, `interval ${i + 1} starts after ${i} ends: ${JSON.stringify(rows)}`);
    }
  }
}

async function withApp(work: (t: TestApp, log: ReturnType<typeof capturedLogger>) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const log = capturedLogger('info');
  const t = await startTestApp(dir.file('monitor.db'), { clock: new ManualClock(), logger: log.logger });
  try {
    await work(t, log);
  } finally {
    await t.stop();
    dir.cleanup();
  }
}

test('+2 h step while every device keeps sending: no alert, no outage, the record moves with the clock', async () => {
  await withApp(async (t, log) => {
    const places = [await t.createPlace({ name: 'Дім', timeoutS: 60 }), await t.createPlace({ name: 'Офіс', timeoutS: 120 })];
    for (const place of places) await beat(t, place);
    const firstAt = t.clock.now();
    await heartbeating(t, places, 10 * 60_000);

    t.clock.step(2 * HOUR);
    assert.equal(t.sweep(), 0, 'the sweep right after the step declares nothing');
    await heartbeating(t, places, 5 * 60_000);
    t.clock.advance(30_000);
    assert.equal(t.sweep(), 0);

    assert.deepEqual(await alerts(t), [], 'no OFF, no ON');
    for (const place of places) {
      const rows = events(t, place);
      assert.deepEqual(rows.map((row) => [row.status, row.start_edge, row.ended_at]), [['on', 'first_heartbeat', null]], 'one ON span, no outage');
      assert.equal(rows[0]!.started_at, firstAt + 2 * HOUR, 'it began when the power was first seen, in the corrected clock');
    }
    const steps = log.lines.filter((line) => line.level === LEVEL.warn && line.msg.includes('clock stepped'));
    assert.equal(steps.length, 1, 'the step is logged once');
    assert.equal(steps[0]!.stepS, 7200, 'with its size');
    assert.equal(t.system.monitor.rebasesPending, 0);
  });
});

test('-2 h step: the intervals stay ordered and the next real OFF says how long the power really was on', async () => {
  await withApp(async (t) => {
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    await beat(t, place);
    await heartbeating(t, [place], 5 * 60_000);
    // A real outage: the board is silent past its timeout, then it is back.
    t.clock.advance(61_000);
    assert.equal(t.sweep(), 1, 'OFF');
    t.clock.advance(4 * 60_000);
    await beat(t, place);
    const onAt = t.clock.now();
    await heartbeating(t, [place], 60_000);

    t.clock.step(-2 * HOUR);
    await heartbeating(t, [place], 20_000);
    const lastSeen = t.clock.now();
    t.clock.advance(30_000);
    assert.equal(t.sweep(), 0, 'silent for 30 s of a 60 s timeout: nothing yet');
    t.clock.advance(31_000);
    assert.equal(t.sweep(), 1, 'silent for a full timeout: OFF');

    const sent = await alerts(t);
    assert.deepEqual(sent.map((alert) => alert.kind), ['power_off', 'power_on', 'power_off']);
    const off = sent[2]!;
    assert.equal(off.at, lastSeen, 'the power went at the last heartbeat, on the corrected clock');
    assert.equal(off.previousMs, lastSeen - (onAt - 2 * HOUR), 'it had been on for the 1 min 20 s that really passed');
    assert.equal(off.previousMs, 80_000);

    const rows = events(t, place);
    assertOrdered(rows);
    assert.deepEqual(rows.map((row) => [row.status, row.start_edge]), [
      ['on', 'first_heartbeat'],
      ['off', 'heartbeat_gap'],
      ['on', 'heartbeat'],
      ['off', 'heartbeat_gap'],
    ]);
    assert.equal(rows[2]!.ended_at! - rows[2]!.started_at, 80_000, 'the ON span lasts what really passed');
    assert.equal(rows[1]!.ended_at! - rows[1]!.started_at, 61_000 + 4 * 60_000, 'the outage before it keeps its length');
  });
});

test('a heartbeat received before a step and stored after it is stamped on the corrected clock', async () => {
  await withApp(async (t) => {
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    await beat(t, place);
    t.clock.advance(20_000);
    // Received now, stored with the next group commit (after this turn of the event loop).
    const stored = t.system.monitor.heartbeat(place.id, {});
    const receivedAt = t.clock.now();
    t.clock.step(2 * HOUR);
    assert.ok(t.system.clockSteps.check(), 'the step is seen before the commit');
    await stored;
    const row = t.row((db) => db.selectFrom('locations').select(['last_heartbeat_at', 'deadline_at']).where('id', '=', place.id))!;
    assert.equal(row.last_heartbeat_at, receivedAt + 2 * HOUR);
    assert.equal(row.deadline_at, receivedAt + 2 * HOUR + 60_000);
    t.clock.advance(59_000);
    assert.equal(t.sweep(), 0);
    t.clock.advance(1_000);
    assert.equal(t.sweep(), 1, 'a full timeout after that heartbeat, in time that really passed');
  });
});

test('a real outage spanning a +2 h step is declared on time and measured in the time that really passed', async () => {
  await withApp(async (t) => {
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    await beat(t, place);
    await heartbeating(t, [place], 2 * 60_000);
    const lastSeen = t.clock.now();
    // The board goes silent; 30 s later NTP steps the clock; the deadline is 30 s of real time on.
    t.clock.advance(30_000);
    t.clock.step(2 * HOUR);
    assert.equal(t.sweep(), 0, 'the step does not make the deadline pass');
    t.clock.advance(29_000);
    assert.equal(t.sweep(), 0);
    t.clock.advance(2_000);
    assert.equal(t.sweep(), 1, 'a full timeout of real time after the last heartbeat: OFF');
    t.clock.advance(10 * 60_000);
    await beat(t, place);

    const sent = await alerts(t);
    assert.deepEqual(sent.map((alert) => alert.kind), ['power_off', 'power_on']);
    assert.equal(sent[0]!.at, lastSeen + 2 * HOUR, 'the OFF is at the last heartbeat, on the corrected clock');
    assert.equal(sent[1]!.offMs, 30_000 + 31_000 + 10 * 60_000, 'off for what really passed, not 2 h more');
    const rows = events(t, place);
    assertOrdered(rows);
    assert.deepEqual(rows.map((row) => row.status), ['on', 'off', 'on']);
    assert.equal(rows[1]!.ended_at! - rows[1]!.started_at, sent[1]!.offMs);
  });
});

test('a real outage spanning a -2 h step: declared on time, its length is what really passed', async () => {
  await withApp(async (t) => {
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    await beat(t, place);
    await heartbeating(t, [place], 2 * 60_000);
    t.clock.advance(61_000);
    assert.equal(t.sweep(), 1, 'OFF');
    t.clock.advance(5 * 60_000);
    t.clock.step(-2 * HOUR);
    t.clock.advance(5 * 60_000);
    await beat(t, place);

    const sent = await alerts(t);
    assert.deepEqual(sent.map((alert) => alert.kind), ['power_off', 'power_on']);
    assert.equal(sent[1]!.offMs, 61_000 + 10 * 60_000, 'not negative, not zero: the 11 min that passed');
    assert.equal(sent[1]!.at, t.clock.now());
    assertOrdered(events(t, place));
  });
});

test('steps both ways in a row, with a restart between: the record stays ordered and nothing is alerted', async () => {
  const dir = tempDir();
  const clock = new ManualClock();
  const database = dir.file('monitor.db');
  let t = await startTestApp(database, { clock });
  try {
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    await beat(t, place);
    await heartbeating(t, [place], 60_000);
    await t.stop();
    clock.advance(10 * 60_000);
    t = await startTestApp(database, { clock });
    await heartbeating(t, [place], 60_000);
    // Back by more than this run has lasted: nothing may move before what the previous run recorded.
    for (const step of [-HOUR, 3 * HOUR, -30_000, 10_000]) {
      clock.step(step);
      assert.equal(t.sweep(), 0, `nothing declared right after a ${step / 1000} s step`);
      await heartbeating(t, [place], 60_000);
    }
    assert.deepEqual(await alerts(t), []);
    let rows = events(t, place);
    assertOrdered(rows);
    assert.equal(rows.filter((row) => row.status === 'off').length, 0, 'no outage recorded');
    assert.deepEqual(rows.at(-1), { status: 'on', started_at: rows.at(-1)!.started_at, ended_at: null, start_edge: 'heartbeat' });

    // A real outage after all that is measured right.
    const lastSeen = clock.now();
    clock.advance(61_000);
    assert.equal(t.sweep(), 1);
    clock.advance(2 * 60_000);
    await beat(t, place);
    const sent = await alerts(t);
    assert.deepEqual(sent.map((alert) => alert.kind), ['power_off', 'power_on']);
    assert.equal(sent[0]!.at, lastSeen);
    assert.equal(sent[1]!.offMs, 3 * 60_000 + 1_000);
    rows = events(t, place);
    assertOrdered(rows);
    assert.deepEqual(rows.slice(-2).map((row) => row.status), ['off', 'on']);
  } finally {
    await t.stop();
    dir.cleanup();
  }
});

test('a start on a clock behind the previous run, then NTP steps it: no alert for the step, the previous run keeps its record, this run\'s moves', async () => {
  const dir = tempDir();
  const clock = new ManualClock();
  const database = dir.file('monitor.db');
  const log = capturedLogger('info');
  let t = await startTestApp(database, { clock });
  try {
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    const quiet = await t.createPlace({ name: 'Дача', timeoutS: 60 });
    await beat(t, place);
    await beat(t, quiet);
    await heartbeating(t, [place, quiet], 5 * 60_000);
    const before = events(t, place);
    await t.stop();
    // The server loses power for 10 min and boots on a clock 2 h behind (no real-time clock);
    // "Дача" lost its power too and stays silent.
    clock.advance(10 * 60_000);
    clock.step(-2 * HOUR);
    t = await startTestApp(database, { clock, logger: log.logger });
    assert.equal(log.lines.filter((line) => line.level === LEVEL.warn && String(line.msg).includes('clock is behind')).length, 1, 'the wrong clock is noticed at start');
    await heartbeating(t, [place], 2 * 60_000);
    const quietOff = (await alerts(t)).filter((alert) => alert.kind === 'power_off');
    assert.equal(quietOff.length, 1, '"Дача", silent since the restart, is declared off a full timeout after the start');
    assert.equal(quietOff[0]!.at, before.length > 0 ? events(t, quiet)[0]!.ended_at : null, 'from its last heartbeat before the restart');
    // A real outage while the clock is still wrong.
    t.clock.advance(61_000);
    assert.equal(t.sweep(), 1, 'OFF for "Дім"');
    t.clock.advance(60_000);
    await beat(t, place);
    const onAt = clock.now();
    await heartbeating(t, [place], 60_000);
    const sentBefore = (await alerts(t)).length;

    clock.step(2 * HOUR); // NTP answers
    assert.equal(t.sweep(), 0, 'no OFF for the step');
    await heartbeating(t, [place], 3 * 60_000);
    assert.equal((await alerts(t)).length, sentBefore, 'no alert for the step');
    const rows = events(t, place);
    assert.deepEqual(rows.slice(0, before.length - 1), before.slice(0, -1), 'the previous run keeps its record');
    const quietRows = events(t, quiet);
    assertOrdered(quietRows);
    assert.deepEqual(quietRows.map((row) => [row.status, row.ended_at === null]), [['on', false], ['off', true]]);
    assert.equal(quietRows[1]!.started_at, quietOff[0]!.at, 'a place this run has not heard keeps the times of the previous run');
    assertOrdered(rows);
    const on = rows.at(-1)!;
    assert.deepEqual([on.status, on.started_at, on.ended_at], ['on', onAt + 2 * HOUR, null], "this run's intervals moved with the clock");
    assert.equal(rows.at(-2)!.ended_at! - rows.at(-2)!.started_at, 121_000, 'the outage keeps its length');

    // And the next real OFF says how long the power was on: the 4 min that really passed.
    clock.advance(61_000);
    assert.equal(t.sweep(), 1);
    const off = (await alerts(t)).at(-1)!;
    assert.equal(off.kind, 'power_off');
    assert.equal(off.previousMs, 4 * 60_000);
  } finally {
    await t.stop();
    dir.cleanup();
  }
});

test('after a step forward the sweep moves at most 100 places itself; the background moves the rest, and none is declared off', async () => {
  await withApp(async (t) => {
    const places: Place[] = [];
    for (let i = 0; i < 150; i += 1) places.push(await t.createPlace({ name: `Місце ${i + 1}`, timeoutS: 60 }));
    for (const place of places) t.system.monitor.heartbeatNow(place.id, {});
    const heardAt = t.clock.now();
    t.clock.advance(30_000);
    t.clock.step(2 * HOUR);
    assert.ok(t.system.clockSteps.check());
    // What the sweep worker reports right after the step: every place, its stored deadline passed.
    assert.equal(t.expire(places.map((place) => place.id)), 0);
    assert.equal(t.system.monitor.rebasesPending, 50, 'the rest is left to the background');
    for (let turn = 0; turn < 10 && t.system.monitor.rebasesPending > 0; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(t.system.monitor.rebasesPending, 0);
    assert.equal(t.sweep(), 0);
    t.clock.advance(30_000);
    assert.equal(t.sweep(), 150, 'a full timeout after the last heartbeats, in time that really passed');
    const off = (await alerts(t)).filter((alert) => alert.kind === 'power_off');
    assert.equal(off.length, 150);
    assert.ok(off.every((alert) => alert.at === heardAt + 2 * HOUR), 'off from the last heartbeat, on the corrected clock');
  });
});
