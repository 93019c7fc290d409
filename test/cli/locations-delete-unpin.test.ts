/** `npm run locations -- delete` beside the running service: the place's pinned diagram is unpinned, as the bot's delete does. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { ManualClock } from '../support/clock.js';
import { scriptArgs } from '../support/repository.js';
import { CHANNEL_ID, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';
import { storageUnderTest } from '../support/test-store.js';

const script = scriptArgs('src', 'cli', 'locations.ts');
const dir = tempDir();
let t: TelegramTestApp;

before(async () => {
  t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(Date.now()) });
});
after(async () => {
  await t.stop();
  dir.cleanup();
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // On a PostgreSQL run the tool works on the database standing for the file, as the service does.
  const storage = await storageUnderTest(dir.file('monitor.db'));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...script, ...args],
      { env: { PATH: process.env.PATH ?? '', DATABASE_PATH: dir.file('monitor.db'), ...storage }, cwd: dir.path },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('deleting a place from the shell unpins its diagram through the running service', async () => {
  const place = await t.createPlace({ name: 'Дача', timeoutS: 60, channelId: String(CHANNEL_ID), language: 'uk' });
  await t.system.diagrams!.sendNow(place.id);
  await t.drain();
  const [pinned] = t.fake.pinned(CHANNEL_ID);
  assert.ok(pinned !== undefined, 'the diagram is pinned');

  const deleted = await cli(['delete', String(place.id)]);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, /Deleted "Дача"/);
  assert.match(deleted.stdout, /pinned diagram is unpinned in the channel by the running service/);

  t.clock.set(Date.now() + 1000);
  await t.drain();
  assert.deepEqual(t.fake.pinned(CHANNEL_ID), [], 'unpinned');
  const unpin = t.fake.callsOf('unpinChatMessage').filter((call) => !call.failed);
  assert.deepEqual(unpin.map((call) => Number(call.params.message_id)), [pinned]);
});
