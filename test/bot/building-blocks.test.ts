import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { administrator } from '../support/fake-bot-api.js';
import { tempDir } from '../support/temp-dir.js';
import { ManualClock } from '../support/clock.js';
import type { Store } from '../../src/db/connection.js';
import { openTestStore } from '../support/test-store.js';
import { AdminStore } from '../../src/admins/admin-store.js';
import { missingChannelRights } from '../../src/bot/channel-check.js';
import { ServiceStateStore } from '../../src/db/service-state.js';
import { SetupCodeStore } from '../../src/admins/setup-code.js';
import { SqliteStorageAdapter } from '../../src/sessions/session-storage.js';
import { candidateFrom } from '../../src/bot/features/flows/add-admin.js';
import { placeButtonLabel } from '../../src/bot/views/place-text.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import type { Place } from '../../src/places/place-service.js';
import { repositoryPath } from '../support/repository.js';

const BOT = { id: 999, is_bot: true, first_name: 'Monitor' };

describe('bot building blocks', () => {
  const dir = tempDir();
  let store: Store;
  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  test('the storage adapter reads back what it wrote, and forgets on delete', async () => {
    const adapter = new SqliteStorageAdapter<{ step: number }>(store.connection, new ManualClock());
    assert.equal(await adapter.read('conv:1'), undefined);
    await adapter.write('conv:1', { step: 1 });
    await adapter.write('conv:1', { step: 2 });
    assert.deepEqual(await adapter.read('conv:1'), { step: 2 });
    await adapter.delete('conv:1');
    assert.equal(await adapter.read('conv:1'), undefined);
  });

  test('the setup code is stable until used, and works exactly once', async () => {
    const codes = new SetupCodeStore(new ServiceStateStore(store.connection));
    const code = await codes.ensure();
    assert.equal(await codes.ensure(), code, 'a restart prints the same code');
    assert.match(code, /^[A-Za-z0-9_-]{16}$/);
    assert.equal(await codes.consume('nope'), false);
    const [a, b] = await Promise.all([codes.consume(code), codes.consume(code)]);
    assert.deepEqual([a, b].sort(), [false, true]);
    assert.equal(await codes.consume(code), false);
    assert.equal(await codes.current(), null);
  });

  test('admins: OWNER_ID and the last admin stay', async () => {
    const withOwner = new AdminStore(store.connection, 1);
    await withOwner.add(2, { addedBy: 1, now: 0 });
    assert.equal(await withOwner.removeChecked(1), 'owner');
    assert.equal(await withOwner.removeChecked(3), 'absent');
    assert.equal(await withOwner.removeChecked(2), 'removed');
    const alone = new AdminStore(store.connection, undefined);
    await alone.add(5, { addedBy: null, now: 0 });
    assert.equal(await alone.removeChecked(5), 'last');
    assert.ok(await alone.isAdmin(5));
  });

  test('channel rights: posting needs can_post_messages, pinning can_edit_messages', () => {
    assert.deepEqual(missingChannelRights(administrator(BOT)), []);
    assert.deepEqual(missingChannelRights(administrator(BOT, { can_post_messages: false, can_edit_messages: false })), ['cannot-post', 'cannot-pin']);
    assert.deepEqual(missingChannelRights({ status: 'creator', user: BOT, is_anonymous: false }), []);
    assert.deepEqual(missingChannelRights({ status: 'member', user: BOT }), ['bot-not-admin']);
    assert.deepEqual(missingChannelRights({ status: 'left', user: BOT }), ['bot-not-member']);
  });

  test('who to make admin: picked, forwarded, typed, or a clear problem', () => {
    const base = { message_id: 1, date: 0, chat: { id: 1, type: 'private' as const, first_name: 'A' } };
    assert.deepEqual(candidateFrom({ ...base, users_shared: { request_id: 2, users: [{ user_id: 42, first_name: 'Ira', username: 'ira' }] } }), { id: 42, name: 'Ira (@ira)' });
    assert.deepEqual(candidateFrom({ ...base, text: 'x', forward_origin: { type: 'user', date: 0, sender_user: { id: 7, is_bot: false, first_name: 'Taras' } } }), { id: 7, name: 'Taras' });
    assert.deepEqual(candidateFrom({ ...base, text: 'x', forward_origin: { type: 'user', date: 0, sender_user: { id: 7, is_bot: true, first_name: 'Bot' } } }), { problem: 'admin-add-bot' });
    assert.deepEqual(candidateFrom({ ...base, text: 'x', forward_origin: { type: 'hidden_user', date: 0, sender_user_name: 'H' } }), { problem: 'admin-add-hidden' });
    assert.deepEqual(candidateFrom({ ...base, text: ' 123456 ' }), { id: 123456, name: null });
    assert.deepEqual(candidateFrom({ ...base, text: '-5' }), { problem: 'admin-add-not-id' });
  });

  test('a place button: warning, status, name (shortened), time since the change', () => {
    const t = translatorFor(createI18n(), 'en');
    const place = { name: 'A very long name of a place far away from town', status: 'off', paused: 0, alerting_failed: 1, status_since: 0 } as Place;
    assert.equal(placeButtonLabel(place, { now: 3 * 3600_000 + 12 * 60_000, timeZone: 'UTC', t, defaultChannelId: undefined }), '⚠️🔴 A very long name of a place… · 3 h 12 min');
    assert.equal(placeButtonLabel({ ...place, paused: 1, alerting_failed: 0, status_since: null, name: 'Home' }, { now: 0, timeZone: 'UTC', t, defaultChannelId: undefined }), '⏸ Home');
  });

  test('uk and en have the same messages', () => {
    const keys = (file: string) =>
      readFileSync(repositoryPath('locales', file), 'utf8')
        .split('\n')
        .map((line) => /^([a-z][a-z0-9-]*) =/.exec(line)?.[1])
        .filter((key) => key !== undefined)
        .sort();
    assert.deepEqual(keys('uk.ftl'), keys('en.ftl'));
  });
});
