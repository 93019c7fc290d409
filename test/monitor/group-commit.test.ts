import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

test('a heartbeat received before the deadline but not yet committed still counts', async () => {
  const dir = tempDir();
  const t = await startTestApp(dir.file('monitor.db'));
  try {
    const place = await t.app.locations.create({ name: 'Home', timeoutS: 60 });
    await t.app.monitor.heartbeat(place.id, {});
    t.clock.advance(59_000);
    const inFlight = t.app.monitor.heartbeat(place.id, {}); // received now, commit pending
    t.clock.advance(2_000); // the old deadline has passed
    assert.equal(t.app.monitor.expire([place.id]), 0, 'no OFF: the heartbeat arrived in time');
    await inFlight;
    const saved = await t.app.locations.get(place.id);
    assert.equal(saved.status, 'on');
    assert.equal(t.app.store.sqlite.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE kind = 'alert'").get()?.n, 0);
  } finally {
    await t.stop();
    dir.cleanup();
  }
});

test('heartbeats arriving together are stored together and each one is acknowledged', async () => {
  const dir = tempDir();
  const t = await startTestApp(dir.file('monitor.db'));
  try {
    const places = await Promise.all(['A', 'B', 'C'].map((name) => t.app.locations.create({ name })));
    const replies = await Promise.all(
      places.flatMap((place) => [1, 2, 3].map(() => fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } }))),
    );
    assert.deepEqual(replies.map((reply) => reply.status), Array(9).fill(200));
    for (const place of places) {
      const saved = await t.app.locations.get(place.id);
      assert.equal(saved.status, 'on');
      assert.equal(saved.last_heartbeat_at, t.clock.now());
    }
    const events = t.app.store.sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM power_events').get();
    assert.equal(events?.n, 3, 'one ON interval per place, not one per heartbeat');
  } finally {
    await t.stop();
    dir.cleanup();
  }
});
