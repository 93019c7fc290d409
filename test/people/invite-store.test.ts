import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import type { Store } from '../../src/db/connection.js';
import { countRows, insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { InviteStore } from '../../src/people/invite-store.js';
import { INVITE_TOKEN_LENGTH, inviteLink, isInviteTokenShape, newInviteToken, shareLink } from '../../src/people/invite-token.js';
import { joinByInvite } from '../../src/people/join.js';
import { SubscriberStore, type PersonProfile } from '../../src/people/subscriber-store.js';
import { tempDir } from '../support/temp-dir.js';

const DAY = 86_400_000;
const olena: PersonProfile = { userId: 501, displayName: 'Olena', language: 'uk' };
const mark: PersonProfile = { userId: 502, displayName: 'Mark', language: 'en' };
const ADMIN = 42;

describe('invite tokens and links', () => {
  test('unguessable, URL-safe, and within a deep link start parameter (64 of [A-Za-z0-9_-])', () => {
    const tokens = new Set(Array.from({ length: 2_000 }, () => newInviteToken()));
    assert.equal(tokens.size, 2_000);
    for (const token of tokens) {
      assert.match(token, /^[A-Za-z0-9_-]+$/);
      assert.equal(token.length, INVITE_TOKEN_LENGTH);
      assert.ok(token.length <= 64);
      assert.ok(isInviteTokenShape(token));
    }
    // 32 base64url characters carry 6 bits each: 192 bits, well over 128.
    assert.ok(INVITE_TOKEN_LENGTH * 6 >= 128);
    assert.equal(isInviteTokenShape('abcDEF123456789_'), false, 'the 16-character setup code is another shape');
    assert.equal(isInviteTokenShape(`${newInviteToken().slice(1)}!`), false);
    assert.equal(isInviteTokenShape(''), false);
  });

  test('the link and the share dialog', () => {
    const token = newInviteToken();
    assert.equal(inviteLink('@power_home_bot', token), `https://t.me/power_home_bot?start=${token}`);
    assert.throws(() => inviteLink('not a bot', token), /not a Telegram bot username/);
    assert.throws(() => inviteLink('power_home_bot', 'short'), /32 characters/);
    const share = new URL(shareLink(`https://t.me/power_home_bot?start=${token}`, 'Світло «Дача» & co'));
    assert.equal(share.origin + share.pathname, 'https://t.me/share/url');
    assert.equal(share.searchParams.get('url'), `https://t.me/power_home_bot?start=${token}`);
    assert.equal(share.searchParams.get('text'), 'Світло «Дача» & co');
  });
});

describe('the invite store', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  let invites: InviteStore;
  let subscribers: SubscriberStore;
  let home: number;
  let dacha: number;

  const addPlace = (name: string) =>
    insertPlaceRow(store.connection, { name, api_key: `key-${name}-0000000000`, created_at: 0 });
  const join = (token: string, person: PersonProfile, now: number) => joinByInvite({ invites, subscribers }, token, person, now);

  beforeEach(async () => {
    dir = tempDir('invites-');
    store = await openTestStore(dir.file('monitor.db'));
    const places = new PlaceStore(store.connection);
    invites = new InviteStore(store.connection, places);
    subscribers = new SubscriberStore(store.connection, places);
    home = addPlace('Home');
    dacha = addPlace('Dacha <b>');
  });
  afterEach(async () => {
    await store.close();
    dir.cleanup();
  });

  test('one link per place, made on first use and the same afterwards', () => {
    assert.equal(invites.current(home, 0), undefined);
    const first = invites.ensure(home, { now: 1_000, createdBy: ADMIN });
    assert.ok(first);
    assert.deepEqual(invites.ensure(home, { now: 2_000, createdBy: ADMIN }), first);
    assert.deepEqual(invites.current(home, 2_000), { token: first.token, placeId: home, createdAt: 1_000, expiresAt: null });
    const other = invites.ensure(dacha, { now: 1_000, createdBy: ADMIN });
    assert.notEqual(other?.token, first.token);
    assert.equal(invites.ensure(9_999, { now: 1_000, createdBy: ADMIN }), undefined);
    assert.deepEqual(invites.check(first.token, 3_000), { status: 'valid', placeId: home, placeName: 'Home' });
  });

  test('subscribe via the link; a second visit is "already"', () => {
    const invite = invites.ensure(dacha, { now: 1_000, createdBy: ADMIN })!;
    assert.deepEqual(join(invite.token, olena, 2_000), { outcome: 'subscribed', placeId: dacha, placeName: 'Dacha <b>' });
    assert.deepEqual(join(invite.token, olena, 3_000), { outcome: 'already', placeId: dacha, placeName: 'Dacha <b>' });
    assert.deepEqual(subscribers.subscribersOf(dacha).map((s) => [s.userId, s.since]), [[501, 2_000]]);
  });

  test('renewing: the old link is refused politely as "renewed" (with its place), the new one works, subscribers stay', () => {
    const old = invites.ensure(home, { now: 1_000, createdBy: ADMIN })!;
    join(old.token, olena, 1_500);
    const renewed = invites.renew(home, { now: 2_000, createdBy: ADMIN })!;
    assert.notEqual(renewed.token, old.token);
    assert.deepEqual(invites.current(home, 2_000)?.token, renewed.token);
    assert.deepEqual(invites.check(old.token, 2_500), { status: 'renewed', placeId: home, placeName: 'Home' });
    assert.deepEqual(join(old.token, mark, 2_500), { outcome: 'renewed', placeName: 'Home' });
    assert.deepEqual(subscribers.placeIdsOf(mark.userId), [], 'an old link subscribes nobody');
    assert.deepEqual(join(renewed.token, mark, 3_000), { outcome: 'subscribed', placeId: home, placeName: 'Home' });
    assert.deepEqual(subscribers.placeIdsOf(olena.userId), [home], 'renewal does not drop who already joined');
    // Renewing again: both earlier links read "renewed"; one live link per place.
    invites.renew(home, { now: 4_000, createdBy: ADMIN });
    assert.equal(invites.check(renewed.token, 4_000).status, 'renewed');
    assert.equal(invites.check(old.token, 4_000).status, 'renewed');
    const live = prepareQuery(store.connection, queryBuilder.selectFrom('place_invites').select(sql<number>`count(*)`.as('n')).where('location_id', '=', home).where('replaced_at', 'is', null)).one();
    assert.equal(live.n, 1);
  });

  test('a link with a lifetime expires; "expired" is told apart from "renewed" and from "never existed"', () => {
    const invite = invites.renew(home, { now: 0, createdBy: ADMIN, lifetimeMs: 7 * DAY })!;
    assert.equal(invite.expiresAt, 7 * DAY);
    assert.equal(invites.check(invite.token, 7 * DAY - 1).status, 'valid');
    assert.deepEqual(invites.check(invite.token, 7 * DAY), { status: 'expired', placeId: home, placeName: 'Home' });
    assert.deepEqual(join(invite.token, olena, 8 * DAY), { outcome: 'expired', placeName: 'Home' });
    assert.equal(invites.current(home, 8 * DAY), undefined);
    // Asking for the link again makes a new one; the expired one still says "expired".
    const next = invites.ensure(home, { now: 8 * DAY, createdBy: ADMIN })!;
    assert.notEqual(next.token, invite.token);
    assert.equal(invites.check(invite.token, 8 * DAY).status, 'expired');
    assert.equal(invites.check(next.token, 8 * DAY).status, 'valid');
    // Renewed before its time ran out: that is what happened to it, even after that time.
    const short = invites.renew(dacha, { now: 0, createdBy: ADMIN, lifetimeMs: DAY })!;
    invites.renew(dacha, { now: DAY / 2, createdBy: ADMIN });
    assert.equal(invites.check(short.token, 2 * DAY).status, 'renewed');
    assert.throws(() => invites.renew(home, { now: 0, createdBy: ADMIN, lifetimeMs: 0 }), /positive number/);
  });

  test('a token never issued, or mistyped, is "unknown" — the same as one whose place was deleted', () => {
    assert.deepEqual(join(newInviteToken(), olena, 1_000), { outcome: 'unknown' });
    assert.deepEqual(join('hello', olena, 1_000), { outcome: 'unknown' });
    const invite = invites.ensure(dacha, { now: 1_000, createdBy: ADMIN })!;
    join(invite.token, olena, 1_500);
    prepareQuery(store.connection, queryBuilder.deleteFrom('locations').where('id', '=', dacha)).run();
    assert.deepEqual(invites.check(invite.token, 2_000), { status: 'unknown' });
    assert.deepEqual(join(invite.token, mark, 2_000), { outcome: 'unknown' });
    assert.equal(countRows(store.connection, 'place_invites'), 0);
    assert.equal(subscribers.person(olena.userId), undefined);
  });
});
