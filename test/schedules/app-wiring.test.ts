import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { gpvBody } from './gpv-body.js';
import { startSourceServer } from './source-server.js';

const dir = tempDir();
let server: Awaited<ReturnType<typeof startSourceServer>>;
let t: TestApp;

before(async () => {
  server = await startSourceServer();
  server.reply('/kyiv.json', { kind: 'serve', body: gpvBody({ update: '20.11.2026 11:30', days: { '2026-11-20': { 'GPV3.1': { 15: 'no' } } } }), etag: '"v1"' });
});
after(async () => {
  await t?.stop();
  await server.close();
  dir.cleanup();
});

test('the service polls the sources its places follow on its own, and /metrics shows their age', async () => {
  const env = { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')}` };
  t = await startTestApp(dir.file('monitor.db'), { env });
  const place = await t.createPlace({ name: 'Дім' });
  t.system.schedules.store.setPlaceSchedule(place.id, { source: 'kyiv', queue: 'GPV3.1' });
  assert.equal(server.requests.length, 0, 'no place followed it at start: nothing was read');
  await t.stop();

  t = await startTestApp(dir.file('monitor.db'), { env });
  const deadline = Date.now() + 5_000;
  while (!t.system.schedules.poller.copy('kyiv') && Date.now() < deadline) await sleep(10);
  assert.deepEqual(
    server.requests.map((r) => r.path),
    ['/kyiv.json'],
  );
  assert.equal(t.system.schedules.view(place.id)?.plan.blocked, null);
  const metrics = await (await fetch(t.url('/metrics'))).text();
  assert.match(metrics, /schedule_source_age_seconds\{source="kyiv"\} 1800/);
  assert.match(metrics, /schedule_fetches_total\{source="kyiv",result="updated"\} 1/);
});
