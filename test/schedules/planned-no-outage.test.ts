import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Place } from '../../src/places/place-service.js';
import { settledPlannedIntervals, settledSpans } from '../../src/schedules/skip-recorder.js';
import { attachedFile, startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import { OWNER, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat, heartbeat, textsOf } from '../support/admin-chat.js';
import { tempDir } from '../support/temp-dir.js';
import { gpvBody } from './gpv-body.js';
import { startSourceServer } from './source-server.js';
import { buildQueuePlan } from '../../src/schedules/queue-plan.js';
import { copyOf, HEALTHY, planOf, RULES } from './plans.js';
import { HOUR, MIN, utc } from './fixture.js';

const at = (h: number, m = 0, s = 0) => Date.UTC(2026, 10, 20, h, m, s);

describe('which planned outages are settled', () => {
  test('only planned intervals that ended by the settled moment and after the look-back, none from a blocked plan', () => {
    // gpv-small.json, 2026-01-14, GPV1.1: planned 07:00–10:00, 15:30–18:00, 23:00–24:00 local (UTC+2); GPV1.2 has possible ones.
    const now = utc(2026, 1, 14, 19);
    const plan = planOf('gpv-small.json', 'GPV1.1', now);
    const ends = (settled: number, since = 0) => settledPlannedIntervals(plan, settled, since).map((i) => new Date(i.end).toISOString().slice(11, 16));
    assert.deepEqual(ends(utc(2026, 1, 14, 16, 0)), ['08:00', '16:00']);
    assert.deepEqual(ends(utc(2026, 1, 14, 15, 59)), ['08:00'], 'an interval that has not ended is not settled');
    assert.deepEqual(ends(utc(2026, 1, 14, 16), utc(2026, 1, 14, 9)), ['16:00'], 'older than the look-back is not looked at');
    assert.deepEqual(settledPlannedIntervals(planOf('gpv-small.json', 'GPV1.2', now), now, 0).filter((i) => i.kind !== 'planned'), []);
    const failing = buildQueuePlan(copyOf('gpv-small.json', now - 2 * HOUR), { ...HEALTHY, failures: 3 }, 'GPV1.1', now, RULES);
    assert.equal(failing.blocked, 'fetch-failing');
    assert.deepEqual(settledPlannedIntervals(failing, now, 0), []);
  });

  test('the power is known up to the last heartbeat while it is on, and up to the change while it is not', () => {
    const on = [
      { status: 'off' as const, started_at: 0, ended_at: 10 * MIN },
      { status: 'on' as const, started_at: 10 * MIN, ended_at: null },
    ];
    assert.deepEqual(settledSpans(on, 50 * MIN), {
      settledUntil: 50 * MIN,
      spans: [
        { status: 'off', start: 0, end: 10 * MIN },
        { status: 'on', start: 10 * MIN, end: 50 * MIN },
      ],
    });
    const off = [
      { status: 'on' as const, started_at: 0, ended_at: 10 * MIN },
      { status: 'off' as const, started_at: 10 * MIN, ended_at: null },
    ];
    assert.equal(settledSpans(off, 9 * MIN).settledUntil, 10 * MIN);
    assert.equal(settledSpans([], null).settledUntil, 0, 'no history: nothing is known');
  });
});

/**
 * "За графіком, але світло було": real heartbeats to the real service, a local HTTP server playing
 * the source, the recorder run by hand with the test clock; then the records in the chat's recent
 * events and the CSV export.
 */
describe('planned outages that did not happen', () => {
  const dir = tempDir();
  let server: Awaited<ReturnType<typeof startSourceServer>>;
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  let env: Record<string, string>;
  let steady: Place;
  let flaky: Place;

  // 2026-11-20, GPV1.1, Kyiv time (UTC+2): 13:00–15:00, 16:00–17:00 and 21:00–22:00 planned.
  const body = gpvBody({ update: '20.11.2026 11:30', days: { '2026-11-20': { 'GPV1.1': { 14: 'no', 15: 'no', 17: 'no', 22: 'no' } } } });
  const beat = async (place: Place) => assert.equal(await heartbeat(t.url('/api/heartbeat'), place.api_key), 200);
  /** The clock moves; the poller, as it would on its own every few minutes, reads the source again. */
  const moveTo = async (ms: number) => {
    t.clock.set(ms);
    await t.system.schedules.poller.pollDue();
  };
  const skipsOf = (place: Place) => t.system.schedules.skipsBetween(place.id, 0, Number.MAX_SAFE_INTEGER);

  before(async () => {
    server = await startSourceServer();
    server.reply('/kyiv.json', { kind: 'serve', body, etag: '"v1"' });
    env = { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')}` };
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { fake, env });
    t.clock.set(at(10));
    // A long timeout: no deadline passes between the test's heartbeats, and the power stays on.
    steady = await t.createPlace({ name: 'Дім', timeoutS: 86_400 });
    flaky = await t.createPlace({ name: 'Дача', timeoutS: 60 });
    assert.equal((await t.system.schedules.queueChoices('kyiv')).kind, 'queues');
    for (const place of [steady, flaky]) t.system.schedules.attach(place.id, 'kyiv', '1.1');
  });
  after(async () => {
    await t.stop();
    await fake.close();
    await server.close();
    dir.cleanup();
  });

  test('power on through a planned interval is recorded once it is settled; an outage inside it is not', async () => {
    await beat(steady);
    await beat(flaky);
    await moveTo(at(11, 30));
    await beat(steady);
    assert.equal(t.sweep(), 1, 'Дача goes off inside the planned 13:00–15:00');
    await moveTo(at(13, 0, 30));
    await beat(steady);
    assert.equal(await t.system.schedules.skips.record(), 1);
    assert.deepEqual(
      skipsOf(steady).map((s) => [s.starts_at, s.ends_at, s.source_id, s.queue]),
      [[at(11), at(13), 'kyiv', 'GPV1.1']],
    );
    await moveTo(at(13, 30));
    await beat(flaky);
    assert.equal(await t.system.schedules.skips.record(), 0);
    assert.deepEqual(skipsOf(flaky), [], 'the power went off during it');
  });

  test('an interval over but not yet confirmed by a heartbeat waits; then it is recorded, and only once', async () => {
    await moveTo(at(14, 59));
    await beat(steady);
    assert.equal(await t.system.schedules.skips.record(), 0, 'not over yet');
    await moveTo(at(15, 0, 5));
    assert.equal(await t.system.schedules.skips.record(), 0, 'over, but the last heartbeat is from before its end');
    await moveTo(at(15, 0, 20));
    await beat(steady);
    assert.equal(await t.system.schedules.skips.record(), 1);
    assert.equal(await t.system.schedules.skips.record(), 0);
    assert.deepEqual(skipsOf(flaky), [], 'Дача has been silent since 13:30: nothing is known');
  });

  test('a restart records nothing twice', async () => {
    await t.stop();
    t = await startTelegramTestApp(dir.file('monitor.db'), { fake, env });
    await moveTo(at(15, 1));
    assert.equal(await t.system.schedules.skips.record(), 0);
    assert.equal(skipsOf(steady).length, 2);
  });

  test('a day that leaves the source is looked at before the new copy replaces it', async () => {
    await moveTo(at(20, 0, 10));
    await beat(steady);
    const nextDayOnly = gpvBody({ update: '20.11.2026 22:00', days: { '2026-11-21': { 'GPV1.1': { 9: 'no' } } } });
    server.reply('/kyiv.json', { kind: 'serve', body: nextDayOnly, etag: '"v2"' });
    assert.equal((await t.system.schedules.poller.poll('kyiv')).result, 'updated');
    assert.deepEqual(
      skipsOf(steady).map((s) => s.starts_at),
      [at(11), at(14), at(19)],
      '21:00–22:00 was recorded from the copy that had it',
    );
  });

  test('the chat shows them in recent events and in the CSV export', async () => {
    const chat = new AdminChat(fake, OWNER);
    await chat.send('/start');
    await chat.press(chat.lastMenu(), AdminChat.labels(chat.lastMenu()).find((label) => label.includes('Дім'))!);
    const events = textsOf(await chat.press(chat.lastMenu(), '📜 Останні події')).join('\n');
    assert.match(events, /📅 20\.11 21:00–22:00 за графіком, але світло було\n📅 20\.11 16:00–17:00 за графіком, але світло було\n📅 20\.11 13:00–15:00 за графіком, але світло було\n🟢 світло є з 20\.11 12:00/);

    await chat.send('/export');
    const calls = await chat.press(chat.lastMenu(), AdminChat.labels(chat.lastMenu()).find((label) => label.includes('Дім'))!);
    const document = calls.find((call) => call.method === 'sendDocument')!;
    const csv = attachedFile(document, document.params.document)?.bytes.toString('utf8') ?? '';
    const lines = csv.split('\r\n');
    assert.match(lines[1]!, /^on,2026-11-20T12:00:00\+02:00,/);
    assert.equal(lines[2], 'planned_no_outage,2026-11-20T13:00:00+02:00,2026-11-20T15:00:00+02:00,120.0,2026-11-20T11:00:00Z,2026-11-20T13:00:00Z,schedule kyiv GPV1.1,schedule');
    assert.equal(lines.filter((line) => line.startsWith('planned_no_outage,')).length, 3);
  });
});
