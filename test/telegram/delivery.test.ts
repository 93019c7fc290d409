import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { CHANNEL_ID, OWNER, startTelegramTestApp, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';
import { ManualClock } from '../support/clock.js';
import type { Place } from '../../src/places/place-service.js';
import { repositoryPath } from '../support/repository.js';

const MIN = 60_000;
// 2026-11-20 12:00 in Kyiv
const NOON = Date.UTC(2026, 10, 20, 10, 0);

async function beat(t: TelegramTestApp, place: Place, body: object = {}): Promise<void> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` }, body: JSON.stringify(body) });
  assert.equal(response.status, 200);
}

const textOf = (call: RecordedCall) => String(call.params.text);
const postsTo = (fake: FakeBotApi, chat: number) => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chat && !c.failed);

/** Heartbeat, then silence past the timeout: the place goes OFF. */
async function cutPower(t: TelegramTestApp, place: Place, silenceMs = 90 * MIN): Promise<void> {
  await beat(t, place, { uptime_ms: 3600_000, boot_id: 'boot-1' });
  t.clock.advance(silenceMs);
  assert.equal(t.expire([place.id]), 1);
}

describe('alerts to the channel', () => {
  let t: TelegramTestApp;
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(NOON) });

  test('an outage and a restore make exactly two posts, in Ukrainian', async () => {
    const channel = CHANNEL_ID;
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60, channelId: String(channel), language: 'uk' });
    await beat(t, place, { uptime_ms: 3600_000, boot_id: 'boot-1' });
    t.clock.advance(30 * MIN);
    await beat(t, place, { uptime_ms: 3600_000 + 30 * MIN, boot_id: 'boot-1' });
    t.clock.advance(2 * MIN);
    t.sweep();
    const off = await t.fake.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === channel && !c.failed);
    assert.equal(textOf(off), '🔴 <b>Світло зникло</b>\n📍 Дім\n🕒 12:30 · світло було 30 хв');
    assert.equal(off.params.parse_mode, 'HTML');

    t.clock.advance(190 * MIN); // back at 15:42; the board booted 40 s before its first heartbeat
    await beat(t, place, { uptime_ms: 39_000, boot_id: 'boot-2', reset_reason: 'POWERON' });
    const on = await t.fake.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === channel && !c.failed && textOf(c).includes('Світло є'));
    assert.equal(textOf(on), "🟢 <b>Світло є</b>\n📍 Дім\n🕒 15:41 · не було 3 год 11 хв\nℹ️ Час, коли з'явилося світло, повідомив сам пристрій: він увімкнувся разом зі світлом.");
    await t.drain();
    assert.equal(postsTo(t.fake, channel).length, 2, 'exactly two posts');
    const sent = t.rows((db) => db.selectFrom('outbox').select('message_id').where('location_id', '=', place.id).where('kind', '<>', 'admin_notice').orderBy('id'));
    assert.deepEqual(sent.map((row) => typeof row.message_id), ['number', 'number'], 'the message ids are recorded');
  });

  test('English channel posts, and a place called <b>&x is escaped', async () => {
    const channel = CHANNEL_ID - 1;
    const place = await t.createPlace({ name: '<b>&x', timeoutS: 60, channelId: String(channel), language: 'en' });
    await cutPower(t, place, 5 * MIN);
    const off = await t.fake.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === channel);
    assert.equal(off.failed, undefined, 'Telegram accepted the HTML');
    assert.match(textOf(off), /^🔴 <b>Power is gone<\/b>\n📍 &lt;b&gt;&amp;x\n🕒 \d\d:\d\d · was on for 0 s$/);
  });
});

describe('retries and failures', () => {
  let t: TelegramTestApp;
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(NOON) });

  test('a 429 is retried after the retry_after Telegram gives', async () => {
    const channel = CHANNEL_ID - 10;
    t.fake.failNext(1, { code: 429, retryAfter: 1 }, { method: 'sendMessage', chatId: channel });
    const place = await t.createPlace({ name: 'Home', channelId: String(channel) });
    await cutPower(t, place);
    const delivered = await t.fake.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === channel && !c.failed);
    const attempts = t.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === channel);
    assert.equal(attempts.length, 2);
    assert.ok(delivered.at - attempts[0]!.at >= 950, `waited ${delivered.at - attempts[0]!.at} ms`);
  });

  test('a burst of 500s is retried with backoff until it goes through, once', async () => {
    const channel = CHANNEL_ID - 11;
    t.fake.failNext(3, { code: 500 }, { method: 'sendMessage', chatId: channel });
    const place = await t.createPlace({ name: 'Office', channelId: String(channel) });
    await cutPower(t, place);
    for (let i = 0; i < 3; i += 1) {
      await t.drain();
      t.clock.advance(5_000); // past each backoff (test policy: 100 ms doubling, at most 1 s)
    }
    await t.drain();
    const calls = t.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === channel);
    assert.equal(calls.filter((c) => c.failed).length, 3);
    assert.equal(calls.filter((c) => !c.failed).length, 1);
  });

  test('a 403 flags the place and tells the admin once; once the rights are back the channel gets the current state in one post', async () => {
    const channel = CHANNEL_ID - 12;
    t.fake.failNext(1, { code: 403, description: 'Forbidden: bot is not a member of the channel chat' }, { method: 'sendMessage', chatId: channel });
    const place = await t.createPlace({ name: 'Dacha <1>', channelId: String(channel), language: 'en' });
    await cutPower(t, place); // the OFF alert is refused
    await t.drain();
    await beat(t, place); // power back: this alert waits behind the refused one
    await t.drain();
    const flagged = await t.place(place.id);
    assert.equal(flagged.alerting_failed, 1);
    assert.match(flagged.alerting_error ?? '', /403/);
    // (Each device's first call tells the admin too: not what this test is about.)
    const notices = t.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === OWNER.id && !/на зв'язку|on the air/.test(textOf(c)));
    assert.equal(notices.length, 1, 'one private message, not one per failed alert');
    assert.match(textOf(notices[0]!), /Dacha &lt;1&gt;/);
    assert.match(textOf(notices[0]!), /403/);
    assert.equal(postsTo(t.fake, channel).length, 0);

    // The admin gives the bot its rights back; the refused channel is tried again after the longest backoff.
    t.clock.advance(1_000);
    await t.drain();
    const posts = postsTo(t.fake, channel);
    assert.equal(posts.length, 1, 'the current state, once');
    assert.match(textOf(posts[0]!), /^⏳ <b>Alerts were delayed<\/b>\n📍 Dacha &lt;1&gt;\n🔴 (\d\d:\d\d)–🟢 \d\d:\d\d, off for 1 h 30 min\nNow: 🟢 power on$/);
    assert.equal((await t.place(place.id)).alerting_failed, 0, 'the warning cleared');
    t.clock.advance(10_000);
    await t.drain();
    assert.equal(postsTo(t.fake, channel).length, 1);
    assert.equal(t.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === OWNER.id && !/на зв'язку|on the air/.test(textOf(c))).length, 1);
  });

  test('a place with no channel and no default channel is flagged instead of failing silently', async () => {
    const place = await t.createPlace({ name: 'Garage' });
    await cutPower(t, place);
    await t.drain();
    await t.drain();
    const flagged = await t.place(place.id);
    assert.equal(flagged.alerting_failed, 1);
    assert.match(flagged.alerting_error ?? '', /no channel/);
  });
});

describe('flapping', () => {
  let t: TelegramTestApp;
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(NOON), env: { FLAP_WINDOW_S: '300' } });

  test('changes inside the window become one post that lists them', async () => {
    const channel = CHANNEL_ID - 20;
    const place = await t.createPlace({ name: 'Flat', timeoutS: 60, channelId: String(channel), language: 'en' });
    await cutPower(t, place, 2 * MIN); // OFF at 12:00: posted at once
    await t.drain();
    assert.equal(postsTo(t.fake, channel).length, 1);
    await beat(t, place); // back at 12:02
    t.clock.advance(2 * MIN);
    t.expire([place.id]); // off again (went at 12:02)
    await t.drain();
    assert.equal(postsTo(t.fake, channel).length, 1, 'held inside the window');
    t.clock.advance(5 * MIN);
    await t.drain();
    const posts = postsTo(t.fake, channel);
    assert.equal(posts.length, 2);
    assert.equal(textOf(posts[1]!), '⚡ <b>Power is flickering</b>\n📍 Flat\n🟢 12:02 came back\n🔴 12:02 went out\nNow: 🔴 no power');
  });
});

describe('a crash between the state change and the send', () => {
  test('the alert is still delivered after the restart, once', async () => {
    const dir = tempDir();
    const fake = await startFakeBotApi();
    const database = dir.file('monitor.db');
    try {
      fake.failNext(1, { hang: true }, { method: 'sendMessage' });
      const script = repositoryPath('test', 'telegram', 'crash-during-send.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', script, database, fake.apiRoot], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
      assert.equal(signal, 'SIGKILL', stderr);
      assert.equal(fake.callsOf('sendMessage').filter((c) => !c.failed).length, 0, 'nothing was delivered before the crash');

      const t = await startTelegramTestApp(database, { fake, clock: new ManualClock(Date.now()) });
      try {
        await fake.waitForCall('sendMessage', (c) => !c.failed);
        await t.drain();
        await t.drain();
        assert.equal(fake.callsOf('sendMessage').filter((c) => !c.failed).length, 1, 'delivered exactly once');
      } finally {
        await t.stop();
      }
    } finally {
      await fake.close();
      dir.cleanup();
    }
  });
});
