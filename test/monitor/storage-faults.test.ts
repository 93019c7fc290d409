import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

const SECOND = 1000;

async function beat(t: TestApp, key: string, body: object = {}): Promise<Response> {
  return fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
}

async function health(t: TestApp): Promise<{ status: number; db: string }> {
  const response = await fetch(t.url('/health'));
  const body = (await response.json()) as { db: string };
  return { status: response.status, db: body.db };
}

/** Waits (real time) until the monitor has recovered from its storage failure. */
async function recovered(t: TestApp, withinMs = 5_000): Promise<void> {
  const until = Date.now() + withinMs;
  while (t.system.monitor.storage.failing) {
    if (Date.now() > until) throw new Error('storage did not recover in time');
    await sleep(50);
  }
}

function intervals(t: TestApp, placeId: number) {
  return t.rows((db) =>
    db.selectFrom('power_events').select(['status', 'started_at', 'ended_at', 'start_edge']).where('location_id', '=', placeId).orderBy('id'),
  );
}

function alertCount(t: TestApp): number {
  return t.count((db) => db.selectFrom('outbox').where('kind', '=', 'alert'));
}

test('another process holding the write lock longer than busy_timeout: 503s, no crash, no OFF, recovery by itself', async () => {
  const dir = tempDir();
  const path = dir.file('monitor.db');
  const t = await startTestApp(path);
  const foreign = new SqliteDatabase(path);
  try {
    const place = await t.createPlace({ name: 'Home', timeoutS: 20 });
    assert.equal((await beat(t, place.api_key)).status, 200);
    await t.drain(); // the device's "on the air" notice goes before the lock (not what this test is about)
    const lastStored = t.clock.now();

    foreign.exec('BEGIN IMMEDIATE');
    foreign.prepare("INSERT INTO service_state (key, value) VALUES ('foreign', 'lock')").run();

    t.clock.advance(5 * SECOND);
    const failedAt = t.clock.now();
    const refused = await beat(t, place.api_key);
    assert.equal(refused.status, 503, 'a heartbeat that cannot be stored is never acknowledged');
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.equal(((await refused.json()) as { error: string }).error, 'storage_unavailable');
    assert.deepEqual(await health(t), { status: 503, db: 'error' });

    // The device keeps sending; the timeout passes many times over while the lock is held.
    for (let i = 0; i < 10; i += 1) {
      t.clock.advance(5 * SECOND);
      assert.equal((await beat(t, place.api_key)).status, 503);
      assert.equal(t.sweep(), 0, 'no place goes off because we refused its heartbeats');
      t.system.monitor.markAlive(); // the 5 s timer's work: must not throw
    }
    assert.equal(t.expire([place.id]), 0);
    assert.equal((await t.place(place.id)).status, 'on');

    foreign.exec('COMMIT');
    const releasedAt = t.clock.now();
    await recovered(t);
    assert.deepEqual(await health(t), { status: 200, db: 'ok' });
    assert.equal((await beat(t, place.api_key)).status, 200, 'heartbeats are stored again without a restart');

    // A full timeout after recovery passes with the device checking in: still no alert.
    t.clock.advance(15 * SECOND);
    assert.equal((await beat(t, place.api_key)).status, 200);
    t.clock.advance(15 * SECOND);
    assert.equal(t.sweep(), 0);
    assert.equal(alertCount(t), 0, 'no alert at all: the power never went');

    assert.deepEqual(
      intervals(t, place.id).map((row) => [row.status, row.start_edge, row.started_at, row.ended_at]),
      [
        ['on', 'first_heartbeat', lastStored, failedAt],
        ['unknown', 'server_down', failedAt, releasedAt],
        ['on', 'heartbeat', releasedAt, null],
      ],
      'the span in which heartbeats could not be stored is unknown',
    );
    assert.ok(Number((await (await fetch(t.url('/metrics'))).text()).match(/storage_faults_total\{operation="heartbeat"\} (\d+)/)?.[1]) >= 1);
  } finally {
    if (foreign.inTransaction) foreign.exec('ROLLBACK');
    foreign.close();
    await t.stop();
    dir.cleanup();
  }
});

