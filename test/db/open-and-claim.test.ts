import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openStore } from '../../src/db/connection.js';
import { InstanceLockedError } from '../../src/db/instance-lock.js';
import { DatabaseOpenError, explainOpenFailure } from '../../src/db/open-errors.js';
import { startFakeBotApi } from '../support/fake-bot-api.js';
import { startTestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { REPOSITORY_ROOT } from '../support/repository.js';

const repo = REPOSITORY_ROOT;
const main = join(repo, 'src/main.ts');
const TOKEN = '123456789:AAtestTokenForTheFakeBotApi_abcdefghij';

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('one instance per database', () => {
  test('a second service on the same database refuses before writing anything, naming the first', async () => {
    const dir = tempDir();
    const path = dir.file('monitor.db');
    const first = await startTestApp(path);
    try {
      await first.createPlace({ name: 'Home', timeoutS: 60 });
      await first.system.monitor.heartbeat((await first.places())[0]!.id, {});
      const snapshot = () => ({
        events: first.rows((db) => db.selectFrom('power_events').selectAll().orderBy('id')),
        state: first.rows((db) => db.selectFrom('service_state').selectAll().orderBy('key')),
        places: first.rows((db) => db.selectFrom('locations').selectAll().orderBy('id')),
      });
      const before = snapshot();
      first.clock.advance(3_600_000); // a restart recovery would now record an hour as unknown

      await assert.rejects(
        startTestApp(path, { clock: first.clock }),
        (error: unknown) => {
          assert.ok(error instanceof InstanceLockedError, String(error));
          assert.match(error.message, new RegExp(`process ${process.pid} on host "${hostname()}"`));
          assert.match(error.message, /running since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
          assert.match(error.message, /Stop that one first/);
          return true;
        },
      );
      assert.deepEqual(snapshot(), before, 'nothing was written by the refused start');
    } finally {
      await first.stop();
      dir.cleanup();
    }
    // Once the first one stopped, the next starts normally.
    const again = tempDir();
    try {
      const t = await startTestApp(again.file('monitor.db'));
      await t.stop();
      const t2 = await startTestApp(again.file('monitor.db'));
      await t2.stop();
    } finally {
      again.cleanup();
    }
  });

  test('a claim left by a killed process does not block the next start; a live one does, across processes', async () => {
    const dir = tempDir();
    const fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    const env = { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', DATABASE_PATH: dir.file('monitor.db'), BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, OWNER_ID: '1' };
    const startService = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', main], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const up = new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (output.includes('power monitor is up')) (clearInterval(timer), resolve());
        }, 50);
        void exited.then(() => (clearInterval(timer), reject(new Error(`exited before it was up:\n${output}`))));
      });
      up.catch(() => undefined); // awaited only where the start is expected to succeed
      return { child, up, exited, output: () => output };
    };
    try {
      const first = startService();
      await first.up;
      const second = startService();
      assert.equal(await second.exited, 1);
      assert.match(second.output(), new RegExp(`Another instance of the service is already running on .*monitor\\.db: process ${first.child.pid} on host`));
      assert.doesNotMatch(second.output(), /service restarted/, 'no restart recovery ran');

      first.child.kill('SIGKILL');
      await first.exited;
      const third = startService();
      await third.up;
      third.child.kill('SIGTERM');
      assert.equal(await third.exited, 0);
    } finally {
      await fake.close();
      dir.cleanup();
    }
  });
});

