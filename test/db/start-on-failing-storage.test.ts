import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { STORAGE_FAULT_KINDS, type StorageFaultKind } from '../../src/db/storage-faults.js';
import { capturedLogger, LEVEL } from '../support/captured-logger.js';
import { FaultInjector } from '../support/fault-injection.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { App } from '../../src/app/app.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * A start on a database that cannot be written (the disk full, the file read-only, another process
 * holding the write lock) does not exit (a supervisor would restart it in a loop): it comes up,
 * answers heartbeats with 503 and /health with db: error, and carries on by itself once writes work.
 */

async function beat(t: TestApp, key: string): Promise<number> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status;
}

async function health(t: TestApp): Promise<{ status: number; db: string }> {
  const response = await fetch(t.url('/health'));
  return { status: response.status, db: ((await response.json()) as { db: string }).db };
}

async function until(condition: () => boolean | Promise<boolean>, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('not in time');
    await sleep(50);
  }
}

/** A database with one place that was on when the service stopped. */
async function prepared(path: string): Promise<string> {
  const t = await startTestApp(path);
  const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
  assert.equal(await beat(t, place.api_key), 200);
  await t.stop();
  return place.api_key;
}

test('started while another process holds the write lock: 503 and db: error, then on by itself once the lock goes', async () => {
  const dir = tempDir();
  const path = dir.file('monitor.db');
  const key = await prepared(path);
  const foreign = new SqliteDatabase(path);
  foreign.exec('BEGIN IMMEDIATE');
  foreign.prepare("INSERT INTO service_state (key, value) VALUES ('foreign', 'lock')").run();
  const { logger, lines } = capturedLogger('info');
  let t: TestApp | undefined;
  try {
    t = await startTestApp(path, { logger });
    assert.equal(await beat(t, key), 503);
    assert.deepEqual(await health(t), { status: 503, db: 'error' });
    assert.ok(lines.some((line) => line.level >= LEVEL.error && /locked by another process/.test(line.msg)), 'the log says why');
    foreign.exec('COMMIT');
    const started = t;
    await until(async () => (await health(started)).db === 'ok');
    assert.equal(await beat(t, key), 200, 'heartbeats are stored again');
    t.clock.advance(59_000);
    assert.equal(t.sweep(), 0, 'no OFF: the device was heard');
  } finally {
    if (foreign.inTransaction) foreign.exec('ROLLBACK');
    foreign.close();
    await t?.stop();
    dir.cleanup();
  }
});

for (const kind of ['full', 'readonly', 'io', 'busy'] satisfies StorageFaultKind[]) {
  test(`started while every write fails (${kind}): 503 and db: error, no OFF, recovery once writes work`, async () => {
    assert.ok(STORAGE_FAULT_KINDS.includes(kind));
    const dir = tempDir();
    const path = dir.file('monitor.db');
    const key = await prepared(path);
    const injector = FaultInjector.install();
    injector.fail({ kind });
    let t: TestApp | undefined;
    try {
      t = await startTestApp(path);
      assert.ok(injector.injected.length > 0, 'the start tried to write');
      for (let i = 0; i < 5; i += 1) {
        assert.equal(await beat(t, key), 503);
        t.clock.advance(30_000);
        assert.equal(t.sweep(), 0, 'nothing is decided while heartbeats cannot be stored');
      }
      assert.deepEqual(await health(t), { status: 503, db: 'error' });
      injector.clear();
      const started = t;
      await until(() => !started.system.monitor.storage.failing);
      assert.deepEqual(await health(t), { status: 200, db: 'ok' });
      assert.equal(await beat(t, key), 200);
      t.clock.advance(59_000);
      assert.equal(t.sweep(), 0, 'a full timeout after recovery, and the device was heard: no OFF');
      const alerts = t.count((db) => db.selectFrom('outbox').where('kind', '=', 'alert'));
      assert.equal(alerts, 0, 'no false alert');
    } finally {
      injector.uninstall();
      await t?.stop();
      dir.cleanup();
    }
  });
}

test('a database that cannot even be opened (every statement fails): the port answers 503 and db: error meanwhile, then the service starts by itself', async () => {
  const dir = tempDir();
  const path = dir.file('monitor.db');
  const key = await prepared(path);
  const injector = FaultInjector.install();
  injector.fail({ kind: 'io', reads: true });
  let app: App | undefined;
  let t: TestApp | undefined;
  try {
    const starting = startTestApp(path, { onCreated: (created) => (app = created) });
    await until(() => (app?.port ?? 0) > 0);
    const url = (route: string) => `http://127.0.0.1:${app!.port}${route}`;
    const refused = await fetch(url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${key}` } });
    await refused.arrayBuffer();
    assert.equal(refused.status, 503, 'a heartbeat is told to come back, not refused a connection');
    assert.equal(refused.headers.get('retry-after'), '5');
    const waiting = await fetch(url('/health'));
    assert.equal(waiting.status, 503);
    assert.equal(((await waiting.json()) as { db: string }).db, 'error');
    const heldPort = app!.port;
    injector.clear();
    t = await starting;
    assert.equal(t.port, heldPort, 'the service takes over the same port');
    assert.equal(await beat(t, key), 200);
    assert.deepEqual(await health(t), { status: 200, db: 'ok' });
  } finally {
    injector.uninstall();
    await t?.stop();
    dir.cleanup();
  }
});

test('a damaged file still stops the start with what to do (waiting would not help)', async () => {
  const dir = tempDir();
  const path = dir.file('monitor.db');
  await prepared(path);
  const injector = FaultInjector.install();
  injector.fail({ kind: 'corrupt', reads: true });
  try {
    await assert.rejects(startTestApp(path), /damaged|malformed/);
  } finally {
    injector.uninstall();
    dir.cleanup();
  }
});
