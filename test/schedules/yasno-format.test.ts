import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ScheduleFormatError } from '../../src/schedules/snapshot.js';
import { parseYasno } from '../../src/schedules/yasno-format.js';
import { fixture, utc, ZONE } from './fixture.js';

describe('Yasno planned outages', () => {
  const snapshot = parseYasno(fixture('yasno-small.json'), ZONE);

  test('Definite slots are planned outages, minutes from local midnight; NotPlanned is power', () => {
    const [today, tomorrow] = snapshot.days['1.1']!;
    assert.equal(today!.day, '2026-01-29');
    assert.equal(today!.status, 'plan');
    assert.deepEqual(today!.status === 'plan' && today!.intervals, [
      { start: utc(2026, 1, 28, 22), end: utc(2026, 1, 28, 23, 30), kind: 'planned' },
      { start: utc(2026, 1, 29, 6), end: utc(2026, 1, 29, 13, 30), kind: 'planned' },
      { start: utc(2026, 1, 29, 16), end: utc(2026, 1, 29, 22), kind: 'planned' },
    ]);
    assert.deepEqual({ day: tomorrow!.day, status: tomorrow!.status }, { day: '2026-01-30', status: 'waiting' });
  });

  test('every day status maps to what it means; NoOutages is a real empty plan', () => {
    const [emergency, none] = snapshot.days['3.1']!;
    assert.equal(emergency!.status, 'emergency');
    assert.deepEqual(none!.status === 'plan' && none!.intervals, []);
    assert.equal(snapshot.days['2.1']![1]!.status, 'plan');
  });

  test('an unknown status or slot type refuses that day with a clear reason', () => {
    const [today, tomorrow] = snapshot.days['4.1']!;
    assert.equal(today!.status, 'unreadable');
    assert.match(today!.status === 'unreadable' ? today!.problem : '', /group 4\.1 on 2026-01-29: unknown status "SomethingNew"/);
    assert.match(tomorrow!.status === 'unreadable' ? tomorrow!.problem : '', /unknown type "Probable"/);
    assert.equal(snapshot.problems.length, 2);
  });

  test('queues in natural order; "as of" is the latest updatedOn', () => {
    assert.deepEqual(
      snapshot.queues.map((q) => q.id),
      ['1.1', '2.1', '3.1', '4.1'],
    );
    assert.equal(snapshot.asOf, utc(2026, 1, 28, 21));
  });

  test('on the 23-hour day slots are wall-clock minutes, and a night outage runs on into the next day', () => {
    const dst = parseYasno(fixture('yasno-dst.json'), ZONE);
    const [sunday, monday] = dst.days['1.1']!;
    assert.deepEqual(sunday!.status === 'plan' && sunday!.intervals, [
      { start: utc(2026, 3, 29, 0), end: utc(2026, 3, 29, 2), kind: 'planned' }, // 02:00 EET – 05:00 EEST
      { start: utc(2026, 3, 29, 20), end: utc(2026, 3, 29, 21), kind: 'planned' },
    ]);
    assert.deepEqual(monday!.status === 'plan' && monday!.intervals, [{ start: utc(2026, 3, 29, 21), end: utc(2026, 3, 29, 22), kind: 'planned' }]);
  });

  test('malformed slots and bodies are refused', () => {
    const body = (day: unknown) => JSON.stringify({ '1.1': { today: day } });
    const minutes = parseYasno(body({ date: '2026-01-29T00:00:00+02:00', status: 'ScheduleApplies', slots: [{ start: 600, end: 1500, type: 'Definite' }] }), ZONE);
    assert.match(minutes.problems[0] ?? '', /unreadable minutes/);
    const contradiction = parseYasno(body({ date: '2026-01-29T00:00:00+02:00', status: 'NoOutages', slots: [{ start: 0, end: 60, type: 'Definite' }] }), ZONE);
    assert.match(contradiction.problems[0] ?? '', /NoOutages but the slots list outages/);
    const undated = parseYasno(body({ date: 'tomorrow', status: 'NoOutages', slots: [] }), ZONE);
    assert.deepEqual(undated.days['1.1'], []);
    assert.match(undated.problems[0] ?? '', /no readable date/);
    assert.throws(() => parseYasno('not json', ZONE), ScheduleFormatError);
  });
});
