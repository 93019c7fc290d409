import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareStatement } from '../../src/db/prepared-statement.js';
import { prepareQuery, statementPlan } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import { openTestStore } from '../support/test-store.js';
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
  const seed = await openTestStore(path);
  const insertPlace = statementPlan((p: { name: string; key: string; since: number; heardAt: number; deadline: number }) =>
    queryBuilder
      .insertInto('locations')
      .values({ name: p.name, api_key: p.key, timeout_s: 60, language: 'uk', status: 'on', status_since: p.since, last_heartbeat_at: p.heardAt, deadline_at: p.deadline, created_at: p.since, paused: 0, alerting_failed: 0 })
      .returning('id'),
  );
  const insertInterval = statementPlan((p: { placeId: number; since: number }) =>
    queryBuilder.insertInto('power_events').values({ location_id: p.placeId, status: 'on', started_at: p.since, ended_at: null, start_edge: 'first_heartbeat' }),
  );
  const places = prepareStatement(seed.connection, insertPlace);
  const intervals = prepareStatement(seed.connection, insertInterval);
  seed.connection.transaction(() => {
    for (let i = 0; i < PLACES; i += 1) {
      const key = newDeviceKey();
      keys.push(key);
      const { id } = places.one({ name: `Place ${i + 1}`, key, since: wentDown - HOUR, heardAt: wentDown, deadline: wentDown + 60_000 });
      intervals.run({ placeId: id, since: wentDown - HOUR });
    }
    prepareQuery(seed.connection, queryBuilder.insertInto('service_state').values({ key: 'last_alive_at', value: String(wentDown) })).run();
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
