/** `npm run locations -- …` as an operator types it: the real script in a child process. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { tempDir } from '../support/temp-dir.js';
import { scriptArgs } from '../support/repository.js';
import { storageUnderTest } from '../support/test-store.js';

const script = scriptArgs('src', 'cli', 'locations.ts');
// Run from a temporary folder (no .env of the repository is read); scriptArgs names the script by its path.
const dir = tempDir();
after(() => dir.cleanup());

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // On a PostgreSQL run the tool works on the database standing for the file, as the service does.
  const storage = await storageUnderTest(dir.file('monitor.db'));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...script, ...args],
      { env: { PATH: process.env.PATH ?? '', DATABASE_PATH: dir.file('monitor.db'), ...storage, ...env }, cwd: dir.path },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('the documented channel forms work: --channel -100… and channel <id> -100…', async () => {
  const added = await cli(['add', 'Home', '--channel', '-100111', '--timeout', '90']);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /#1 Home — unknown, timeout 90 s, -100111, uk/);
  const changed = await cli(['channel', '1', '-100222']);
  assert.equal(changed.code, 0, changed.stderr);
  assert.match(changed.stdout, /#1 Home — .*-100222/);
});

test('a command-line mistake prints what is wrong and the usage, not a stack', async () => {
  for (const args of [['add', 'X', '--channel'], ['list', '--colour', 'red'], ['list', '-x']]) {
    const result = await cli(args);
    assert.equal(result.code, 1, args.join(' '));
    assert.match(result.stderr, /needs a value|Unknown option/);
    assert.match(result.stderr, /Usage: npm run locations/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('without PUBLIC_URL, show warns that the config.h address must be replaced, as the chat does', async () => {
  const shown = await cli(['show', '1']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /#define/);
  assert.match(shown.stderr, /PUBLIC_URL is not set/);
  assert.match(shown.stdout + shown.stderr, /<this-server>/);
  const withUrl = await cli(['show', '1'], { PUBLIC_URL: 'https://monitor.example.com' });
  assert.match(withUrl.stdout, /https:\/\/monitor\.example\.com\/api\/heartbeat/);
  assert.doesNotMatch(withUrl.stderr, /PUBLIC_URL/);
});

test('a bad setting prints the configuration problem, not a stack', async () => {
  const result = await cli(['list'], { TIMEZONE: 'Mars/Base' });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /TIMEZONE must be an IANA time zone/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('recipe prints what to paste into a device, with the URL and key in it, in the chosen language', async () => {
  const added = await cli(['add', 'Recipe place', '--timeout', '120'], { PUBLIC_URL: 'https://monitor.example.com' });
  assert.equal(added.code, 0, added.stderr);
  const id = /#(\d+) Recipe place/.exec(added.stdout)?.[1];
  const key = /#define DEVICE_KEY "([A-Za-z0-9_-]+)"/.exec(added.stdout)?.[1];
  assert.ok(id && key);

  const shelly = await cli(['recipe', id, 'shelly'], { PUBLIC_URL: 'https://monitor.example.com' });
  assert.equal(shelly.code, 0, shelly.stderr);
  assert.match(shelly.stdout, /^== Shelly \(Plus \/ Pro \/ Gen3 \/ Gen4\) ==/);
  assert.match(shelly.stdout, /Куди: Вебсторінка Shelly/, "the place's language by default");
  // A device of its own, not the place's first (whose key the config.h above holds).
  const shellyKey = /api\/heartbeat\?key=([A-Za-z0-9_-]+)"/.exec(shelly.stdout)?.[1];
  assert.ok(shellyKey && shellyKey !== key, 'a key of its own');
  assert.match(shelly.stderr, /Device "Shelly \(Plus \/ Pro \/ Gen3 \/ Gen4\)" of "Recipe place"/);
  const again = await cli(['recipe', id, 'shelly'], { PUBLIC_URL: 'https://monitor.example.com' });
  assert.ok(again.stdout.includes(`let HEARTBEAT_URL = "https://monitor.example.com/api/heartbeat?key=${shellyKey}";`), 'asked again: the same device');
  const esp32 = await cli(['recipe', id, 'esp32'], { PUBLIC_URL: 'https://monitor.example.com' });
  assert.ok(esp32.stdout.includes(`#define DEVICE_KEY "${key}"`), "the ESP32 recipe is the place's first device");
  assert.match(shelly.stdout, /let INTERVAL_MS = 20000;/, 'the interval follows the timeout');

  const nut = await cli(['recipe', id, 'nut', '--language', 'en'], { PUBLIC_URL: 'https://monitor.example.com' });
  assert.equal(nut.code, 0, nut.stderr);
  assert.match(nut.stdout, /Where: On the machine running upsmon/);
  assert.ok(nut.stdout.includes("URL=https://monitor.example.com/api/event"));

  const unknown = await cli(['recipe', id, 'toaster']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Unknown kind "toaster"\. Give one of: esp32, shelly, .*nut/);
  assert.equal(unknown.stdout, '');
});
