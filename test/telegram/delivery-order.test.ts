import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Place } from '../../src/places/place-service.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { CHANNEL_ID, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { ManualClock } from '../support/clock.js';

// 2026-11-20 12:00 in Kyiv
const NOON = Date.UTC(2026, 10, 20, 10, 0);
const MIN = 60_000;

async function beat(t: TelegramTestApp, place: Place): Promise<void> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
  assert.equal(response.status, 200);
}

async function places(t: TelegramTestApp, names: string[], channel: number, language = 'uk'): Promise<Place[]> {
  const created: Place[] = [];
  for (const name of names) created.push(await t.createPlace({ name, timeoutS: 60, channelId: String(channel), language }));
  return created;
}

const channelPosts = (calls: readonly RecordedCall[], channel: number) =>
  calls.filter((call) => call.method === 'sendMessage' && !call.failed && Number(call.params.chat_id) === channel);

describe('delivery order: spacing per chat, one global budget', () => {
  let t: TelegramTestApp;
  // Real spacing for this suite: one post a second per channel, 25 a second in all.
  useTelegramApp((app) => void (t = app), {
    clock: () => new ManualClock(NOON),
    telegram: { limits: { globalPerSecond: 25, groupIntervalMs: 1000, privateIntervalMs: 0 } },
  });

  test("a chat waiting for its spacing does not delay another chat's alert", async () => {
    const [a1, a2] = await places(t, ['A1', 'A2'], CHANNEL_ID - 1);
    const [b1] = await places(t, ['B1'], CHANNEL_ID - 2);
    for (const place of [a1!, a2!, b1!]) await beat(t, place);
    t.clock.advance(5 * MIN);
    assert.equal(t.expire([a1!.id, a2!.id, b1!.id]), 3);
    await t.drain();

    // Chat posts only (negative ids): each device's first call also tells the admin privately.
    const posts = t.fake.calls.filter((call) => call.method === 'sendMessage' && !call.failed && Number(call.params.chat_id) < 0);
    const inA = channelPosts(posts, CHANNEL_ID - 1);
    const inB = channelPosts(posts, CHANNEL_ID - 2);
    assert.equal(inA.length, 2);
    assert.equal(inB.length, 1);
    assert.deepEqual(
      posts.map((call) => String(call.params.text).split('\n')[1]),
      ['📍 A1', '📍 B1', '📍 A2'],
      "B1 goes while channel A waits out its spacing, not after A2",
    );
    // The limiter spaces its grants 1 s apart; the fake sees the requests arrive, and a busy machine
    // can delay the first one's arrival by tens of ms. Without the spacing the gap would be a few ms.
    assert.ok(inA[1]!.at - inA[0]!.at >= 850, `channel A's spacing kept (${inA[1]!.at - inA[0]!.at} ms)`);
    assert.ok(inB[0]!.at - inA[0]!.at < 500, `B1 went ${inB[0]!.at - inA[0]!.at} ms after A1`);
  });
});

describe('delivery order: alerts before diagrams', () => {
  let t: TelegramTestApp;
  // A small global budget (5 a second), so the diagrams queue up for their slots.
  useTelegramApp((app) => void (t = app), {
    clock: () => new ManualClock(NOON),
    telegram: { limits: { globalPerSecond: 5, groupIntervalMs: 0, privateIntervalMs: 0 } },
  });

  test('alerts overtake the diagrams queued before them', async () => {
    const diagramPlaces: Place[] = [];
    for (let i = 1; i <= 6; i += 1) diagramPlaces.push(...(await places(t, [`D${i}`], CHANNEL_ID - 10 - i)));
    const alertPlaces: Place[] = [];
    for (let i = 1; i <= 3; i += 1) alertPlaces.push(...(await places(t, [`X${i}`], CHANNEL_ID - 20 - i)));
    for (const place of alertPlaces) await beat(t, place);
    assert.equal(t.system.diagrams!.runDue(), 9);

    const draining = t.drain();
    await t.fake.waitForCall('sendPhoto', (call) => !call.failed, 20_000); // the diagrams are going out
    const before = t.fake.calls.length;
    t.clock.advance(2 * MIN);
    assert.equal(t.expire(alertPlaces.map((place) => place.id)), 3);
    await draining;
    await t.drain();

    // Not the admin's private notices (a device's first call): only what goes to the chats.
    const after = t.fake.calls.slice(before).filter((call) => call.method !== 'getUpdates' && Number(call.params.chat_id) < 0);
    const alerts = after.filter((call) => call.method === 'sendMessage');
    assert.equal(alerts.length, 3);
    // At most one diagram call was already granted when the alerts arrived; then the alerts go.
    const firstFour = after.slice(0, 4).map((call) => call.method);
    assert.equal(firstFour.filter((method) => method === 'sendMessage').length, 3, `calls after the power cut: ${after.map((c) => c.method).join(', ')}`);
    assert.ok(after.some((call) => call.method === 'sendPhoto'), 'the diagrams went on after the alerts');
    const photos = t.fake.callsOf('sendPhoto').filter((call) => !call.failed);
    assert.equal(photos.length, 9, 'every diagram was posted in the end');
  });
});

describe('a digest for many places in one channel', () => {
  let t: TelegramTestApp;
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(NOON) });

  test('six entrances of one building going off at once make one post, not six', async () => {
    const channel = CHANNEL_ID - 30;
    const entrances = await places(t, ["Під'їзд 1", "Під'їзд 2", "Під'їзд 3", "Під'їзд 4", "Під'їзд 5", "Під'їзд 6"], channel);
    const [lit] = await places(t, ["Під'їзд 7"], channel);
    for (const place of [...entrances, lit!]) await beat(t, place);
    t.clock.advance(30 * MIN);
    await beat(t, lit!);
    assert.equal(t.expire(entrances.map((place) => place.id)), 6);
    await t.drain();

    const posts = channelPosts(t.fake.calls, channel);
    assert.equal(posts.length, 1);
    assert.equal(
      String(posts[0]!.params.text),
      [
        '⚡ <b>12:00 — 6 з 7 місць без світла</b>',
        "🔴 Під'їзд 1 · зникло о 12:00",
        "🔴 Під'їзд 2 · зникло о 12:00",
        "🔴 Під'їзд 3 · зникло о 12:00",
        "🔴 Під'їзд 4 · зникло о 12:00",
        "🔴 Під'їзд 5 · зникло о 12:00",
        "🔴 Під'їзд 6 · зникло о 12:00",
      ].join('\n'),
    );
    const rows = t.rows((db) => db.selectFrom('outbox').select('message_id').where('kind', '=', 'alert'));
    assert.equal(rows.length, 6);
    assert.ok(rows.every((row) => row.message_id === (posts[0]!.result as { message_id: number }).message_id), 'every alert is marked sent with the digest');
  });

  test('two places at once still get a post each', async () => {
    const channel = CHANNEL_ID - 31;
    const pair = await places(t, ['Дім', 'Гараж'], channel);
    for (const place of pair) await beat(t, place);
    t.clock.advance(30 * MIN);
    assert.equal(t.expire(pair.map((place) => place.id)), 2);
    await t.drain();
    const posts = channelPosts(t.fake.calls, channel);
    assert.deepEqual(
      posts.map((call) => String(call.params.text).split('\n').slice(0, 2).join(' ')),
      ['🔴 <b>Світло зникло</b> 📍 Дім', '🔴 <b>Світло зникло</b> 📍 Гараж'],
    );
  });
});
