import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, IN_HOURS } from '../../src/i18n/duration.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';

const i18n = createI18n();
const uk = translatorFor(i18n, 'uk');
const en = translatorFor(i18n, 'en');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('the one duration formatter', () => {
  it('keeps seconds under 10 minutes, then rounds to the minute', () => {
    const cases: [number, string, string][] = [
      [0, '0 с', '0 s'],
      [400, '0 с', '0 s'],
      [45_000, '45 с', '45 s'],
      [93_000, '1 хв 33 с', '1 min 33 s'],
      [5 * MINUTE, '5 хв', '5 min'],
      [9 * MINUTE + 59_400, '9 хв 59 с', '9 min 59 s'],
      [9 * MINUTE + 59_600, '10 хв', '10 min'],
      [47 * MINUTE + 20_000, '47 хв', '47 min'],
      [2 * HOUR, '2 год', '2 h'],
      [2 * HOUR + 5 * MINUTE + 31_000, '2 год 6 хв', '2 h 6 min'],
    ];
    for (const [ms, ukText, enText] of cases) {
      assert.equal(formatDuration(ms, uk), ukText, `${ms} ms in Ukrainian`);
      assert.equal(formatDuration(ms, en), enText, `${ms} ms in English`);
      assert.equal(formatDuration(ms, uk, IN_HOURS), ukText, `${ms} ms in hours`);
    }
  });

  it('counts days past a day, or stays in hours for weekly and monthly totals', () => {
    assert.equal(formatDuration(26 * HOUR + 5 * MINUTE, en), '1 d 2 h');
    assert.equal(formatDuration(24 * HOUR, uk), '1 д');
    assert.equal(formatDuration(52 * HOUR + 10 * MINUTE, uk, IN_HOURS), '52 год 10 хв');
    assert.equal(formatDuration(52 * HOUR + 10 * MINUTE, en, IN_HOURS), '52 h 10 min');
  });

  it('a negative length (clocks disagreeing) reads as none, not as nonsense', () => {
    assert.equal(formatDuration(-5_000, en), '0 s');
  });
});
