import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/db/connection.js';
import { newDeviceKey } from '../../src/places/place-rules.js';
import { ManualClock } from '../support/clock.js';
import { startTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

const PLACES = 6_000;
const HOUR = 3_600_000;

test('a restart with many places opens at once; the rest of the gaps follow in the background, a touched place first, and no false OFF', async () => {
  const dir = tempDir();
  const path = dir.file('monitor.db');
  const clock = new ManualClock();
  const wentDown = clock.now() - 2 * HOUR;
  const keys: string[] = [];
  const seed = await openStore(path);
  const insertPlace = seed.sqlite.prepare(
    `INSERT INTO locations (name, api_key, timeout_s, language, status, status_since, last_heartbeat_at, deadline_at, created_at, paused, alerting_failed)
     VALUES (?, ?, 60, 'uk', 'on', ?, ?, ?, ?, 0, 0)`,
  );
  const insertInterval = seed.sqlite.prepare(`INSERT INTO power_events (location_id, status, started_at, ended_at, start_edge) VALUES (?, 'on', ?, NULL, 'first_heartbeat')`);
  seed.sqlite.transaction(() => {
    for (let i = 0; i < PLACES; i += 1) {
      const key = newDeviceKey();
      keys.push(key);
      const { lastInsertRowid } = insertPlace.run(`Place ${i + 1}`, key, wentDown - HOUR, wentDown, wentDown + 60_000, wentDown - HOUR);
      insertInterval.run(lastInsertRowid, wentDown - HOUR);
    }
    seed.sqlite.prepare("INSERT INTO service_state (key, value) VALUES ('last_alive_at', ?)").run(String(wentDown));
  })();
  await seed.close();

  const t = await startTestApp(path, { clock });
  try {
    const startedAt = clock.now();
    assert.ok(t.system.monitor.gapsPending > 0, 'the service opened before every gap was recorded');
    // The last place is among those still waiting: its heartbeat records its gap first.
    const last = PLACES;
    const status = (await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${keys[last - 1]}` } })).status;
    assert.equal(status, 200);
    // Every deadline in the file is hours old: the sweep must decide nothing before a full timeout.
    assert.equal(t.sweep(), 0);

    for (let waited = 0; t.system.monitor.gapsPending > 0 && waited < 10_000; waited += 20) await sleep(20);
    assert.equal(t.system.monitor.gapsPending, 0, 'the background caught up');
    assert.equal(
      t.count((db) => db.selectFrom('power_events').where('status', '=', 'unknown').where('start_edge', '=', 'server_down').where('started_at', '=', wentDown)),
      PLACES,
      'every place has its unknown span from the moment the old run stopped',
    );
    const touched = t.rows((db) => db.selectFrom('power_events').select(['status', 'started_at', 'ended_at']).where('location_id', '=', last).orderBy('id'));
    assert.deepEqual(
      touched.map((row) => [row.status, row.started_at, row.ended_at]),
      [
        ['on', wentDown - HOUR, wentDown],
        ['unknown', wentDown, startedAt],
        ['on', startedAt, null],
      ],
    );
    assert.equal(Number(t.row((db) => db.selectFrom('service_state').select('value').where('key', '=', 'last_alive_at'))!.value), clock.now(), 'the alive mark moves on once all gaps are in');
    clock.advance(30_000);
    assert.equal(t.sweep(), 0, 'nobody goes off inside the first timeout after the start');
    assert.equal(t.count((db) => db.selectFrom('outbox').where('kind', '=', 'alert')), 0);
  } finally {
    await t.stop();
    dir.cleanup();
  }
});
