import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIST_PAGE_SIZE, listPage, listPayload, parseListPayload, SEARCH_MAX_BYTES, searchKey, searchQuery } from '../../src/bot/views/paged-list.js';
import { KEYBOARD_LIMITS } from '../support/keyboard-limits.js';

const names = (count: number) => Array.from({ length: count }, (_, i) => `Місце ${i + 1}`);

describe('paged lists', () => {
  test('ten a page; a page past the end is the last one; an empty list is one empty page', () => {
    const list = names(25);
    assert.deepEqual(listPage(list, { page: 0, query: '' }, (name) => name), { items: list.slice(0, 10), page: 0, pages: 3, total: 25 });
    assert.deepEqual(listPage(list, { page: 99, query: '' }, (name) => name).items, list.slice(20));
    assert.deepEqual(listPage([], { page: 3, query: '' }, (name: string) => name), { items: [], page: 0, pages: 1, total: 0 });
    assert.equal(LIST_PAGE_SIZE, 10);
  });

  test('the search ignores case in any script, apostrophe kinds and extra spaces', () => {
    const list = ['Дача Олени', 'ДІМ', "Зав'язь", 'Office', 'Хата  над   рікою'];
    const found = (query: string) => listPage(list, { page: 0, query }, (name) => name).items;
    assert.deepEqual(found('дача'), ['Дача Олени']);
    assert.deepEqual(found('ОЛЕНИ'), ['Дача Олени']);
    assert.deepEqual(found('дім'), ['ДІМ']);
    assert.deepEqual(found('завʼязь'), ["Зав'язь"]);
    assert.deepEqual(found('зав’я'), ["Зав'язь"]);
    assert.deepEqual(found('OFFICE'), ['Office']);
    assert.deepEqual(found('над рікою'), ['Хата  над   рікою']);
    assert.deepEqual(found('нема'), []);
    assert.equal(searchKey('  ҐАНОК  '), 'ґанок');
  });

  test('what is typed becomes a search of at most 24 bytes, cut between letters', () => {
    assert.equal(searchQuery('  дача   олени '), 'дача олени');
    assert.equal(searchQuery('   '), '');
    const long = searchQuery('Дуже довга назва місця, яку ніхто не набере');
    assert.ok(Buffer.byteLength(long) <= SEARCH_MAX_BYTES);
    assert.equal(long, 'Дуже довга на');
    assert.ok(Buffer.byteLength(searchQuery('a/b/c/d/e/f/g/h/i')) <= SEARCH_MAX_BYTES + 2 * 8, 'a slash is escaped in the data, counted as such');
  });

  test('payloads carry ids, the page and the search, and come back the same; anything else is refused', () => {
    const at = { page: 12, query: 'хата/сад 50%.2' };
    const payload = listPayload([7, null], at);
    assert.ok(!payload.includes('/'), 'grammY forbids "/" in a payload');
    assert.deepEqual(parseListPayload(payload, 2), { ids: [7, null], at });
    assert.deepEqual(parseListPayload(listPayload([3], { page: 0, query: '' }), 1), { ids: [3], at: { page: 0, query: '' } });
    assert.equal(listPayload([null], { page: 2, query: '' }), '.2');
    for (const bad of ['', 'x', '12', '12.a', 'a.1', '1.2.%zz', undefined]) assert.equal(parseListPayload(bad, 1), null, String(bad));
  });

  test('the longest button data of every paged list fits in 64 bytes', () => {
    // grammY's menu data: "<menu>/<row>/<col>/<payload>/f<hash>", the hash 4 bytes that may each become U+FFFD (3 bytes).
    const data = (menu: string, payload: string) => Buffer.byteLength(`${menu}/f/7/${payload}/f`) + 12;
    const query = searchQuery('ЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇЇ');
    const at = { page: 99_999, query };
    const place = 9_999_999;
    for (const menu of ['m', 'sc', 'dg', 'ex']) assert.ok(data(menu, listPayload([place], at)) <= KEYBOARD_LIMITS.callbackDataBytes, menu);
    assert.ok(data('sv', listPayload([place, 9], at)) <= KEYBOARD_LIMITS.callbackDataBytes, 'a person on the subscribers list');
    assert.ok(data('sx', listPayload([place, 9], at)) <= KEYBOARD_LIMITS.callbackDataBytes, 'the removal confirmation');
    // Subscriber menus are paged but not searched.
    assert.ok(data('sb-stats', listPayload([place], { page: 99_999, query: '' })) <= KEYBOARD_LIMITS.callbackDataBytes);
  });
});
