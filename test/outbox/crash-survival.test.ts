import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import SqliteDatabase from 'better-sqlite3';
import { startTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { ManualClock } from '../support/clock.js';
import { repositoryPath } from '../support/repository.js';

const crashScript = repositoryPath('test', 'outbox', 'crash-after-transition.ts');

test('an outbox row committed with a transition survives kill -9 and is delivered once after restart', async () => {
  const dir = tempDir();
  const database = dir.file('monitor.db');
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', crashScript, database], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    assert.equal(signal, 'SIGKILL', `the child should have been killed; stderr: ${stderr}`);

    const raw = new SqliteDatabase(database, { readonly: true });
    const rows = raw.prepare("SELECT kind, sent_at, payload FROM outbox WHERE kind <> 'admin_notice'").all() as { kind: string; sent_at: number | null; payload: string }[];
    raw.close();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.kind, 'alert');
    assert.equal(rows[0]!.sent_at, null);

    const t = await startTestApp(database, { clock: new ManualClock(Date.now()) });
    await t.drain();
    await t.drain();
    // (The device's "on the air" notice to the admins went out as well: not what this test is about.)
    const alerts = t.sender.delivered.filter((row) => row.kind === 'alert');
    assert.equal(alerts.length, 1, 'delivered exactly once');
    assert.equal((JSON.parse(alerts[0]!.payload) as { alert: { kind: string } }).alert.kind, 'power_off');
    await t.stop();
  } finally {
    dir.cleanup();
  }
});
