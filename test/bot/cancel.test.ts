import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat, textsOf } from '../support/admin-chat.js';

const answers = (calls: RecordedCall[]) => calls.filter((call) => call.method === 'answerCallbackQuery').map((call) => String(call.params.text ?? ''));

describe('leaving "add location" half-way', () => {
  let t: TelegramTestApp;
  let chat: AdminChat;
  useTelegramApp((app) => {
    t = app;
    chat = new AdminChat(t.fake, OWNER);
  });
  beforeEach(async () => {
    await chat.send('/cancel');
    for (const place of await t.places()) await t.system.places.delete(place.id);
  });

  const placeCount = async () => (await t.places()).length;

  test('the Cancel button at the name step leaves nothing, and the next text is not taken as a name', async () => {
    await chat.send('/add');
    const prompt = chat.last();
    const calls = await chat.press(prompt, '✖️ Скасувати');
    assert.ok(textsOf(calls).some((text) => text.includes('Скасовано')));
    assert.match(chat.lastMenu().text ?? '', /Місця/, 'back at the main menu');
    await chat.send('Дім');
    // Text outside a question searches the places by name: nothing is created.
    assert.match(chat.last().text ?? '', /За запитом «Дім» нічого не знайдено/);
    assert.equal(await placeCount(), 0);
  });

  test('/cancel at the timeout step and the Cancel key at the channel step leave nothing', async () => {
    await chat.send('/add');
    await chat.send('Дім');
    await chat.send('/cancel');
    assert.match(chat.messages().at(-2)?.text ?? '', /Скасовано/);
    assert.equal(await placeCount(), 0);

    await chat.send('/add');
    await chat.send('Дім');
    await chat.send('10m');
    const calls = await chat.send('✖️ Скасувати');
    const cancelled = calls.find((call) => call.method === 'sendMessage' && String(call.params.text).includes('Скасовано'));
    assert.deepEqual(cancelled?.params.reply_markup, { remove_keyboard: true }, 'the channel keyboard goes away');
    assert.equal(await placeCount(), 0);
    const conversations = t.count((db) => db.selectFrom('bot_sessions').where('key', 'like', 'conv:%').where('value', 'like', '%addPlace%'));
    assert.equal(conversations, 0, 'no conversation state is left behind');
  });

  test('another command leaves the flow and runs; a press on an older menu asks to finish first', async () => {
    await chat.send('/start');
    const menu = chat.lastMenu();
    await chat.send('/add');
    const pressed = await chat.press(menu, '🔄 Оновити');
    assert.match(answers(pressed).join(), /Спершу дайте відповідь на питання вище/);
    await chat.send('Дім');
    assert.match(chat.last().text ?? '', /крок 2 з 4/, 'the flow went on');

    const calls = await chat.send('/locations');
    const texts = textsOf(calls);
    assert.ok(texts.some((text) => text.includes('покинуто')), texts.join(' | '));
    assert.match(chat.lastMenu().text ?? '', /Місця/);
    assert.equal(await placeCount(), 0);
  });

  test('a timeout button from a flow that is over does nothing', async () => {
    await chat.send('/add');
    await chat.send('Дім');
    const timeoutPrompt = chat.last();
    await chat.send('/cancel');
    const calls = await chat.press(timeoutPrompt, '5 хв');
    assert.match(answers(calls).join(), /не діє/);
    assert.equal(await placeCount(), 0);
  });
});
