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
    const insert = (at: number) =>
      first.write((db) =>
        db.insertInto('outbox').values({ location_id: null, kind: 'admin_notice', payload: '{}', created_at: at, attempts: 1, next_attempt_at: at, sent_at: at }),
      );
    const old = clock.now() - 40 * 24 * 3600_000;
    insert(old);
    insert(clock.now());
    await first.stop();

    const second = await startTestApp(database, { clock });
    const left = second.count((db) => db.selectFrom('outbox'));
    assert.equal(left, 1, 'the 40-day-old delivered row is gone, the recent one stays');
    await second.stop();
  } finally {
    dir.cleanup();
  }
});
