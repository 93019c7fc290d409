import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Place } from '../../src/places/place-service.js';
import { handled } from '../support/admin-chat.js';
import { ManualClock } from '../support/clock.js';
import { useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';

/**
 * A group becomes a supergroup when someone turns on topics, makes it public or it grows: its id
 * changes, and posts to the old id are refused with `migrate_to_chat_id`. The family chat must
 * not go silent for that.
 */
const NOON = Date.UTC(2026, 10, 20, 10, 0);
const MIN = 60_000;
const OLD_GROUP = -4001234567;
const SUPERGROUP = -1004001234567;

async function beat(t: TelegramTestApp, place: Place): Promise<void> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
  assert.equal(response.status, 200);
}

describe('a group that became a supergroup', () => {
  let t: TelegramTestApp;
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(NOON) });

  async function placeInGroup(name: string): Promise<Place> {
    const place = await t.createPlace({ name, timeoutS: 60, channelId: String(OLD_GROUP), language: 'uk' });
    assert.ok(t.system.people.destinations.link(place.id, { chatId: String(OLD_GROUP), chatType: 'group' }, t.clock.now()));
    assert.ok(t.system.people.destinations.setQuietHours(place.id, String(OLD_GROUP), { startMin: 22 * 60, endMin: 8 * 60 }, t.clock.now()));
    return place;
  }

  test('the alert refused at the old id goes to the new one, the places follow with their settings, nobody is flagged', async () => {
    const home = await placeInGroup('Дім');
    const garage = await placeInGroup('Гараж');
    t.fake.failNext(1, { code: 400, migrateTo: SUPERGROUP }, { method: 'sendMessage', chatId: OLD_GROUP });
    await beat(t, home);
    t.clock.advance(2 * MIN);
    assert.equal(t.expire([home.id]), 1);
    await t.drain();
    t.clock.advance(5_000); // the row's retry, a couple of seconds later
    await t.drain();

    // Chat posts only: each device's first call also tells the admin privately.
    const posts = t.fake.callsOf('sendMessage').filter((call) => !call.failed && Number(call.params.chat_id) < 0);
    assert.equal(posts.length, 1);
    assert.equal(Number(posts[0]!.params.chat_id), SUPERGROUP);
    assert.match(String(posts[0]!.params.text), /Світло зникло[\s\S]*Дім/);
    for (const place of [home, garage]) {
      const now = await t.place(place.id);
      assert.equal(now.channel_id, String(SUPERGROUP), `${place.name} posts to the supergroup`);
      assert.equal(now.alerting_failed, 0, 'not flagged');
      assert.deepEqual(t.system.people.destinations.settingsFor(place.id, String(SUPERGROUP)).quiet, { startMin: 22 * 60, endMin: 8 * 60 }, 'its quiet hours came along');
    }
    assert.equal(t.fake.callsOf('sendMessage').filter((call) => call.params.text && /не доходять|cannot get through/i.test(String(call.params.text))).length, 0, 'no notice to the admins');
  });

  test("the group's service message moves the places before anything fails", async () => {
    const home = await placeInGroup('Дача');
    const update = t.fake.pushUpdate({
      message: {
        message_id: 10,
        date: Math.floor(NOON / 1000),
        chat: { id: OLD_GROUP, type: 'group', title: 'Родина' },
        from: { id: 1001, is_bot: false, first_name: 'Olena' },
        migrate_to_chat_id: SUPERGROUP,
      },
    });
    await handled(t.fake, update.update_id);
    assert.equal((await t.place(home.id)).channel_id, String(SUPERGROUP));
  });
});
