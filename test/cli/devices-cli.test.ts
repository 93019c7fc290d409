/** `npm run locations -- device…` as an operator types it: the real script in a child process, then a device calling the service. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { tempDir } from '../support/temp-dir.js';
import { scriptArgs } from '../support/repository.js';
import { startTestApp } from '../support/test-app.js';
import { storageUnderTest } from '../support/test-store.js';

const script = scriptArgs('src', 'cli', 'locations.ts');
const dir = tempDir();
after(() => dir.cleanup());

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // On a PostgreSQL run the tool works on the database standing for the file, as the service does.
  const storage = await storageUnderTest(dir.file('monitor.db'));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...script, ...args],
      { env: { PATH: process.env.PATH ?? '', DATABASE_PATH: dir.file('monitor.db'), ...storage, PUBLIC_URL: 'https://power.example.com' }, cwd: dir.path },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('devices from the shell: list, add (key and URLs), rename, rotate, remove; the last one stays', async () => {
  assert.equal((await cli(['add', 'Home'])).code, 0);
  let listed = await cli(['devices', '1']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /#1 Пристрій 1 — not heard from yet/);

  const added = await cli(['device-add', '1', 'Телефон', 'Олени']);
  assert.equal(added.code, 0, added.stderr);
  const key = /Key: +(\S+)/.exec(added.stdout)?.[1];
  assert.ok(key, added.stdout);
  assert.match(added.stdout, /Heartbeats: https:\/\/power\.example\.com\/api\/heartbeat/);
  assert.match(added.stdout, /Events: +https:\/\/power\.example\.com\/api\/event/);
  assert.match(added.stdout, new RegExp(`/api/event\\?key=${key}&mains=off`));

  const taken = await cli(['device-add', '1', 'телефон олени']);
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /already has a device named/);

  // The key the shell printed works against the service at once (same database).
  const t = await startTestApp(dir.file('monitor.db'));
  try {
    const answer = await fetch(t.url(`/api/event?key=${key}&mains=on`));
    assert.equal(answer.status, 200);
  } finally {
    await t.stop();
  }
  listed = await cli(['devices', '1']);
  assert.match(listed.stdout, /#2 Телефон Олени — last seen .* · mains on since/);

  const renamed = await cli(['device-rename', '1', 'Телефон Олени', 'Phone']);
  assert.equal(renamed.code, 0, renamed.stderr);
  assert.match(renamed.stdout, /#2 Phone/);
  const rotated = await cli(['device-rotate-key', '1', '2', '--revoke']);
  assert.equal(rotated.code, 0, rotated.stderr);
  assert.doesNotMatch(rotated.stdout, new RegExp(key!), 'a new key');
  assert.equal((await cli(['device-rotate-key', '1', '2'])).code, 1, 'says how the old key should end');

  assert.equal((await cli(['device-remove', '1', '2'])).code, 0);
  const last = await cli(['device-remove', '1', '1']);
  assert.equal(last.code, 1);
  assert.match(last.stderr, /only device/);
  const missing = await cli(['device-rename', '1', 'Nope', 'X']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no device "Nope"/);
});
