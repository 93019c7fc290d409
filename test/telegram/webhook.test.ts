import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OWNER, startTelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';

test('with PUBLIC_URL the bot uses a webhook on a secret path and checks the secret-token header', async () => {
  const dir = tempDir();
  const t = await startTelegramTestApp(dir.file('monitor.db'), { env: { PUBLIC_URL: 'https://monitor.example.com' } });
  try {
    const registration = await t.fake.waitForCall('setWebhook');
    const url = new URL(String(registration.params.url));
    assert.equal(url.origin, 'https://monitor.example.com');
    assert.match(url.pathname, /^\/telegram\/[0-9a-f]{32}$/);
    const secret = String(registration.params.secret_token);
    assert.ok(secret.length >= 32);
    assert.equal(t.fake.callsOf('getUpdates').length, 0, 'no long polling in webhook mode');

    const update = t.fake.message({ id: 5555, is_bot: false, first_name: 'Stranger' }, 5555, '/start');
    const post = (headers: Record<string, string>) =>
      fetch(t.url(url.pathname), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) });
    assert.equal((await post({})).status, 401, 'no secret header');
    assert.equal((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status, 401, 'wrong secret');
    assert.equal(t.fake.callsOf('sendMessage').length, 0);

    assert.equal((await post({ 'x-telegram-bot-api-secret-token': secret })).status, 200);
    const reply = await t.fake.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === 5555);
    assert.match(String(reply.params.text), /лише тим, кого запросили|only to people who were invited/, 'the stranger gets the polite word');
    assert.notEqual(OWNER.id, 5555);
  } finally {
    await t.stop();
    dir.cleanup();
  }
});

test('an update Telegram sends again (a retry that may reach another instance) is acted on once', async () => {
  const dir = tempDir();
  const t = await startTelegramTestApp(dir.file('monitor.db'), { env: { PUBLIC_URL: 'https://monitor.example.com' } });
  try {
    const registration = await t.fake.waitForCall('setWebhook');
    const path = new URL(String(registration.params.url)).pathname;
    const headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': String(registration.params.secret_token) };
    const stranger = { id: 5556, is_bot: false, first_name: 'Stranger' };
    const update = { update_id: 900_001, ...t.fake.message(stranger, 5556, '/start') };
    const post = (body: object) => fetch(t.url(path), { method: 'POST', headers, body: JSON.stringify(body) });
    const repliesToStranger = () => t.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === 5556);
    assert.equal((await post(update)).status, 200);
    const first = await t.fake.waitForCall('sendMessage', (c) => Number(c.params.chat_id) === 5556);
    assert.equal((await post(update)).status, 200, 'the repeat is acknowledged, so Telegram stops sending it');
    const next = { update_id: 900_002, ...t.fake.message(stranger, 5556, '/start') };
    assert.equal((await post(next)).status, 200);
    await t.fake.waitForCall('sendMessage', (c) => c !== first && Number(c.params.chat_id) === 5556);
    assert.equal(repliesToStranger().length, 2, 'the first and the new update answered; the repeat was not');
    assert.equal(t.count((db) => db.selectFrom('telegram_updates').where('update_id', 'in', [update.update_id, next.update_id])), 2);
  } finally {
    await t.stop();
    dir.cleanup();
  }
});

test('health stays 200 but says "degraded" when the bot cannot take updates', async () => {
  const dir = tempDir();
  const t = await startTelegramTestApp(dir.file('monitor.db'));
  try {
    await t.fake.waitForCall('getUpdates');
    // Someone else sets a webhook for this token: Telegram answers the polling with 409 Conflict.
    await t.system.bot!.api.setWebhook('https://elsewhere.example/hook');
    let body = { status: '', bot: '' };
    for (let i = 0; i < 50 && body.bot !== 'error'; i += 1) {
      const health = await fetch(t.url('/health'));
      assert.equal(health.status, 200);
      body = (await health.json()) as typeof body;
      if (body.bot !== 'error') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual([body.status, body.bot], ['degraded', 'error']);
  } finally {
    await t.stop();
    dir.cleanup();
  }
});
