import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withDefaultParseMode } from '../../src/bot/parse-mode.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat } from '../support/admin-chat.js';

const sends = (calls: RecordedCall[]) => calls.filter((call) => /^(send|edit)/.test(call.method) && !call.failed);

describe('HTML is the default parse mode', () => {
  test('a text or caption without parse_mode gets HTML; one given stays; other methods are untouched', () => {
    assert.deepEqual(withDefaultParseMode('sendMessage', { chat_id: 1, text: '<b>x</b>' }), { chat_id: 1, text: '<b>x</b>', parse_mode: 'HTML' });
    assert.deepEqual(withDefaultParseMode('sendMessage', { chat_id: 1, text: '*x*', parse_mode: 'MarkdownV2' }), { chat_id: 1, text: '*x*', parse_mode: 'MarkdownV2' });
    for (const method of ['sendPhoto', 'sendDocument', 'editMessageText', 'editMessageCaption']) {
      assert.equal(withDefaultParseMode(method, { chat_id: 1 }).parse_mode, 'HTML', method);
    }
    const media = { type: 'photo', media: 'file-id', caption: 'Дім · 17–23 листопада' };
    const payload = { chat_id: 1, message_id: 2, media };
    assert.deepEqual(withDefaultParseMode('editMessageMedia', payload), { chat_id: 1, message_id: 2, media: { ...media, parse_mode: 'HTML' } });
    assert.equal('parse_mode' in media, false, 'the caller’s payload is not changed');
    assert.deepEqual(withDefaultParseMode('editMessageMedia', { media: { type: 'photo', media: 'f' } }), { media: { type: 'photo', media: 'f' } });
    assert.deepEqual(withDefaultParseMode('sendMediaGroup', { media: [{ type: 'photo', media: 'a', caption: 'c' }, { type: 'photo', media: 'b' }] }), {
      media: [{ type: 'photo', media: 'a', caption: 'c', parse_mode: 'HTML' }, { type: 'photo', media: 'b' }],
    });
    assert.deepEqual(withDefaultParseMode('answerCallbackQuery', { callback_query_id: 'q', text: 'x' }), { callback_query_id: 'q', text: 'x' });
    assert.deepEqual(withDefaultParseMode('pinChatMessage', { chat_id: 1, message_id: 2 }), { chat_id: 1, message_id: 2 });
  });

  describe('through the fake Bot API', () => {
    let t: TelegramTestApp;
    let chat: AdminChat;
    useTelegramApp((app) => {
      t = app;
      chat = new AdminChat(t.fake, OWNER);
    });

    test('menus, edits and documents go out as HTML, and so does a conversation’s own message', async () => {
      const place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
      const opened = sends(await chat.send('/start'));
      assert.deepEqual(
        opened.map((call) => [call.method, call.params.parse_mode]),
        [['sendMessage', 'HTML']],
      );
      const edited = sends(await chat.press(chat.lastMenu(), `⚪ ${place.name}`));
      assert.deepEqual(
        edited.map((call) => [call.method, call.params.parse_mode]),
        [['editMessageText', 'HTML']],
      );
      const config = sends(await chat.press(chat.lastMenu(), '📟 Конфіг ESP32'));
      assert.deepEqual(
        config.map((call) => [call.method, call.params.parse_mode]),
        [
          ['sendMessage', 'HTML'],
          ['sendDocument', 'HTML'],
        ],
      );

      // The prompts below are sent by the conversation's own Api (not bot.api).
      await chat.send('/start');
      const asked = sends(await chat.press(chat.lastMenu(), '➕ Додати місце'));
      assert.match(String(asked.at(-1)?.params.text), /<b>Нове місце<\/b>/);
      assert.deepEqual(
        asked.map((call) => call.params.parse_mode),
        asked.map(() => 'HTML'),
      );
      const next = sends(await chat.send('Дача'));
      assert.match(String(next.at(-1)?.params.text), /крок 2 з 4/);
      assert.equal(next.at(-1)?.params.parse_mode, 'HTML');
      await chat.send('/cancel');
    });
  });
});
