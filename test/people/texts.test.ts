import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createI18n, LOCALES, LOCALES_DIRECTORY } from '../../src/i18n/translator.js';

/** Each message of a Fluent file with the variables it uses, in file order. */
function messages(locale: string): { id: string; variables: string[] }[] {
  const text = readFileSync(join(LOCALES_DIRECTORY, `${locale}.ftl`), 'utf8');
  const found: { id: string; body: string }[] = [];
  for (const line of text.split('\n')) {
    const start = /^([a-z][a-z0-9-]*) =(.*)$/.exec(line);
    if (start) found.push({ id: start[1]!, body: start[2]! });
    else if (/^\s+\S/.test(line) && found.length > 0) found[found.length - 1]!.body += `\n${line}`;
  }
  return found.map(({ id, body }) => ({ id, variables: [...new Set([...body.matchAll(/\$([a-zA-Z]+)/g)].map((m) => m[1]!))].sort() }));
}

describe('the people texts', () => {
  test('one block in each language file, every key prefixed people-', () => {
    for (const locale of LOCALES) {
      const ids = messages(locale).map((m) => m.id);
      const first = ids.findIndex((id) => id.startsWith('people-'));
      const last = ids.findLastIndex((id) => id.startsWith('people-'));
      assert.ok(first > 0, `${locale}.ftl has people- texts`);
      assert.deepEqual(ids.slice(first, last + 1).filter((id) => !id.startsWith('people-')), [], `${locale}.ftl: the people- texts are one block`);
    }
  });

  test('Ukrainian and English take the same variables in every people- text', () => {
    const [first, ...others] = LOCALES;
    const expected = messages(first).filter((m) => m.id.startsWith('people-'));
    for (const locale of others) assert.deepEqual(messages(locale).filter((m) => m.id.startsWith('people-')), expected, locale);
  });

  test('each renders whole in both languages, nothing left unfilled', () => {
    const i18n = createI18n();
    for (const locale of LOCALES) {
      for (const { id, variables } of messages(locale).filter((m) => m.id.startsWith('people-'))) {
        const values = Object.fromEntries(variables.map((name) => [name, name === 'count' || name === 'hours' ? 3 : `‹${name}›`]));
        const text = i18n.t(locale, id, values);
        assert.doesNotMatch(text, /[{}$]/, `${locale} ${id}: ${text}`);
        for (const name of variables.filter((n) => n !== 'count' && n !== 'hours' && n !== 'on' && n !== 'inactive')) {
          assert.ok(text.includes(`‹${name}›`), `${locale} ${id} shows $${name}`);
        }
      }
    }
  });
});