describe('start-up database errors say what to do', () => {
  test('a damaged file: names it and says how to restore from a backup', async () => {
    const dir = tempDir();
    try {
      const path = dir.file('monitor.db');
      writeFileSync(path, Buffer.alloc(8192, 0x5a));
      await assert.rejects(openStore(path), (error: unknown) => {
        assert.ok(error instanceof DatabaseOpenError, String(error));
        assert.match(error.message, new RegExp(`${path.replace(/[.]/g, '\\.')} is not a database or is damaged`));
        assert.match(error.message, /Restore it from a backup/);
        assert.match(error.message, /rm -f .*monitor\.db-wal .*monitor\.db-shm/);
        return true;
      });
      assert.equal(readFileSync(path).subarray(0, 16).toString(), 'Z'.repeat(16), 'the damaged file is left as it was');
    } finally {
      dir.cleanup();
    }
  });

  test('a folder the user cannot write: names the user and the chown that fixes it', () => {
    const error = explainOpenFailure(sqliteError('SQLITE_CANTOPEN', 'unable to open database file'), '/app/data/monitor.db', { name: 'node', uid: 1000, gid: 1000 }, (path) =>
      path === '/app/data' ? 'EACCES' : null,
    );
    assert.ok(error instanceof DatabaseOpenError);
    assert.match(error.message, /the folder \/app\/data is not writable by user "node" \(uid 1000\)/);
    assert.match(error.message, /Fix it as root: chown -R 1000:1000 \/app\/data/);
  });

  test('a read-only file: names the file and the fix', () => {
    const error = explainOpenFailure(sqliteError('SQLITE_READONLY', 'attempt to write a readonly database'), '/srv/monitor.db', { name: 'svc', uid: 998, gid: 997 }, (path) =>
      path === '/srv/monitor.db' ? 'EACCES' : null,
    );
    assert.ok(error instanceof DatabaseOpenError);
    assert.match(error.message, /\/srv\/monitor\.db: it is read-only for user "svc" \(uid 998\)/);
    assert.match(error.message, /chown 998:997 \/srv\/monitor\.db\* && chmod u\+rw/);
  });

  test('for real, as an unprivileged user: an unwritable folder and a read-only file', (t) => {
    const asUser = unprivilegedRunner();
    if (!asUser) {
      t.skip('needs to run as a non-root user, or as root with setpriv and a checkout readable by "nobody"');
      return;
    }
    const dir = tempDir();
    try {
      chmodSync(dir.path, 0o777);
      const locked = join(dir.path, 'locked');
      mkdirSync(locked, { mode: 0o555 });
      chmodSync(locked, 0o555);
      const folderRun = asUser(join(locked, 'data', 'monitor.db'));
      assert.equal(folderRun.status, 1, folderRun.output);
      assert.match(folderRun.output, /is not writable by user .*Fix it as root: chown -R/s);

      const readOnly = join(dir.path, 'ro.db');
      const created = asUser(readOnly, 'create');
      assert.equal(created.status, 0, created.output);
      chmodSync(readOnly, 0o444);
      const fileRun = asUser(readOnly);
      assert.equal(fileRun.status, 1, fileRun.output);
      assert.match(fileRun.output, /it is read-only for user .*chmod u\+rw/s);
    } finally {
      dir.cleanup();
    }
  });
});

/** Runs openStore in a child process as a user without root's powers, if this machine allows it. */
function unprivilegedRunner(): ((databasePath: string, mode?: 'open' | 'create') => { status: number | null; output: string }) | null {
  const script = (path: string, mode: string) =>
    `import { openStore } from ${JSON.stringify(join(repo, 'src/db/connection.ts'))};` +
    `try { const s = await openStore(${JSON.stringify(path)}); ${mode === 'create' ? '' : 's.sqlite.exec("CREATE TABLE probe (x)");'} await s.close(); process.exit(0); }` +
    ` catch (e) { console.error(e.message); process.exit(1); }`;
  const isRoot = process.getuid?.() === 0;
  const prefix = isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const run = (path: string, mode = 'open') => {
    const [command, ...args] = [...prefix, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script(path, mode)];
    const result = spawnSync(command!, args, { cwd: repo, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: '/tmp' } });
    return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
  };
  if (!isRoot) return run;
  const probe = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(join(repo, 'node_modules', 'tsx'))})`]);
  return probe.status === 0 ? run : null;
}
