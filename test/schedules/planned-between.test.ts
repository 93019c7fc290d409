import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import { ManualClock } from '../support/clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';
import { gpvBody } from './gpv-body.js';
import { startSourceServer } from './source-server.js';

const kyiv = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Kyiv' }).toMillis();
const dir = tempDir();
let server: Awaited<ReturnType<typeof startSourceServer>>;
let t: TestApp;

before(async () => {
  server = await startSourceServer();
  // The source knows only today (Fri 20 Nov); Thursday's plan is what the place was told then.
  server.reply('/kyiv.json', { kind: 'serve', body: gpvBody({ update: '20.11.2026 11:30', days: { '2026-11-20': { 'GPV3.1': { 15: 'no', 16: 'maybe' } } } }), etag: '"v1"' });
});
after(async () => {
  await t?.stop();
  await server.close();
  dir.cleanup();
});

test('the plan a place followed over a span: the copy for days it knows, what the place was told for days gone, nothing for days unknown', async () => {
  const clock = new ManualClock(kyiv('2026-11-20T23:30'));
  t = await startTestApp(dir.file('monitor.db'), { clock, env: { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')}` } });
  const place = await t.createPlace({ name: 'Дім' });
  assert.equal(t.system.schedules.plannedBetween(place.id, kyiv('2026-11-16T00:00'), kyiv('2026-11-21T00:00')), undefined, 'no schedule: no plan, not an empty one');

  t.system.schedules.store.setPlaceSchedule(place.id, { source: 'kyiv', queue: 'GPV3.1' });
  t.system.schedules.store.rememberTold(place.id, '2026-11-19', [{ start: kyiv('2026-11-19T18:00'), end: kyiv('2026-11-19T21:00'), kind: 'planned' }], clock.now());
  await t.system.schedules.poller.poll('kyiv');
  for (let i = 0; i < 100 && !t.system.schedules.poller.copy('kyiv'); i += 1) await sleep(10);

  const plan = t.system.schedules.plannedBetween(place.id, kyiv('2026-11-16T00:00'), kyiv('2026-11-21T00:00'));
  assert.deepEqual(plan, [
    { from: kyiv('2026-11-19T18:00'), to: kyiv('2026-11-19T21:00'), kind: 'planned' },
    { from: kyiv('2026-11-20T14:00'), to: kyiv('2026-11-20T15:00'), kind: 'planned' },
    { from: kyiv('2026-11-20T15:00'), to: kyiv('2026-11-20T16:00'), kind: 'possible' },
  ]);
  const clipped = t.system.schedules.plannedBetween(place.id, kyiv('2026-11-19T19:00'), kyiv('2026-11-20T14:30'));
  assert.deepEqual(clipped, [
    { from: kyiv('2026-11-19T19:00'), to: kyiv('2026-11-19T21:00'), kind: 'planned' },
    { from: kyiv('2026-11-20T14:00'), to: kyiv('2026-11-20T14:30'), kind: 'planned' },
  ], 'clipped to the span asked for');
});
