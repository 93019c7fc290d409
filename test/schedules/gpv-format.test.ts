import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGpv } from '../../src/schedules/gpv-format.js';
import type { PlanInterval } from '../../src/outbox/payload-parts.js';
import { findQueue, ScheduleFormatError, type DayEntry } from '../../src/schedules/snapshot.js';
import { fixture, HOUR, utc, ZONE } from './fixture.js';

const planned = (start: number, end: number): PlanInterval => ({ start, end, kind: 'planned' });
const possible = (start: number, end: number): PlanInterval => ({ start, end, kind: 'possible' });

function intervalsOf(entry: DayEntry | undefined): PlanInterval[] {
  assert.ok(entry, 'the day is there');
  assert.equal(entry.status, 'plan', entry.status === 'unreadable' ? entry.problem : entry.status);
  return entry.intervals;
}

describe('GPV files', () => {
  const snapshot = parseGpv(fixture('gpv-small.json'), ZONE);

  test('whole hours, half hours and adjacent hours become merged intervals in real time', () => {
    const [first, second] = snapshot.days['GPV1.1']!;
    assert.equal(first!.day, '2026-01-14');
    assert.deepEqual(intervalsOf(first), [
      planned(utc(2026, 1, 14, 5), utc(2026, 1, 14, 8)), // 07:00–10:00
      planned(utc(2026, 1, 14, 13, 30), utc(2026, 1, 14, 16)), // "second" at 15 then 16:00–18:00
      planned(utc(2026, 1, 14, 21), utc(2026, 1, 14, 22)), // 23:00–24:00
    ]);
    assert.equal(second!.day, '2026-01-15');
    assert.deepEqual(intervalsOf(second), [
      planned(utc(2026, 1, 14, 22), utc(2026, 1, 15, 0)),
      planned(utc(2026, 1, 15, 9), utc(2026, 1, 15, 9, 30)), // "first": 11:00–11:30
      planned(utc(2026, 1, 15, 10), utc(2026, 1, 15, 11)),
    ]);
  });

  test('maybe / mfirst / msecond are possible outages, kept apart from planned ones', () => {
    assert.deepEqual(intervalsOf(snapshot.days['GPV1.2']![0]), [
      planned(utc(2026, 1, 14, 10), utc(2026, 1, 14, 10, 30)),
      possible(utc(2026, 1, 14, 11), utc(2026, 1, 14, 12, 30)), // 13:00–14:30
      possible(utc(2026, 1, 14, 17, 30), utc(2026, 1, 14, 18)),
    ]);
  });

  test('the weekly preset template is not the plan: an all-"yes" day stays empty', () => {
    assert.deepEqual(intervalsOf(snapshot.days['GPV2.1']![0]), []);
    assert.deepEqual(intervalsOf(snapshot.days['GPV2.1']![1]), [planned(utc(2026, 1, 15, 2, 30), utc(2026, 1, 15, 3, 30))]);
  });

  test('"as of" is fact.update in local time; queues carry their names; a named queue without days is listed', () => {
    assert.equal(snapshot.asOf, utc(2026, 1, 14, 18, 5));
    assert.deepEqual(
      snapshot.queues.map((q) => `${q.id}=${q.label}`),
      ['GPV1.1=Черга 1.1', 'GPV1.2=Черга 1.2', 'GPV2.1=Черга 2.1', 'GPV2.2=Черга 2.2'],
    );
    assert.deepEqual(snapshot.problems, []);
    assert.equal(findQueue(snapshot, '1.2')?.id, 'GPV1.2');
    assert.equal(findQueue(snapshot, 'gpv2.1')?.id, 'GPV2.1');
    assert.equal(findQueue(snapshot, '7.1'), undefined);
  });

  test('the 23-hour spring day: the missing hour is empty and the day is 23 hours', () => {
    const spring = parseGpv(fixture('gpv-dst-spring.json'), ZONE);
    const whole = spring.days['GPV2.1']![0]!;
    assert.equal(whole.end - whole.start, 23 * HOUR);
    assert.deepEqual(intervalsOf(whole), [planned(utc(2026, 3, 28, 22), utc(2026, 3, 29, 21))]);
    // hours 3, 4, 5 off: 02:00 EET … 05:00 EEST is two real hours
    assert.deepEqual(intervalsOf(spring.days['GPV1.1']![0]), [planned(utc(2026, 3, 29, 0), utc(2026, 3, 29, 2))]);
    // the first half of the hour that does not exist is nothing; 23:30–24:00 EEST is 20:30Z
    assert.deepEqual(intervalsOf(spring.days['GPV1.2']![0]), [planned(utc(2026, 3, 29, 20, 30), utc(2026, 3, 29, 21))]);
  });

  test('the 25-hour autumn day: the repeated hour lasts two real hours', () => {
    const autumn = parseGpv(fixture('gpv-dst-autumn.json'), ZONE);
    const whole = autumn.days['GPV2.1']![0]!;
    assert.equal(whole.end - whole.start, 25 * HOUR);
    assert.deepEqual(intervalsOf(autumn.days['GPV1.1']![0]), [planned(utc(2026, 10, 25, 0), utc(2026, 10, 25, 2))]);
    assert.deepEqual(intervalsOf(autumn.days['GPV1.2']![0]), [
      planned(utc(2026, 10, 25, 0), utc(2026, 10, 25, 0, 30)), // 03:00–03:30 EEST
      planned(utc(2026, 10, 25, 2, 30), utc(2026, 10, 25, 3)), // 04:30–05:00 EET
    ]);
  });

  test('a day key stamped at UTC midnight means the local date it falls on', () => {
    const stamped = parseGpv(fixture('gpv-utc-stamped.json'), ZONE);
    const [day] = stamped.days['GPV1.1']!;
    assert.equal(day!.day, '2026-01-20');
    assert.equal(day!.start, utc(2026, 1, 19, 22)); // the real local midnight, not the key
    assert.deepEqual(intervalsOf(day), [planned(utc(2026, 1, 20, 17), utc(2026, 1, 20, 18))]); // 19:00–20:00
    assert.deepEqual(stamped.queues, [
      { id: 'GPV1.1', label: null },
      { id: 'GPV1.2', label: null },
    ]);
    assert.equal(stamped.asOf, utc(2026, 1, 19, 17, 52));
    assert.deepEqual(stamped.problems, []);
  });

  test('unknown values, missing hours and odd day keys are refused with a clear reason, never guessed', () => {
    const odd = parseGpv(fixture('gpv-odd.json'), ZONE);
    assert.deepEqual(intervalsOf(odd.days['GPV1.1']![0]), [planned(utc(2026, 1, 15, 7), utc(2026, 1, 15, 8))]);
    const refused = (queue: string) => {
      const entry = odd.days[queue]![0]!;
      assert.equal(entry.status, 'unreadable');
      return entry.status === 'unreadable' ? entry.problem : '';
    };
    assert.match(refused('GPV1.2'), /GPV1\.2 on 2026-01-15: hour "11" has the unknown value "maybe2"/);
    assert.match(refused('GPV2.1'), /hours 7 are missing/);
    assert.match(refused('GPV2.2'), /not an object/);
    assert.equal(odd.days['GPV1.1']!.length, 1, 'the 23:00 key adds no day');
    assert.ok(odd.problems.some((p) => /1768510800 is 2026-01-15 23:00 local time, neither local nor UTC midnight/.test(p)), odd.problems.join('\n'));
    assert.ok(odd.problems.some((p) => /"tomorrow" is not a unix timestamp/.test(p)));
    assert.equal(odd.problems.length, 5);
    assert.deepEqual(
      odd.queues.map((q) => q.id),
      ['GPV1.1', 'GPV1.2', 'GPV2.1', 'GPV2.2', 'GPV1001.1'],
    );
    assert.equal(odd.queues[4]!.label, 'ЦЕК 1.1');
  });

  test('an empty fact.data written as [] means no days', () => {
    const empty = parseGpv(fixture('gpv-empty.json'), ZONE);
    assert.deepEqual(empty.days, {});
    assert.deepEqual(
      empty.queues.map((q) => q.id),
      ['GPV1.1', 'GPV1.2'],
    );
    assert.equal(empty.asOf, utc(2026, 7, 24, 5, 30));
  });

  test('a body that is not a GPV file at all is refused as a whole', () => {
    assert.throws(() => parseGpv('<html>rate limited</html>', ZONE), ScheduleFormatError);
    assert.throws(() => parseGpv('[1,2]', ZONE), /not an object/);
    assert.throws(() => parseGpv('{"regionId":"x"}', ZONE), /no "fact" object/);
    assert.throws(() => parseGpv('{"fact":{"data":"soon"}}', ZONE), /"fact.data" is not an object/);
  });
});
