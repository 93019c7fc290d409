import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Database } from '../../src/db/schema.js';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import type { Store } from '../../src/db/connection.js';
import { countRows, insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { DEFAULT_SUBSCRIBER_QUIET_HOURS } from '../../src/people/quiet-hours.js';
import { SubscriberStore, type PersonProfile } from '../../src/people/subscriber-store.js';
import { tempDir } from '../support/temp-dir.js';

const olena: PersonProfile = { userId: 501, displayName: 'Olena (@olena)', language: 'uk' };
const mark: PersonProfile = { userId: 502, displayName: 'Mark', language: 'en' };
const ivan: PersonProfile = { userId: 503, displayName: 'Іван', language: 'uk' };

describe('the subscriber store', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let subscribers: SubscriberStore;
  let home: number;
  let dacha: number;

  const addPlace = (name: string) =>
    insertPlaceRow(store.connection, { name, api_key: `key-${name}-0000000000`, created_at: 0 });
  const deletePlace = (id: number) => prepareQuery(store.connection, queryBuilder.deleteFrom('locations').where('id', '=', id)).run();
  const rowsOf = (table: keyof Database) => countRows(store.connection, table);

  beforeEach(async () => {
    dir = tempDir('subscribers-');
    store = await openTestStore(dir.file('monitor.db'));
    subscribers = new SubscriberStore(store.connection, new PlaceStore(store.connection));
    home = addPlace('Home');
    dacha = addPlace('Dacha');
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  test('subscribing: once per place, with the default night quiet hours and every kind of message', () => {
    assert.equal(subscribers.subscribe(home, olena, 1_000), 'subscribed');
    assert.equal(subscribers.subscribe(home, olena, 2_000), 'already');
    assert.equal(subscribers.subscribe(dacha, olena, 3_000), 'subscribed');
    assert.equal(subscribers.subscribe(9_999, olena, 3_000), 'place_missing');

    assert.deepEqual(subscribers.person(olena.userId), {
      userId: 501,
      displayName: 'Olena (@olena)',
      language: 'uk',
      quiet: DEFAULT_SUBSCRIBER_QUIET_HOURS,
      active: true,
      inactiveSince: null,
    });
    const all = { alerts: true, plan_warnings: true, weekly: true };
    assert.deepEqual(subscribers.placesOf(olena.userId), [
      { placeId: home, placeName: 'Home', since: 1_000, choices: all },
      { placeId: dacha, placeName: 'Dacha', since: 3_000, choices: all },
    ]);
    assert.deepEqual(subscribers.placeIdsOf(olena.userId), [home, dacha]);
    assert.deepEqual(subscribers.placeIdsOf(mark.userId), []);
    assert.equal(subscribers.person(mark.userId), undefined);
  });

  test("a place's subscribers for its admins: name and since, oldest first; an admin removes one", () => {
    subscribers.subscribe(home, mark, 2_000);
    subscribers.subscribe(home, olena, 1_000);
    subscribers.subscribe(dacha, ivan, 1_500);
    assert.deepEqual(subscribers.subscribersOf(home), [
      { userId: 501, displayName: 'Olena (@olena)', since: 1_000, active: true },
      { userId: 502, displayName: 'Mark', since: 2_000, active: true },
    ]);
    assert.equal(subscribers.unsubscribe(home, mark.userId), true);
    assert.equal(subscribers.unsubscribe(home, mark.userId), false);
    assert.deepEqual(subscribers.subscribersOf(home).map((s) => s.userId), [501]);
    assert.deepEqual(subscribers.recipients(home, 'alerts').map((r) => r.userId), [501]);
  });

  test('leaving: the place is gone from their list; with the last place, nothing about the person is kept', () => {
    subscribers.subscribe(home, olena, 1_000);
    subscribers.subscribe(dacha, olena, 2_000);
    subscribers.setQuietHours(olena.userId, null);
    assert.equal(subscribers.unsubscribe(home, olena.userId), true);
    assert.deepEqual(subscribers.placeIdsOf(olena.userId), [dacha]);
    assert.equal(subscribers.person(olena.userId)?.quiet, null, 'still followed a place: settings kept');
    assert.equal(subscribers.unsubscribe(dacha, olena.userId), true);
    assert.equal(subscribers.person(olena.userId), undefined);
    assert.equal(rowsOf('subscribers'), 0);
    // Coming back later starts afresh.
    subscribers.subscribe(home, olena, 5_000);
    assert.deepEqual(subscribers.person(olena.userId)?.quiet, DEFAULT_SUBSCRIBER_QUIET_HOURS);
  });

  test('blocked the bot → inactive, left out of every message; /start (or a new invite) makes them active again', () => {
    subscribers.subscribe(home, olena, 1_000);
    subscribers.subscribe(home, mark, 1_000);
    assert.equal(subscribers.markInactive(olena.userId, 7_000), true);
    assert.equal(subscribers.markInactive(olena.userId, 8_000), false, 'already inactive: the first time is kept');
    assert.equal(subscribers.markInactive(ivan.userId, 8_000), false, 'nobody to mark');
    assert.deepEqual(subscribers.person(olena.userId)?.active, false);
    assert.deepEqual(subscribers.person(olena.userId)?.inactiveSince, 7_000);
    assert.deepEqual(subscribers.recipients(home, 'alerts').map((r) => r.userId), [502]);
    // Still a subscriber: admins see them (marked), and the place is still theirs.
    assert.deepEqual(subscribers.subscribersOf(home).find((s) => s.userId === 501)?.active, false);
    assert.deepEqual(subscribers.placeIdsOf(olena.userId), [home]);

    assert.equal(subscribers.reactivate(olena.userId, 'Olena K.'), 'reactivated');
    assert.equal(subscribers.reactivate(olena.userId), 'active');
    assert.equal(subscribers.reactivate(ivan.userId), 'unknown');
    assert.deepEqual(subscribers.person(olena.userId), {
      userId: 501,
      displayName: 'Olena K.',
      language: 'uk',
      quiet: DEFAULT_SUBSCRIBER_QUIET_HOURS,
      active: true,
      inactiveSince: null,
    });
    assert.deepEqual(subscribers.recipients(home, 'alerts').map((r) => r.userId), [501, 502]);

    // Opening an invite is a sign of life too.
    subscribers.markInactive(mark.userId, 9_000);
    assert.equal(subscribers.subscribe(dacha, mark, 9_500), 'subscribed');
    assert.equal(subscribers.person(mark.userId)?.active, true);
  });

  test('recipients of each kind of message honour every choice and the active flag, with language and quiet hours', () => {
    subscribers.subscribe(home, olena, 1_000);
    subscribers.subscribe(home, mark, 2_000);
    subscribers.subscribe(home, ivan, 3_000);
    subscribers.subscribe(dacha, mark, 3_000);
    subscribers.setQuietHours(mark.userId, null);
    assert.equal(subscribers.setChoices(olena.userId, home, { weekly: false }), true);
    assert.equal(subscribers.setChoices(mark.userId, home, { alerts: false, plan_warnings: false }), true);
    assert.equal(subscribers.setChoices(ivan.userId, dacha, { alerts: false }), false, 'not subscribed there');
    subscribers.markInactive(ivan.userId, 4_000);

    assert.deepEqual(subscribers.recipients(home, 'alerts'), [{ userId: 501, language: 'uk', quiet: DEFAULT_SUBSCRIBER_QUIET_HOURS }]);
    assert.deepEqual(subscribers.recipients(home, 'plan_warnings').map((r) => r.userId), [501]);
    assert.deepEqual(subscribers.recipients(home, 'weekly'), [{ userId: 502, language: 'en', quiet: null }]);
    // Choices are per place: Mark still gets everything about the dacha.
    assert.deepEqual(subscribers.recipients(dacha, 'alerts').map((r) => r.userId), [502]);
    assert.deepEqual(subscribers.placesOf(mark.userId).map((s) => s.choices), [
      { alerts: false, plan_warnings: false, weekly: true },
      { alerts: true, plan_warnings: true, weekly: true },
    ]);
    // Turning one back on leaves the rest as they were; an empty change changes nothing.
    subscribers.setChoices(mark.userId, home, { alerts: true });
    assert.equal(subscribers.setChoices(mark.userId, home, {}), true);
    assert.deepEqual(subscribers.placesOf(mark.userId)[0]?.choices, { alerts: true, plan_warnings: false, weekly: true });
    assert.deepEqual(subscribers.recipients(home, 'alerts').map((r) => r.userId), [501, 502]);
  });

  test('their own language and quiet hours; a window without a length is refused and changes nothing', () => {
    subscribers.subscribe(home, olena, 1_000);
    assert.equal(subscribers.setLanguage(olena.userId, 'en'), true);
    assert.equal(subscribers.setLanguage(mark.userId, 'en'), false);
    assert.equal(subscribers.setQuietHours(olena.userId, { startMin: 22 * 60, endMin: 6 * 60 }), true);
    assert.throws(() => subscribers.setQuietHours(olena.userId, { startMin: 300, endMin: 300 }), /two different minutes/);
    assert.throws(() => subscribers.setQuietHours(olena.userId, { startMin: 1440, endMin: 300 }), RangeError);
    assert.deepEqual(subscribers.recipients(home, 'alerts'), [{ userId: 501, language: 'en', quiet: { startMin: 1320, endMin: 360 } }]);
    // The schema refuses such a window even from elsewhere.
    assert.throws(() => prepareQuery(store.connection, queryBuilder.updateTable('subscribers').set({ quiet_start_min: 10, quiet_end_min: 10 })).run(), /CHECK constraint/i);
    assert.throws(() => prepareQuery(store.connection, queryBuilder.updateTable('subscribers').set({ quiet_start_min: null })).run(), /CHECK constraint/i);
  });

  test('deleting a place removes its subscriptions, and the people who followed only it', () => {
    subscribers.subscribe(home, olena, 1_000);
    subscribers.subscribe(dacha, olena, 1_000);
    subscribers.subscribe(home, mark, 1_000);
    deletePlace(home);
    assert.deepEqual(subscribers.subscribersOf(home), []);
    assert.deepEqual(subscribers.placeIdsOf(olena.userId), [dacha]);
    assert.equal(subscribers.person(mark.userId), undefined);
    assert.equal(rowsOf('subscribers'), 1);
    assert.equal(rowsOf('subscriptions'), 1);
  });

  test('a write joins a transaction already running, and rolls back with it', () => {
    const failing = store.connection.transaction(() => {
      subscribers.subscribe(home, olena, 1_000);
      throw new Error('the outer write failed');
    });
    assert.throws(() => failing(), /outer write failed/);
    assert.equal(subscribers.person(olena.userId), undefined);
    store.connection.transaction(() => subscribers.subscribe(home, olena, 1_000))();
    assert.deepEqual(subscribers.placeIdsOf(olena.userId), [home]);
  });
});
