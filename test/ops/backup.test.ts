import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { openStore, type Store } from '../../src/db/connection.js';
import { backupDatabase } from '../../src/ops/backup.js';
import { tempDir } from '../support/temp-dir.js';
import { REPOSITORY_ROOT } from '../support/repository.js';

const run = promisify(execFile);
const REPO = REPOSITORY_ROOT;
/** The shell command an operator runs (`node dist/cli/backup.js` in the container). */
const backupCli = (args: string[], databasePath: string) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/backup.ts', ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH, DATABASE_PATH: databasePath },
  });

describe('database backup', () => {
  const dir = tempDir('monitor-backup-');
  let store: Store;

  before(async () => {
    store = await openStore(dir.file('monitor.db'));
    const { sqlite } = store;
    sqlite.prepare("INSERT INTO locations (name, api_key, created_at) VALUES ('Home', 'backup-test-key-0001', 0)").run();
    // Enough pages (~2 MB) that the online backup needs several steps, so writes can land between them.
    const insert = sqlite.prepare("INSERT INTO outbox (location_id, kind, payload, created_at, next_attempt_at) VALUES (1, 'alert', ?, ?, ?)");
    sqlite.transaction(() => {
      for (let i = 0; i < 2_000; i += 1) insert.run('x'.repeat(1_000), i, i);
    })();
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  const outboxCount = (sqlite: SqliteDatabase.Database) => sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get()!.n;

  test('a backup taken while the service keeps writing is a valid database with every committed row', async () => {
    const { sqlite } = store;
    const insert = sqlite.prepare("INSERT INTO outbox (location_id, kind, payload, created_at, next_attempt_at) VALUES (1, 'alert', 'during backup', ?, ?)");
    let writesDuringBackup = 0;
    let backingUp = true;
    // Heartbeats do not wait for a backup: keep committing one row per event-loop turn meanwhile.
    const writeWhileBackingUp = () => {
      if (!backingUp) return;
      insert.run(Date.now(), Date.now());
      writesDuringBackup += 1;
      setImmediate(writeWhileBackingUp);
    };
    setImmediate(writeWhileBackingUp);

    const target = dir.file('backups/monitor-snapshot.db');
    await backupDatabase(sqlite, target);
    backingUp = false;
    const rowsAtTheEnd = outboxCount(sqlite);

    assert.ok(writesDuringBackup > 0, 'some rows were written while the backup ran');
    const copy = new SqliteDatabase(target, { readonly: true, fileMustExist: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete', 'one self-contained file, no -wal side file');
      assert.equal(outboxCount(copy), rowsAtTheEnd, 'writes made during the backup are in the snapshot');
      assert.equal(copy.prepare<[], { name: string }>('SELECT name FROM locations').get()?.name, 'Home');
      const migrations = copy.prepare<[], { n: number }>('SELECT count(*) AS n FROM kysely_migration').get()!.n;
      assert.ok(migrations >= 1, 'the schema history came along, so the service can open the copy');
    } finally {
      copy.close();
    }
    assert.deepEqual(readdirSync(dir.file('backups')), ['monitor-snapshot.db'], 'no partial files left behind');
  });

  test('a second backup to the same path replaces the first, and the copy opens as a working store', async () => {
    const target = dir.file('backups/again.db');
    await backupDatabase(store.sqlite, target);
    store.sqlite.prepare("INSERT INTO locations (name, api_key, created_at) VALUES ('Dacha', 'backup-test-key-0002', 0)").run();
    await backupDatabase(store.sqlite, target);

    const restored = await openStore(target);
    try {
      const names = await restored.db.selectFrom('locations').select('name').orderBy('id').execute();
      assert.deepEqual(names.map((row) => row.name), ['Home', 'Dacha']);
    } finally {
      await restored.close();
    }
  });

  test('a backup that cannot be written fails loudly and leaves nothing behind', async () => {
    const target = dir.file('monitor.db/inside-a-file.db');
    await assert.rejects(backupDatabase(store.sqlite, target));
    assert.equal(existsSync(`${target}.partial`), false);
  });

  test('from the shell: a read-only copy while the service holds the database open', async () => {
    const target = dir.file('shell/copy.db');
    const { stdout } = await backupCli([target], dir.file('monitor.db'));
    assert.match(stdout, /Backed up .* to .*copy\.db/);
    const copy = new SqliteDatabase(target, { readonly: true, fileMustExist: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(outboxCount(copy), outboxCount(store.sqlite));
    } finally {
      copy.close();
    }
  });

  test('from the shell: a wrong DATABASE_PATH fails instead of backing up a new empty file', async () => {
    const missing = dir.file('nowhere/monitor.db');
    await assert.rejects(backupCli([dir.file('shell/never.db')], missing), (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr ?? '', /Cannot open the database at .*nowhere/);
      return true;
    });
    assert.equal(existsSync(missing), false);
    assert.equal(existsSync(dir.file('shell/never.db')), false);
  });
});
