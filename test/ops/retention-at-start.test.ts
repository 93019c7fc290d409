import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { ManualClock } from '../support/clock.js';

test('the service prunes delivered outbox rows past their retention when it starts', async () => {
  const dir = tempDir();
  const clock = new ManualClock();
  const database = dir.file('monitor.db');
  try {
    const first = await startTestApp(database, { clock });
    const insert = first.app.store.sqlite.prepare(
      `INSERT INTO outbox (location_id, kind, payload, created_at, attempts, next_attempt_at, sent_at) VALUES (NULL, 'admin_notice', '{}', ?, 1, ?, ?)`,
    );
    const old = clock.now() - 40 * 24 * 3600_000;
    insert.run(old, old, old);
    insert.run(clock.now(), clock.now(), clock.now());
    await first.stop();

    const second = await startTestApp(database, { clock });
    const left = second.app.store.sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get();
    assert.equal(left?.n, 1, 'the 40-day-old delivered row is gone, the recent one stays');
    await second.stop();
  } finally {
    dir.cleanup();
  }
});
