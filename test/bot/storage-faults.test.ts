import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Place } from '../../src/places/place-service.js';
import { AdminChat, textsOf } from '../support/admin-chat.js';
import { ManualClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { FaultInjector } from '../support/fault-injection.js';
import { CHANNEL_ID, OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';

/**
 * Bot updates that meet a storage fault (issue 20): the person is told in their language to try
 * again in a minute, nothing of the update is kept, and the retry works — an invite /start during
 * a full disk, a menu press during a foreign lock, a conversation step during a disk error.
 */

const JOHN = { id: 6101, is_bot: false, first_name: 'John', language_code: 'en' } as const;
const NOON = Date.UTC(2026, 10, 20, 10, 0);
const TRY_AGAIN_UK = '⏳ Сервер зараз не може зберегти зміни: його база даних тимчасово недоступна для запису. Спробуйте ще раз за хвилину.';
const TRY_AGAIN_EN = "⏳ The server can't save changes right now: its database is briefly unavailable for writing. Please try again in a minute.";
const TOKEN = /https:\/\/t\.me\/power_monitor_bot\?start=([A-Za-z0-9_-]{32})/;

const injector = FaultInjector.install();
after(() => injector.uninstall());

const alerts = (calls: RecordedCall[]) =>
  calls.filter((call) => call.method === 'answerCallbackQuery' && call.params.show_alert === true).map((call) => String(call.params.text ?? ''));

describe('bot updates during storage faults', () => {
  let t: TelegramTestApp;
  let owner: AdminChat;
  let john: AdminChat;
  let dacha: Place;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  useTelegramApp(
    async (app) => {
      t = app;
      owner = new AdminChat(t.fake, OWNER);
      john = new AdminChat(t.fake, JOHN);
      dacha = await t.createPlace({ name: 'Дача', timeoutS: 60, channelId: String(CHANNEL_ID), language: 'uk' });
      process.on('unhandledRejection', onUnhandled);
    },
    { clock: () => new ManualClock(NOON) },
  );
  after(() => {
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, []);
  });

  /** Opens the place's menu from /start (its button reads "⚪ Name · time since the change"). */
  async function openPlace(name: string): Promise<void> {
    await owner.send('/start');
    const label = AdminChat.labels(owner.lastMenu()).find((text) => text.startsWith(`⚪ ${name} ·`) || text === `⚪ ${name}`);
    assert.ok(label, AdminChat.labels(owner.lastMenu()).join(' | '));
    await owner.press(owner.lastMenu(), label);
  }

  /** Storage works again, as the monitor's probe finds (the probe's 1 s timer, taken at once). */
  function recover(): void {
    injector.clear();
    t.system.monitor.tryRecoverStorage();
  }

  test('an invite /start during a full disk gets "try again" in English and joins nothing; the retry joins', async () => {
    await owner.send('/start');
    await owner.press(owner.lastMenu(), '⚪ Дача');
    await owner.press(owner.lastMenu(), '🔗 Запросити');
    const token = TOKEN.exec(owner.lastMenu().text ?? '')?.[1];
    assert.ok(token);

    injector.fail({ kind: 'full' });
    const refused = await john.send(`/start ${token}`);
    assert.deepEqual(textsOf(refused), [TRY_AGAIN_EN]);
    assert.ok(injector.injected.length > 0);
    recover();
    assert.deepEqual(t.system.people.subscribers.subscribersOf(dacha.id).map((s) => s.userId), [], 'nobody joined');

    const joined = await john.send(`/start ${token}`);
    assert.match(textsOf(joined)[0] ?? '', /^🔔 Done: power alerts for “Дача” will now come here\./);
    assert.deepEqual(t.system.people.subscribers.subscribersOf(dacha.id).map((s) => s.userId), [JOHN.id]);
  });

  test('a menu press during a foreign lock is answered "try again" in Ukrainian; the retry pauses the place', async () => {
    await openPlace('Дача');
    const menu = owner.lastMenu();
    injector.fail({ kind: 'busy' });
    const refused = await owner.press(menu, '⏸ Пауза');
    assert.deepEqual(alerts(refused), [TRY_AGAIN_UK]);
    recover();
    assert.equal((await t.place(dacha.id)).paused, 0, 'nothing changed');
    await owner.press(menu, '⏸ Пауза');
    assert.equal((await t.place(dacha.id)).paused, 1);
    await owner.press(owner.lastMenu(), '▶️ Відновити');
    assert.equal((await t.place(dacha.id)).paused, 0);
  });

  test('a conversation step during a disk error keeps the conversation waiting for the same answer', async () => {
    await openPlace('Дача');
    await owner.press(owner.lastMenu(), '✏️ Перейменувати');
    injector.fail({ kind: 'io', table: 'locations' });
    const refused = await owner.send('Дача біля річки');
    assert.deepEqual(textsOf(refused), [TRY_AGAIN_UK]);
    recover();
    assert.equal((await t.place(dacha.id)).name, 'Дача');
    // Storage is back: the same answer to the same question goes through.
    await owner.send('Дача біля річки');
    assert.equal((await t.place(dacha.id)).name, 'Дача біля річки');
    assert.match(owner.lastMenu().text ?? '', /<b>Дача біля річки<\/b>/, 'the place menu comes back');
  });

  test('a conversation state that cannot be saved: the answer is refused, the conversation is kept', async () => {
    await openPlace('Дача біля річки');
    await owner.press(owner.lastMenu(), '✏️ Перейменувати');
    injector.fail({ kind: 'full', table: 'bot_sessions' });
    const refused = await owner.send('Дача');
    assert.deepEqual(textsOf(refused).at(-1), TRY_AGAIN_UK);
    assert.ok(injector.injected.some((fault) => fault.table === 'bot_sessions'), 'the save of the conversation failed');
    recover();
    await sleep(10);
    await owner.send('Дача');
    assert.equal((await t.place(dacha.id)).name, 'Дача');
  });
});
