import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { ManualClock } from '../support/clock.js';
import { repositoryPath } from '../support/repository.js';
import { startTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

const crashScript = repositoryPath('test', 'devices', 'crash-after-event.ts');

test('a restart between a mains event and its alert: the alert was committed with the change and goes out once', async () => {
  const dir = tempDir();
  const database = dir.file('monitor.db');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', crashScript, database], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    assert.equal(signal, 'SIGKILL', `the child should have been killed; stderr: ${stderr}`);

    const raw = new SqliteDatabase(database, { readonly: true });
    const rows = raw.prepare("SELECT sent_at, payload FROM outbox WHERE kind = 'alert'").all() as { sent_at: number | null; payload: string }[];
    const place = raw.prepare('SELECT status FROM locations').get() as { status: string };
    raw.close();
    assert.equal(place.status, 'off');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.sent_at, null);

    const t = await startTestApp(database, { clock: new ManualClock(Date.now()) });
    await t.drain();
    await t.drain();
    const alerts = t.sender.delivered.filter((row) => row.kind === 'alert').map((row) => JSON.parse(row.payload) as { alert: { kind: string; confirmed?: boolean } });
    assert.deepEqual(alerts.map((payload) => [payload.alert.kind, payload.alert.confirmed]), [['power_off', true]], 'delivered exactly once');
    await t.stop();
  } finally {
    dir.cleanup();
  }
});
