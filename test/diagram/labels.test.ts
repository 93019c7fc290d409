import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagramLabels } from '../../src/diagram/labels.js';
import { buildWeekTimeline, type PowerInterval } from '../../src/diagram/timeline.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { KYIV, kyiv } from './sample-week.js';

const i18n = createI18n();
const uk = translatorFor(i18n, 'uk');
const en = translatorFor(i18n, 'en');

function weekEnding(now: string, intervals: PowerInterval[] = []) {
  return buildWeekTimeline({ intervals, now: kyiv(now), placeCreatedAt: 0, timeZone: KYIV });
}

function outage(start: string, end: string): PowerInterval {
  return { status: 'off', startedAt: kyiv(start), endedAt: kyiv(end) };
}

/** On all week with three outages: 2 h 10 min, 2 h and 1 h 10 min. */
const THREE_OUTAGES: PowerInterval[] = [
  { status: 'on', startedAt: kyiv('2025-11-01T00:00'), endedAt: null },
  outage('2025-11-18T08:00', '2025-11-18T10:10'),
  outage('2025-11-19T01:00', '2025-11-19T03:00'),
  outage('2025-11-22T23:30', '2025-11-23T00:40'),
];

describe('diagramLabels', () => {
  it('writes the Ukrainian title, weekdays and totals', () => {
    const labels = diagramLabels(uk, 'Дім', weekEnding('2025-11-23T12:00', THREE_OUTAGES));
    assert.equal(labels.title, 'Дім · 17–23 листопада');
    assert.equal(labels.totals, 'Без світла: 5 год 20 хв · відключень: 3 · найдовше: 2 год 10 хв');
    assert.deepEqual(labels.days.map((day) => day.weekday), ['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Нд']);
    assert.deepEqual(labels.days.map((day) => day.dayOfMonth), ['17', '18', '19', '20', '21', '22', '23']);
    assert.deepEqual(labels.legend, { on: 'Світло є', off: 'Світла немає', unknown: 'Немає даних', future: 'Ще попереду' });
  });

  it('writes the English title, weekdays and totals', () => {
    const labels = diagramLabels(en, 'Home', weekEnding('2025-11-23T12:00', THREE_OUTAGES));
    assert.equal(labels.title, 'Home · 17–23 Nov');
    assert.equal(labels.totals, 'Off: 5 h 20 min · outages: 3 · longest: 2 h 10 min');
    assert.deepEqual(labels.days.map((day) => day.weekday), ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    assert.deepEqual(labels.legend, { on: 'Power on', off: 'Power off', unknown: 'No data', future: 'Yet to come' });
  });

  it('names both months when the week crosses one', () => {
    const week = weekEnding('2025-11-02T12:00');
    assert.equal(diagramLabels(uk, 'Дача', week).title, 'Дача · 27 жовтня – 2 листопада');
    assert.equal(diagramLabels(en, 'Dacha', week).title, 'Dacha · 27 Oct – 2 Nov');
  });

  it('says there were no outages, or no data at all', () => {
    const quiet = weekEnding('2025-11-23T12:00', [{ status: 'on', startedAt: kyiv('2025-11-01T00:00'), endedAt: null }]);
    assert.equal(diagramLabels(uk, 'Дім', quiet).totals, 'Відключень не було');
    assert.equal(diagramLabels(en, 'Home', quiet).totals, 'No outages');
    assert.equal(diagramLabels(uk, 'Дім', weekEnding('2025-11-23T12:00')).totals, 'Даних ще немає');
    assert.equal(diagramLabels(en, 'Home', weekEnding('2025-11-23T12:00')).totals, 'No data yet');
  });

  it('shows short outages in minutes and whole hours without minutes', () => {
    const week = weekEnding('2025-11-23T12:00', [
      { status: 'on', startedAt: kyiv('2025-11-01T00:00'), endedAt: null },
      outage('2025-11-18T08:00', '2025-11-18T08:45'),
      outage('2025-11-19T08:00', '2025-11-19T09:15'),
    ]);
    assert.equal(diagramLabels(en, 'Home', week).totals, 'Off: 2 h · outages: 2 · longest: 1 h 15 min');
    assert.equal(diagramLabels(uk, 'Дім', week).totals, 'Без світла: 2 год · відключень: 2 · найдовше: 1 год 15 хв');
  });

  it('keeps a week of long outages in hours, not days', () => {
    const week = weekEnding('2025-11-23T12:00', [
      { status: 'on', startedAt: kyiv('2025-11-01T00:00'), endedAt: null },
      outage('2025-11-18T06:00', '2025-11-19T12:05'),
    ]);
    assert.equal(diagramLabels(en, 'Home', week).totals, 'Off: 30 h 5 min · outages: 1 · longest: 30 h 5 min');
    assert.equal(diagramLabels(uk, 'Дім', week).totals, 'Без світла: 30 год 5 хв · відключень: 1 · найдовше: 30 год 5 хв');
  });

  it('cuts a very long place name so the week still fits', () => {
    const labels = diagramLabels(en, '  A   very long place name that goes on and on  ', weekEnding('2025-11-23T12:00'));
    assert.equal(labels.title, 'A very long place name that… · 17–23 Nov');
  });
});
