import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import type { Store } from '../../src/db/connection.js';
import { countRows, insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { DestinationStore } from '../../src/people/destination-store.js';
import { isQuietAt } from '../../src/people/quiet-hours.js';
import { tempDir } from '../support/temp-dir.js';

const GROUP = '-1001234567890';
const CHANNEL = '-1009876543210';

describe('the destination store', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let destinations: DestinationStore;
  let home: number;

  beforeEach(async () => {
    dir = tempDir('destinations-');
    store = await openTestStore(dir.file('monitor.db'));
    destinations = new DestinationStore(store.connection, new PlaceStore(store.connection));
    home = insertPlaceRow(store.connection, { name: 'Home', api_key: 'key-home-000000000', created_at: 0 });
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  test('a chat nothing is known about: no topic, no quiet hours', () => {
    assert.deepEqual(destinations.settingsFor(home, CHANNEL), { chatId: CHANNEL, chatType: null, threadId: null, topicName: null, quiet: null });
  });

  test('a supergroup topic: its message_thread_id goes with every post to that chat, and only to that chat', () => {
    assert.equal(destinations.link(home, { chatId: GROUP, chatType: 'supergroup', threadId: 17, topicName: 'Світло' }, 1_000), true);
    assert.deepEqual(destinations.settingsFor(home, GROUP), { chatId: GROUP, chatType: 'supergroup', threadId: 17, topicName: 'Світло', quiet: null });
    // The place was relinked elsewhere (the chat id moved on without this store): no stale topic.
    assert.deepEqual(destinations.settingsFor(home, CHANNEL).threadId, null);
    assert.equal(destinations.link(9_999, { chatId: GROUP, chatType: 'group' }, 1_000), false);
  });

  test('a topic exists only in a supergroup; the schema holds to it as well', () => {
    assert.throws(() => destinations.link(home, { chatId: GROUP, chatType: 'group', threadId: 17 }, 1_000), /only in a supergroup/);
    assert.throws(() => destinations.link(home, { chatId: GROUP, chatType: 'supergroup', threadId: 0 }, 1_000), /positive integer/);
    destinations.setQuietHours(home, GROUP, null, 1_000);
    assert.throws(() => prepareQuery(store.connection, queryBuilder.updateTable('place_destinations').set({ thread_id: 5 })).run(), /CHECK constraint/i, 'kind unknown: no topic');
    assert.throws(() => prepareQuery(store.connection, queryBuilder.updateTable('place_destinations').set({ chat_type: 'forum' as never /* not a chat type: the CHECK refuses it */ })).run(), /CHECK constraint/i);
  });

  test('quiet hours of a chat: off by default, kept when the same chat is linked again, dropped with another chat', () => {
    destinations.link(home, { chatId: GROUP, chatType: 'group' }, 1_000);
    assert.equal(destinations.settingsFor(home, GROUP).quiet, null);
    assert.equal(destinations.setQuietHours(home, GROUP, { startMin: 22 * 60, endMin: 8 * 60 }, 2_000), true);
    const quiet = destinations.settingsFor(home, GROUP).quiet;
    assert.deepEqual(quiet, { startMin: 1320, endMin: 480 });
    assert.equal(isQuietAt(quiet, Date.UTC(2026, 10, 20, 1, 0), 'Europe/Kyiv'), true); // 03:00 local

    destinations.link(home, { chatId: GROUP, chatType: 'supergroup', threadId: 3 }, 3_000); // the group became a forum
    assert.deepEqual(destinations.settingsFor(home, GROUP), { chatId: GROUP, chatType: 'supergroup', threadId: 3, topicName: null, quiet: { startMin: 1320, endMin: 480 } });

    destinations.link(home, { chatId: CHANNEL, chatType: 'channel' }, 4_000);
    assert.deepEqual(destinations.settingsFor(home, CHANNEL), { chatId: CHANNEL, chatType: 'channel', threadId: null, topicName: null, quiet: null });
  });

  test('quiet hours for a chat linked before this store existed (or the default channel) get a row of their own', () => {
    assert.equal(destinations.setQuietHours(home, CHANNEL, { startMin: 0, endMin: 360 }, 1_000), true);
    assert.deepEqual(destinations.settingsFor(home, CHANNEL), { chatId: CHANNEL, chatType: null, threadId: null, topicName: null, quiet: { startMin: 0, endMin: 360 } });
    assert.equal(destinations.setQuietHours(home, CHANNEL, null, 2_000), true);
    assert.equal(destinations.settingsFor(home, CHANNEL).quiet, null);
    assert.throws(() => destinations.setQuietHours(home, CHANNEL, { startMin: 60, endMin: 60 }, 3_000), RangeError);
    assert.equal(destinations.setQuietHours(9_999, CHANNEL, null, 3_000), false);
  });

  test("deleting the place deletes its destination settings", () => {
    destinations.link(home, { chatId: GROUP, chatType: 'supergroup', threadId: 17 }, 1_000);
    prepareQuery(store.connection, queryBuilder.deleteFrom('locations').where('id', '=', home)).run();
    assert.equal(countRows(store.connection, 'place_destinations'), 0);
  });
});
