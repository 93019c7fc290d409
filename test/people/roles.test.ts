import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { authorizeCallback, mayUseCommand, mayViewPlace, parseSubscriberPress, roleOf, subscriberMenuId, type Role } from '../../src/people/roles.js';
import { repositoryPath } from '../support/repository.js';

const ADMIN = 1;
const OLENA = 501;
const sources = {
  isAdmin: async (userId: number) => userId === ADMIN,
  placeIdsOf: (userId: number) => (userId === OLENA ? [3, 7] : userId === ADMIN ? [3] : []),
};
const admin: Role = { kind: 'admin' };
const olena: Role = { kind: 'subscriber', placeIds: [3, 7] };
const stranger: Role = { kind: 'stranger' };

/** Callback data exactly as grammY's menu plugin renders it. */
const press = (menu: string, payload = '', row = 0, col = 0) => `${menu}/${row.toString(16)}/${col.toString(16)}/${payload}/f1a2b3`;

describe('roles', () => {
  test('admin, subscriber of which places, or stranger', async () => {
    assert.deepEqual(await roleOf(ADMIN, sources), admin, 'an admin who also follows a place is an admin');
    assert.deepEqual(await roleOf(OLENA, sources), olena);
    assert.deepEqual(await roleOf(999, sources), stranger);
    assert.deepEqual(await roleOf(OLENA, { isAdmin: () => false, placeIdsOf: () => [] }), stranger, 'left every place: a stranger again');
  });

  test('a subscriber sees only the places they follow', () => {
    assert.equal(mayViewPlace(olena, 3), true);
    assert.equal(mayViewPlace(olena, 4), false);
    assert.equal(mayViewPlace(admin, 4), true);
    assert.equal(mayViewPlace(stranger, 3), false);
  });

  test('commands: a subscriber has their own few, a stranger only /start', () => {
    for (const command of ['start', '/start', 'help', 'settings', 'stats', 'cancel', 'START@power_bot']) assert.equal(mayUseCommand(olena, command), true, command);
    for (const command of ['locations', 'add', 'diagram', 'export', 'backup', 'admins', 'language']) {
      assert.equal(mayUseCommand(olena, command), false, command);
      assert.equal(mayUseCommand(admin, command), true, command);
    }
    assert.equal(mayUseCommand(stranger, 'start'), true);
    assert.equal(mayUseCommand(stranger, 'help'), false);
    assert.equal(mayUseCommand(stranger, 'backup'), false);
  });

  test('a subscriber pressing forged admin callback data gets nothing', () => {
    // Every admin menu of the bot, with a place payload or without.
    for (const menu of ['m', 'p', 'rk', 'dl', 'pl', 'ad', 'ar', 'ul', 'dg', 'ex']) {
      for (const payload of ['', '3', '7', '42']) {
        assert.deepEqual(authorizeCallback(olena, press(menu, payload)), { allowed: false, reason: 'not_subscriber_menu' }, `${menu}/${payload}`);
        assert.deepEqual(authorizeCallback(admin, press(menu, payload)), { allowed: true });
        assert.equal(authorizeCallback(stranger, press(menu, payload)).allowed, false);
      }
    }
    // Anything that is not menu data at all.
    for (const data of ['', 'rotate:3', 'sb', 'sb/0/0/3', 'sb/0/0/3/x', 'sb/zz/0/3/f1', 'sb-/0/0//f1', 'sb-PLACE/0/0/3/f1', '../p/0/0/3/f1']) {
      assert.equal(authorizeCallback(olena, data).allowed, false, data);
    }
  });

  test('a subscriber menu press goes through only for their own places (or their own settings)', () => {
    assert.deepEqual(authorizeCallback(olena, press(subscriberMenuId(), '')), { allowed: true });
    assert.deepEqual(authorizeCallback(olena, press(subscriberMenuId('place'), '3', 1, 2)), { allowed: true });
    assert.deepEqual(authorizeCallback(olena, press(subscriberMenuId('place'), '7')), { allowed: true });
    assert.deepEqual(authorizeCallback(olena, press(subscriberMenuId('place'), '4')), { allowed: false, reason: 'not_their_place' });
    assert.deepEqual(authorizeCallback(olena, press(subscriberMenuId('leave'), '03')), { allowed: false, reason: 'not_subscriber_menu' });
    assert.deepEqual(authorizeCallback(olena, press(subscriberMenuId('leave'), 'x')), { allowed: false, reason: 'not_subscriber_menu' });
    assert.deepEqual(authorizeCallback(stranger, press(subscriberMenuId('place'), '3')), { allowed: false, reason: 'stranger' });
    assert.deepEqual(parseSubscriberPress(press('sb-quiet', '', 10, 11)), { menuId: 'sb-quiet', placeId: null });
    assert.throws(() => subscriberMenuId('Place/1'), /1–12 characters/);
  });

  test('no admin menu of the bot uses the subscriber namespace', () => {
    const menus = repositoryPath('src', 'bot');
    const ids = readdirSync(menus, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .flatMap((entry) => [...readFileSync(join(entry.parentPath, entry.name), 'utf8').matchAll(/(?:new (?:View)?Menu(?:<[^>]*>)?|choosePlaceMenu)\(\s*'([^']+)'/g)].map((m) => m[1]!));
    assert.ok(ids.length >= 5, `admin menus found: ${ids.join(', ')}`);
    for (const id of ids) assert.equal(parseSubscriberPress(press(id, '3')), null, id);
  });
});
