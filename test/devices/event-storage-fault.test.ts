import assert from 'node:assert/strict';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { startTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

test('an event while storage is locked by another process: 503 with Retry-After, nothing written, and it applies once storage works', async () => {
  const dir = tempDir();
  const path = dir.file('monitor.db');
  const t = await startTestApp(path);
  const foreign = new SqliteDatabase(path);
  try {
    const place = await t.createPlace({ name: 'Home', timeoutS: 60 });
    assert.equal((await fetch(t.url(`/api/event?key=${place.api_key}&mains=on`))).status, 200);
    await t.drain();
    foreign.exec('BEGIN IMMEDIATE');
    foreign.prepare("INSERT INTO service_state (key, value) VALUES ('foreign', 'lock')").run();
    const refused = await fetch(t.url(`/api/event?key=${place.api_key}&mains=off&id=cut-1`));
    assert.equal(refused.status, 503);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(((await refused.json()) as { error: string }).error, 'storage_unavailable');
    foreign.exec('ROLLBACK');
    for (let i = 0; i < 100 && t.system.monitor.storage.failing; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(t.system.monitor.storage.failing, false);
    assert.equal((await t.place(place.id)).status, 'on', 'nothing was decided from the refused event');
    // The phone retries the same event: now it applies, once.
    const retried = await fetch(t.url(`/api/event?key=${place.api_key}&mains=off&id=cut-1`));
    assert.deepEqual(await retried.json(), { ok: true, applied: true });
    assert.equal((await t.place(place.id)).status, 'off');
  } finally {
    foreign.close();
    await t.stop();
    dir.cleanup();
  }
});
