import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

test('a heartbeat received before the deadline but not yet committed still counts', async () => {
  const dir = tempDir();
  const t = await startTestApp(dir.file('monitor.db'));
  try {
    const place = await t.createPlace({ name: 'Home', timeoutS: 60 });
    await t.system.monitor.heartbeat(place.id, {});
    t.clock.advance(59_000);
    const inFlight = t.system.monitor.heartbeat(place.id, {}); // received now, commit pending
    t.clock.advance(2_000); // the old deadline has passed
    assert.equal(t.expire([place.id]), 0, 'no OFF: the heartbeat arrived in time');
    await inFlight;
    const saved = await t.place(place.id);
    assert.equal(saved.status, 'on');
    assert.equal(t.count((db) => db.selectFrom('outbox').where('kind', '=', 'alert')), 0);
  } finally {
    await t.stop();
    dir.cleanup();
  }
});

test('heartbeats arriving together are stored together and each one is acknowledged', async () => {
  const dir = tempDir();
  const t = await startTestApp(dir.file('monitor.db'));
  try {
    const places = await Promise.all(['A', 'B', 'C'].map((name) => t.createPlace({ name })));
    const replies = await Promise.all(
      places.flatMap((place) => [1, 2, 3].map(() => fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } }))),
    );
    assert.deepEqual(replies.map((reply) => reply.status), Array(9).fill(200));
    for (const place of places) {
      const saved = await t.place(place.id);
      assert.equal(saved.status, 'on');
      assert.equal(saved.last_heartbeat_at, t.clock.now());
    }
    const events = t.count((db) => db.selectFrom('power_events'));
    assert.equal(events, 3, 'one ON interval per place, not one per heartbeat');
  } finally {
    await t.stop();
    dir.cleanup();
  }
});
