import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../support/clock.js';
import { openStore } from '../../src/db/connection.js';
import { openReadOnly } from '../../src/db/read-only.js';
import { UPDATE_MEMORY_MS, UpdateLog } from '../../src/sessions/update-log.js';
import { tempDir } from '../support/temp-dir.js';

test('an update id is taken once; old ids are forgotten; a database that cannot be written lets the update through', async () => {
  const dir = tempDir();
  const store = await openStore(dir.file('monitor.db'));
  const clock = new ManualClock();
  try {
    const log = new UpdateLog(store.connection, clock);
    assert.equal(log.firstTime(41), true);
    assert.equal(log.firstTime(41), false, 'the same update again (a retry, maybe on another instance)');
    assert.equal(log.firstTime(42), true);
    clock.advance(UPDATE_MEMORY_MS + 1);
    assert.equal(log.prune(clock.now()), 2);
    // Storage failing: acting on an admin's command twice is better than losing it.
    const readOnly = openReadOnly(dir.file('monitor.db'));
    try {
      assert.equal(new UpdateLog(readOnly, clock).firstTime(43), true);
      assert.equal(new UpdateLog(readOnly, clock).firstTime(43), true);
    } finally {
      readOnly.close();
    }
  } finally {
    await store.close();
    dir.cleanup();
  }
});
