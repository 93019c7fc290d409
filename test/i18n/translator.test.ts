import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { asLocale, createI18n, LOCALES, LOCALES_DIRECTORY, translatorFor } from '../../src/i18n/translator.js';

const messageIds = (locale: string): string[] =>
  [...readFileSync(join(LOCALES_DIRECTORY, `${locale}.ftl`), 'utf8').matchAll(/^([a-z][a-z0-9-]*) =/gm)].map((match) => match[1]!).sort();

describe('the languages', () => {
  test('each language in LOCALES has a file in locales/, and there is no other', () => {
    const files = readdirSync(LOCALES_DIRECTORY).filter((name) => name.endsWith('.ftl'));
    assert.deepEqual(files.map((name) => name.replace(/\.ftl$/, '')).sort(), [...LOCALES].sort());
  });

  test('every language has every text', () => {
    const [first, ...others] = LOCALES;
    const expected = messageIds(first);
    assert.ok(expected.includes('diagram-title') && expected.includes('alert-power-off'));
    for (const locale of others) assert.deepEqual(messageIds(locale), expected, `${locale}.ftl and ${first}.ftl differ`);
  });

  test('each language quotes in its own way: “…” in English, «…» in Ukrainian', () => {
    // The texts people read, without comments and Fluent's own string literals ({""}, {" "}).
    const texts = (locale: string): string[] =>
      readFileSync(join(LOCALES_DIRECTORY, `${locale}.ftl`), 'utf8')
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('#'))
        .map((line) => line.replace(/\{\s*"[^"]*"\s*\}/g, ''));
    const offending = (locale: string, quotes: RegExp) => texts(locale).filter((line) => quotes.test(line));
    assert.deepEqual(offending('en', /[«»„"]/), [], 'English texts use “…”');
    assert.deepEqual(offending('uk', /[“”„"]/), [], 'Ukrainian texts use «…»');
  });

  test('the number of events reads naturally in the delete confirmation', () => {
    const i18n = createI18n();
    const uk = (events: number) => translatorFor(i18n, 'uk')('delete-confirm', { name: 'Дім', events }).split('\n')[1];
    const en = (events: number) => translatorFor(i18n, 'en')('delete-confirm', { name: 'Home', events }).split('\n')[1];
    assert.match(uk(0) ?? '', /^Буде видалено місце \(подій світла в нього ще немає\), а також/);
    assert.match(uk(1) ?? '', /^Буде видалено місце і його 1 подію світла, а також/);
    assert.match(uk(3) ?? '', /^Буде видалено місце і всі його 3 події світла,/);
    assert.match(uk(11) ?? '', /^Буде видалено місце і всі його 11 подій світла,/);
    assert.match(uk(21) ?? '', /^Буде видалено місце і його 21 подію світла,/);
    assert.match(uk(25) ?? '', /всі його 25 подій світла/);
    assert.match(en(1) ?? '', /^This deletes the place with its one power event and its diagrams/);
    assert.match(en(7) ?? '', /^This deletes the place with its 7 power events \(the whole history\) and its diagrams/);
    assert.equal(translatorFor(i18n, 'uk')('delete-done', { name: 'Дім', events: 2 }), '🗑 <b>Дім</b> видалено разом з 2 подіями світла.');
  });

  test("a client's language tag maps to one of ours, anything else to Ukrainian", () => {
    assert.equal(asLocale('en'), 'en');
    assert.equal(asLocale('en-GB'), 'en');
    assert.equal(asLocale('uk'), 'uk');
    assert.equal(asLocale('de'), 'uk');
    assert.equal(asLocale(''), 'uk');
    assert.equal(asLocale(null), 'uk');
    assert.equal(asLocale(undefined), 'uk');
  });

  test('a translator is bound to its language', () => {
    const i18n = createI18n();
    assert.equal(translatorFor(i18n, 'uk')('diagram-weekday', { day: 1 }), 'Пн');
    assert.equal(translatorFor(i18n, 'en')('diagram-month', { month: 11 }), 'Nov');
  });
});
