import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { localDay, localDayStart, nextHourMark, nextLocalMidnight } from '../../src/diagram/diagram-schedule.js';

const KYIV = 'Europe/Kyiv';
const utc = (iso: string): number => DateTime.fromISO(iso, { zone: 'utc' }).toMillis();
const kyiv = (iso: string): number => DateTime.fromISO(iso, { zone: KYIV }).toMillis();
const iso = (ms: number): string => new Date(ms).toISOString();

/** The hour marks from `from` on, as UTC ISO strings. */
function hourMarks(from: number, count: number, zone = KYIV): string[] {
  const marks: string[] = [];
  let at = from;
  for (let i = 0; i < count; i++) {
    at = nextHourMark(at, zone);
    marks.push(iso(at));
  }
  return marks;
}

describe('diagram schedule: next local midnight', () => {
  test('an ordinary day: 00:00 Kyiv winter time is 22:00 UTC the day before', () => {
    assert.equal(iso(nextLocalMidnight(kyiv('2026-11-20T15:40'), KYIV)), '2026-11-20T22:00:00.000Z');
  });

  test('strictly after: at midnight itself the next one is a day later', () => {
    assert.equal(iso(nextLocalMidnight(kyiv('2026-11-21T00:00'), KYIV)), '2026-11-21T22:00:00.000Z');
    assert.equal(iso(nextLocalMidnight(kyiv('2026-11-20T23:59:59.999'), KYIV)), '2026-11-20T22:00:00.000Z');
  });

  test('spring forward (2026-03-29): the day has 23 hours and the next midnight is in summer time', () => {
    const before = nextLocalMidnight(kyiv('2026-03-28T12:00'), KYIV);
    assert.equal(iso(before), '2026-03-28T22:00:00.000Z'); // 00:00 EET
    const after = nextLocalMidnight(before, KYIV);
    assert.equal(iso(after), '2026-03-29T21:00:00.000Z'); // 00:00 EEST
    assert.equal((after - before) / 3_600_000, 23);
  });

  test('fall back (2026-10-25): the day has 25 hours and the next midnight is in winter time', () => {
    const before = nextLocalMidnight(kyiv('2026-10-24T12:00'), KYIV);
    assert.equal(iso(before), '2026-10-24T21:00:00.000Z'); // 00:00 EEST
    const after = nextLocalMidnight(before, KYIV);
    assert.equal(iso(after), '2026-10-25T22:00:00.000Z'); // 00:00 EET
    assert.equal((after - before) / 3_600_000, 25);
  });

  test('the local day and its start follow the zone, not UTC', () => {
    const lateEvening = utc('2026-10-25T21:30'); // 23:30 EET on the 25th
    assert.equal(localDay(lateEvening, KYIV), '2026-10-25');
    assert.equal(localDay(lateEvening, 'UTC'), '2026-10-25');
    assert.equal(localDay(utc('2026-10-25T22:00'), KYIV), '2026-10-26');
    assert.equal(iso(localDayStart(lateEvening, KYIV)), '2026-10-24T21:00:00.000Z');
    assert.equal(localDay(utc('2026-03-29T21:00'), KYIV), '2026-03-30');
  });
});

describe('diagram schedule: next hour mark', () => {
  test('an ordinary hour: the next :00, strictly after', () => {
    assert.equal(iso(nextHourMark(kyiv('2026-11-20T15:40'), KYIV)), iso(kyiv('2026-11-20T16:00')));
    assert.equal(iso(nextHourMark(kyiv('2026-11-20T16:00'), KYIV)), iso(kyiv('2026-11-20T17:00')));
  });

  test('spring forward: after 02:00 comes 04:00 (03:00 does not exist), one real hour later', () => {
    const marks = hourMarks(kyiv('2026-03-29T01:30'), 4);
    assert.deepEqual(marks, ['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z', '2026-03-29T03:00:00.000Z']);
    const local = marks.map((mark) => DateTime.fromISO(mark, { zone: KYIV }).toFormat('HH:mm'));
    assert.deepEqual(local, ['02:00', '04:00', '05:00', '06:00']);
  });

  test('fall back: 03:00 comes twice, an hour apart, and every mark is one real hour after the last', () => {
    const marks = hourMarks(kyiv('2026-10-25T01:30'), 5);
    assert.deepEqual(marks, ['2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z']);
    const local = marks.map((mark) => DateTime.fromISO(mark, { zone: KYIV }).toFormat('HH:mm ZZ'));
    assert.deepEqual(local, ['02:00 +03:00', '03:00 +03:00', '03:00 +02:00', '04:00 +02:00', '05:00 +02:00']);
  });

  test('a whole DST day in hour marks: 23 on the spring day, 25 on the autumn day, midnight among them', () => {
    for (const [day, expected] of [['2026-03-29', 23], ['2026-10-25', 25], ['2026-11-20', 24]] as const) {
      const start = kyiv(`${day}T00:00`);
      const end = nextLocalMidnight(start, KYIV);
      let count = 0;
      for (let at = start; at < end; at = nextHourMark(at, KYIV)) count++;
      assert.equal(count, expected, day);
      assert.equal(nextHourMark(end - 1, KYIV), end, `${day}: the last mark of the day is the next midnight`);
    }
  });

  test('a zone half an hour off UTC: local :00 is :30 UTC', () => {
    assert.equal(iso(nextHourMark(utc('2026-11-20T10:10'), 'Asia/Kolkata')), '2026-11-20T10:30:00.000Z');
    assert.equal(iso(nextHourMark(utc('2026-11-20T10:30'), 'Asia/Kolkata')), '2026-11-20T11:30:00.000Z');
  });

  test('an invalid zone is a clear error', () => {
    assert.throws(() => nextHourMark(0, 'Mars/Olympus'), /Invalid time zone "Mars\/Olympus"/);
  });
});
