import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import type { Clock } from '../../src/clock.js';

/** Real time plus an offset the test moves forward (the worker itself reads the real clock). */
class OffsetClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

test('the Bree sweep worker finds an expired place and the OFF alert is queued within 2 s', async () => {
  const dir = tempDir();
  const clock = new OffsetClock();
  const t = await startTestApp(dir.file('monitor.db'), { runSweepWorker: true, clock });
  try {
    const place = await t.app.locations.create({ name: 'Home', timeoutS: 20 });
    const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
    assert.equal(response.status, 200);
    // 21 s pass for the service; the deadline in the table is now in the past for the worker too.
    clock.offset = 21_000;
    const expiredAt = Date.now();
    t.app.store.sqlite.prepare('UPDATE locations SET deadline_at = ? WHERE id = ?').run(expiredAt, place.id);
    let queuedAt: number | null = null;
    while (Date.now() - expiredAt < 5_000) {
      const row = t.app.store.sqlite.prepare<[number], { id: number }>("SELECT id FROM outbox WHERE location_id = ? AND kind = 'alert'").get(place.id);
      if (row) {
        queuedAt = Date.now();
        break;
      }
      await sleep(50);
    }
    assert.ok(queuedAt !== null, 'an alert was queued');
    assert.ok(queuedAt - expiredAt <= 2_000, `queued ${queuedAt - expiredAt} ms after expiry`);
    assert.equal((await t.app.locations.get(place.id)).status, 'off');
  } finally {
    await t.stop();
    dir.cleanup();
  }
});