test('a place that really went silent during the lock goes off a full timeout after recovery, "between" the two times', async () => {
  const dir = tempDir();
  const path = dir.file('monitor.db');
  const t = await startTestApp(path);
  const foreign = new SqliteDatabase(path);
  try {
    const place = await t.createPlace({ name: 'Dacha', timeoutS: 20 });
    assert.equal((await beat(t, place.api_key)).status, 200);
    await t.drain(); // the device's "on the air" notice goes before the lock (not what this test is about)
    const lastHeard = t.clock.now();
    foreign.exec('BEGIN IMMEDIATE');
    foreign.prepare("INSERT INTO service_state (key, value) VALUES ('foreign', 'lock')").run();
    t.clock.advance(2 * SECOND);
    assert.equal((await beat(t, place.api_key)).status, 503);
    t.clock.advance(60 * SECOND); // the device then stops for good
    assert.equal(t.sweep(), 0);
    foreign.exec('COMMIT');
    const recoveredAt = t.clock.now();
    await recovered(t);

    t.clock.advance(19 * SECOND);
    assert.equal(t.sweep(), 0, 'a full timeout after recovery first');
    t.clock.advance(1 * SECOND);
    assert.equal(t.sweep(), 1);
    const alert = JSON.parse(
      t.row((db) => db.selectFrom('outbox').select('payload').where('kind', '=', 'alert'))!.payload,
    ) as { alert: { kind: string; at: number; notBefore?: number } };
    assert.equal(alert.alert.kind, 'power_off');
    assert.equal(alert.alert.notBefore, lastHeard);
    assert.equal(alert.alert.at, recoveredAt, 'it went some time between the last heartbeat and the recovery');
  } finally {
    if (foreign.inTransaction) foreign.exec('ROLLBACK');
    foreign.close();
    await t.stop();
    dir.cleanup();
  }
});

test('a full database: 503s, the process lives on, no OFF for a device that kept sending, recovery once there is room', async () => {
  const dir = tempDir();
  const t = await startTestApp(dir.file('monitor.db'));
  try {
    const place = await t.createPlace({ name: 'Office', timeoutS: 60 });
    const other = await t.createPlace({ name: 'Shop', timeoutS: 20 });
    assert.equal((await beat(t, place.api_key, { uptime_ms: 1000, boot_id: 'b0', reset_reason: 'POWERON' })).status, 200);
    assert.equal((await beat(t, other.api_key)).status, 200);
    await t.drain(); // the devices' "on the air" notices go before the disk fills
    t.diskFull(true);

    // Each reboot from a power loss records a short outage (new rows) until the file is full.
    let status = 200;
    for (let boot = 1; boot < 2000 && status === 200; boot += 1) {
      t.clock.advance(10 * SECOND);
      status = (await beat(t, place.api_key, { uptime_ms: 2000, boot_id: `b${boot}`, reset_reason: 'POWERON' })).status;
      if (status === 200) assert.equal((await beat(t, other.api_key)).status, 200);
    }
    assert.equal(status, 503, 'the write that did not fit is refused with 503');
    assert.equal(t.system.monitor.storage.failing, true);
    assert.deepEqual(await health(t), { status: 503, db: 'error' });

    // The other device keeps sending through the whole span, and the first keeps rebooting (rows
    // that need room). A write that fits may go through in between: that recovers, the next that
    // does not fit fails again. Whatever the mix, no timeout passes without the device's say.
    const codes = new Set<number>();
    for (let i = 0; i < 8; i += 1) {
      t.clock.advance(10 * SECOND);
      codes.add((await beat(t, other.api_key)).status);
      codes.add((await beat(t, place.api_key, { uptime_ms: 2000, boot_id: `again${i}`, reset_reason: 'POWERON' })).status);
      assert.equal(t.sweep(), 0);
      t.system.monitor.markAlive();
      await sleep(300); // recovery probes run meanwhile
    }
    assert.ok([...codes].every((code) => code === 200 || code === 503), `only 200 or 503, saw ${[...codes].join(', ')}`);

    t.diskFull(false); // room again
    await recovered(t);
    assert.equal((await beat(t, other.api_key)).status, 200);
    t.clock.advance(10 * SECOND);
    assert.equal((await beat(t, other.api_key)).status, 200);
    t.clock.advance(10 * SECOND);
    assert.equal(t.sweep(), 0);
    assert.equal(t.system.monitor.storage.failing, false);
    const alertsForOther = t.count((db) => db.selectFrom('outbox').where('kind', '=', 'alert').where('location_id', '=', other.id));
    assert.equal(alertsForOther, 0, 'the device that kept sending never got an alert');
    const otherStatuses = intervals(t, other.id).map((row) => row.status);
    assert.ok(!otherStatuses.includes('off'), `no outage recorded for it: ${otherStatuses.join(', ')}`);
    assert.ok(otherStatuses.includes('unknown'), 'the failed span is unknown');
    assert.equal(otherStatuses.at(-1), 'on');
  } finally {
    await t.stop();
    dir.cleanup();
  }
});
