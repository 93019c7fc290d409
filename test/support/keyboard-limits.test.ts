import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { keyboardRefusal, KEYBOARD_LIMITS } from './keyboard-limits.js';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api.js';

const TOKEN = '123:abc';
const button = (i: number, data = `b${i}`) => ({ text: `Button ${i}`, callback_data: data });
const grid = (count: number, perRow: number) => {
  const rows: ReturnType<typeof button>[][] = [];
  for (let i = 0; i < count; i += 1) {
    if (i % perRow === 0) rows.push([]);
    rows.at(-1)!.push(button(i));
  }
  return { inline_keyboard: rows };
};

describe('what Telegram refuses in a keyboard', () => {
  test('the limits, one by one', () => {
    assert.equal(keyboardRefusal(undefined), undefined);
    assert.equal(keyboardRefusal(grid(100, 8)), undefined, '100 buttons, 8 a row: taken');
    assert.equal(keyboardRefusal(grid(101, 8)), 'reply markup is too long');
    assert.equal(keyboardRefusal(grid(9, 9)), 'reply markup is too long', 'nine in a row');
    assert.equal(keyboardRefusal({ inline_keyboard: [[button(1, 'x'.repeat(64))]] }), undefined);
    assert.equal(keyboardRefusal({ inline_keyboard: [[button(1, 'ї'.repeat(33))]] }), 'BUTTON_DATA_INVALID', '66 bytes');
    assert.equal(keyboardRefusal({ inline_keyboard: [[button(1, '')]] }), 'BUTTON_DATA_INVALID');
    assert.equal(keyboardRefusal({ inline_keyboard: [[{ text: ' ', callback_data: 'a' }]] }), 'BUTTON_TEXT_INVALID');
    assert.match(keyboardRefusal({ inline_keyboard: [[{ text: 'a' }]] }) ?? '', /Text buttons are unallowed/);
    const heavy = { inline_keyboard: Array.from({ length: 50 }, (_, i) => [{ text: 'ж'.repeat(100), callback_data: `b${i}` }]) };
    assert.ok(JSON.stringify(heavy).length > KEYBOARD_LIMITS.markupBytes / 2);
    assert.equal(keyboardRefusal(heavy), 'reply markup is too long', 'over 10 KB of markup');
    assert.equal(keyboardRefusal(JSON.stringify(grid(3, 3))), undefined, 'sent as a JSON string');
    assert.equal(keyboardRefusal({ keyboard: [[{ text: 'Cancel' }]], resize_keyboard: true }), undefined);
    assert.equal(keyboardRefusal({ keyboard: [Array.from({ length: 13 }, (_, i) => ({ text: `k${i}` }))] }), 'reply markup is too long');
    assert.equal(keyboardRefusal({ remove_keyboard: true }), undefined);
  });

  describe('the fake answers 400 with Telegram\'s words, for every method that takes a keyboard', () => {
    let fake: FakeBotApi;
    before(async () => {
      fake = await startFakeBotApi();
    });
    after(() => fake.close());

    const call = async (method: string, params: Record<string, unknown>) => {
      const response = await fetch(`${fake.apiRoot}/bot${TOKEN}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
      return (await response.json()) as { ok: boolean; description?: string; result?: { message_id: number } };
    };

    test('send and edit', async () => {
      const tooMany = await call('sendMessage', { chat_id: 5, text: 'hi', reply_markup: grid(150, 1) });
      assert.deepEqual(tooMany, { ok: false, error_code: 400, description: 'Bad Request: reply markup is too long' });
      const longData = await call('sendMessage', { chat_id: 5, text: 'hi', reply_markup: { inline_keyboard: [[button(1, 'x'.repeat(65))]] } });
      assert.equal(longData.description, 'Bad Request: BUTTON_DATA_INVALID');
      const sent = await call('sendMessage', { chat_id: 5, text: 'hi', reply_markup: grid(3, 3) });
      assert.ok(sent.ok);
      const messageId = sent.result!.message_id;
      for (const method of ['editMessageText', 'editMessageReplyMarkup']) {
        const refused = await call(method, { chat_id: 5, message_id: messageId, text: 'hello', reply_markup: grid(101, 8) });
        assert.equal(refused.description, 'Bad Request: reply markup is too long', method);
      }
      assert.equal(fake.lastSent(5)?.reply_markup?.inline_keyboard.flat().length, 3, 'a refused edit changed nothing');
    });
  });
});
