import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_SUBSCRIBER_QUIET_HOURS,
  describeQuietHours,
  formatQuietWindow,
  isQuietAt,
  parseQuietHours,
} from '../../src/people/quiet-hours.js';
import type { QuietHours } from '../../src/outbox/payload-parts.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { ManualClock } from '../support/clock.js';

const KYIV = 'Europe/Kyiv';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const night: QuietHours = DEFAULT_SUBSCRIBER_QUIET_HOURS;

/** How many minutes of [from, from + span) a deliverer with this clock would have sent silently. */
function silentMinutes(quiet: QuietHours, clock: ManualClock, span: number): number {
  let silent = 0;
  for (let elapsed = 0; elapsed < span; elapsed += MINUTE) {
    if (isQuietAt(quiet, clock.now(), KYIV)) silent += 1;
    clock.advance(MINUTE);
  }
  return silent;
}

describe('quiet hours', () => {
  test('a window across midnight: from 23:00 inclusive to 07:00 exclusive, local time', () => {
    // 20 November 2026: Kyiv is UTC+2.
    const local = (hour: number, minute = 0, day = 20) => Date.UTC(2026, 10, day, hour - 2, minute);
    assert.equal(isQuietAt(night, local(22, 59), KYIV), false);
    assert.equal(isQuietAt(night, local(23, 0), KYIV), true);
    assert.equal(isQuietAt(night, local(23, 59), KYIV), true);
    assert.equal(isQuietAt(night, local(0, 0, 21), KYIV), true);
    assert.equal(isQuietAt(night, local(3, 30, 21), KYIV), true);
    assert.equal(isQuietAt(night, local(6, 59, 21), KYIV), true);
    assert.equal(isQuietAt(night, local(7, 0, 21), KYIV), false);
    assert.equal(isQuietAt(night, local(12, 0, 21), KYIV), false);
    // The same instant is day in another zone: the subscriber's zone decides.
    assert.equal(isQuietAt(night, local(3, 30, 21), 'America/New_York'), false);
  });

  test('a window inside one day, and "off"', () => {
    const office: QuietHours = { startMin: 9 * 60, endMin: 18 * 60 };
    const clock = new ManualClock(Date.UTC(2026, 10, 20, -2, 0)); // 00:00 Kyiv
    assert.equal(silentMinutes(office, clock, 24 * HOUR), 9 * 60);
    clock.set(Date.UTC(2026, 10, 20, -2, 0));
    assert.equal(silentMinutes(null, clock, 24 * HOUR), 0);
  });

  test('an ordinary night is 8 hours silent', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 20, 10, 0)); // noon Kyiv to noon
    assert.equal(silentMinutes(night, clock, 24 * HOUR), 8 * 60);
  });

  test('the night the clocks go forward (29 March 2026, 03:00 → 04:00) is 7 hours silent, and no minute is missed', () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 28, 10, 0)); // noon EET on the 28th
    const quietTimes: number[] = [];
    for (let elapsed = 0; elapsed < 23 * HOUR; elapsed += MINUTE) {
      if (isQuietAt(night, clock.now(), KYIV)) quietTimes.push(clock.now());
      clock.advance(MINUTE);
    }
    assert.equal(quietTimes.length, 7 * 60);
    assert.equal(quietTimes[0], Date.UTC(2026, 2, 28, 21, 0)); // 23:00 EET
    assert.equal(quietTimes.at(-1), Date.UTC(2026, 2, 29, 3, 59)); // 06:59 EEST
    // Across the jump itself: 02:59 EET and, one real minute later, 04:00 EEST are both silent.
    assert.equal(isQuietAt(night, Date.UTC(2026, 2, 29, 0, 59), KYIV), true);
    assert.equal(isQuietAt(night, Date.UTC(2026, 2, 29, 1, 0), KYIV), true);
    // A window that lies wholly in the skipped hour does not happen that night.
    const skipped: QuietHours = { startMin: 3 * 60, endMin: 4 * 60 };
    clock.set(Date.UTC(2026, 2, 28, 22, 0));
    assert.equal(silentMinutes(skipped, clock, 6 * HOUR), 0);
  });

  test('the night the clocks go back (25 October 2026, 04:00 → 03:00) is 9 hours silent, the repeated hour both times', () => {
    const clock = new ManualClock(Date.UTC(2026, 9, 24, 9, 0)); // noon EEST on the 24th
    assert.equal(silentMinutes(night, clock, 25 * HOUR), 9 * 60);
    const repeated: QuietHours = { startMin: 3 * 60, endMin: 4 * 60 };
    clock.set(Date.UTC(2026, 9, 24, 21, 0));
    assert.equal(silentMinutes(repeated, clock, 6 * HOUR), 2 * 60);
    assert.equal(isQuietAt(repeated, Date.UTC(2026, 9, 25, 0, 30), KYIV), true); // 03:30 EEST
    assert.equal(isQuietAt(repeated, Date.UTC(2026, 9, 25, 1, 30), KYIV), true); // 03:30 EET
    assert.equal(isQuietAt(repeated, Date.UTC(2026, 9, 25, 2, 0), KYIV), false); // 04:00 EET
  });

  test('an unknown zone is an error that names the problem, not a silent guess', () => {
    assert.throws(() => isQuietAt(night, 0, 'Europe/Atlantis'), /Unknown time zone "Europe\/Atlantis"/);
    assert.equal(isQuietAt(null, 0, 'Europe/Atlantis'), false);
  });

  test('typed quiet hours: common ways of writing a range, "off" in both languages, refusals with a reason', () => {
    assert.deepEqual(parseQuietHours('23:00-07:00'), { ok: true, quiet: { startMin: 1380, endMin: 420 } });
    assert.deepEqual(parseQuietHours(' 22.30 – 6.45 '), { ok: true, quiet: { startMin: 1350, endMin: 405 } });
    assert.deepEqual(parseQuietHours('23-7'), { ok: true, quiet: { startMin: 1380, endMin: 420 } });
    assert.deepEqual(parseQuietHours('22 до 6'), { ok: true, quiet: { startMin: 1320, endMin: 360 } });
    assert.deepEqual(parseQuietHours('1 to 2'), { ok: true, quiet: { startMin: 60, endMin: 120 } });
    assert.deepEqual(parseQuietHours('20:00-24:00'), { ok: true, quiet: { startMin: 1200, endMin: 0 } });
    assert.deepEqual(parseQuietHours('off'), { ok: true, quiet: null });
    assert.deepEqual(parseQuietHours('Вимк'), { ok: true, quiet: null });
    assert.deepEqual(parseQuietHours('7-7'), { ok: false, error: 'same' });
    assert.deepEqual(parseQuietHours('0:00-24:00'), { ok: false, error: 'same' });
    assert.deepEqual(parseQuietHours('25-7'), { ok: false, error: 'format' });
    assert.deepEqual(parseQuietHours('23:60-07:00'), { ok: false, error: 'format' });
    assert.deepEqual(parseQuietHours('night'), { ok: false, error: 'format' });
    assert.deepEqual(parseQuietHours(''), { ok: false, error: 'format' });
  });

  test('shown as a range, in words in both languages', () => {
    assert.equal(formatQuietWindow({ startMin: 1380, endMin: 420 }), '23:00–07:00');
    assert.equal(formatQuietWindow({ startMin: 5, endMin: 1439 }), '00:05–23:59');
    const i18n = createI18n();
    assert.equal(describeQuietHours(night, translatorFor(i18n, 'uk')), '🌙 тихі години 23:00–07:00');
    assert.equal(describeQuietHours(null, translatorFor(i18n, 'uk')), '🔔 тихі години вимкнено');
    assert.equal(describeQuietHours(night, translatorFor(i18n, 'en')), '🌙 quiet hours 23:00–07:00');
    assert.equal(describeQuietHours(null, translatorFor(i18n, 'en')), '🔔 quiet hours off');
  });
});
