import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { PowerInterval } from '../../src/diagram/timeline.js';
import { monthPeriod, statsPeriod } from '../../src/reports/periods.js';
import { pictureLabels } from '../../src/reports/picture-labels.js';
import type { PlannedInterval } from '../../src/reports/plan.js';
import { summarizeDays, summarizeMonth, summarizeWeek, type ReportInput } from '../../src/reports/summary.js';
import { formatMonthlyCaption, formatStatsCaption, formatWeeklySummary, sharePercent, weeklySummaryLines } from '../../src/reports/texts.js';
import { createI18n, translatorFor, type Locale, type Translate } from '../../src/i18n/translator.js';
import { KYIV, kyiv } from './sample-month.js';
import { repositoryPath } from '../support/repository.js';

const HOUR = 3_600_000;
const i18n = createI18n();

/** Every report-* message asked for, per locale, to prove each text was seen in both languages. */
const asked: Record<Locale, Set<string>> = { uk: new Set(), en: new Set() };
function translator(locale: Locale): Translate {
  const t = translatorFor(i18n, locale);
  return (key, variables) => {
    asked[locale].add(key);
    return t(key, variables);
  };
}
const uk = translator('uk');
const en = translator('en');

function state(status: PowerInterval['status'], start: string, end: string | null): PowerInterval {
  return { status, startedAt: kyiv(start), endedAt: end === null ? null : kyiv(end) };
}

function onWithOutages(from: string, outages: [string, string][]): PowerInterval[] {
  const intervals: PowerInterval[] = [];
  let cursor = from;
  for (const [start, end] of outages) {
    intervals.push(state('on', cursor, start), state('off', start, end));
    cursor = end;
  }
  intervals.push(state('on', cursor, null));
  return intervals;
}

const input = (intervals: PowerInterval[], now: string, createdAt = '2025-01-01T00:00', plan?: PlannedInterval[]): ReportInput => ({
  intervals,
  now: kyiv(now),
  placeCreatedAt: kyiv(createdAt),
  timeZone: KYIV,
  ...(plan ? { plan } : {}),
});

// The week Mon 17 – Sun 23 Nov 2025 and the one before, as in summary.test.ts.
const WEEK_OUTAGES: [string, string][] = [
  ['2025-11-11T10:00', '2025-11-11T14:00'],
  ['2025-11-13T20:00', '2025-11-13T21:30'],
  ['2025-11-16T22:00', '2025-11-17T02:00'],
  ['2025-11-18T08:00', '2025-11-18T11:15'],
  ['2025-11-20T19:00', '2025-11-20T19:01:33'],
  ['2025-11-23T23:00', '2025-11-24T01:00'],
];
const MONDAY = '2025-11-24T09:00';

describe('share of the time with power', () => {
  it('rounds to whole percents but never hides an outage behind 100% or power behind 0%', () => {
    assert.equal(sharePercent({ onMs: 96 * HOUR, offMs: 4 * HOUR }), 96);
    assert.equal(sharePercent({ onMs: 999_700, offMs: 300 }), 99.9);
    assert.equal(sharePercent({ onMs: 300, offMs: 999_700 }), 0.1);
    assert.equal(sharePercent({ onMs: HOUR, offMs: 0 }), 100);
    assert.equal(sharePercent({ onMs: 0, offMs: HOUR }), 0);
  });
});

describe('weekly summary text', () => {
  const summary = summarizeWeek(input(onWithOutages('2025-11-01T00:00', WEEK_OUTAGES), MONDAY));

  it('is one short message in Ukrainian', () => {
    assert.equal(
      formatWeeklySummary(summary, { placeName: 'Дача <1>', timeZone: KYIV, t: uk }),
      [
        '📊 <b>Тиждень 17–23 листопада</b> · Дача &lt;1&gt;',
        '🔴 Без світла: 6 год 17 хв · 4 відключення',
        '⏱ Найдовше: 3 год 15 хв (вт, 18 листопада, з 08:00)',
        '💡 Світло було 96% часу',
        '📉 Без світла на 1 год 13 хв менше, ніж минулого тижня (тоді 7 год 30 хв)',
      ].join('\n'),
    );
  });

  it('is one short message in English', () => {
    assert.equal(
      formatWeeklySummary(summary, { placeName: 'Dacha', timeZone: KYIV, t: en }),
      [
        '📊 <b>Week 17–23 Nov</b> · Dacha',
        '🔴 Without power: 6 h 17 min · 4 outages',
        '⏱ Longest: 3 h 15 min (Tue 18 Nov, from 08:00)',
        '💡 Power was on 96% of the time',
        '📉 1 h 13 min less without power than the week before (7 h 30 min then)',
      ].join('\n'),
    );
  });

  it('is a list of Fluent messages with their variables', () => {
    const lines = weeklySummaryLines(summary, { placeName: 'Dacha', timeZone: KYIV, t: en });
    assert.deepEqual(lines.map((line) => line.key), ['report-weekly-title', 'report-off-total', 'report-longest', 'report-power-share', 'report-compare-week']);
    assert.deepEqual(lines[1]?.variables, { duration: '6 h 17 min', outages: 4 });
    assert.deepEqual(lines[4]?.variables, { direction: 'less', delta: '1 h 13 min', previous: '7 h 30 min' });
  });

  it('says when the week was worse, or the same, and uses the plural forms', () => {
    const worse = summarizeWeek(input(onWithOutages('2025-11-01T00:00', [['2025-11-12T10:00', '2025-11-12T11:00'], ['2025-11-19T10:00', '2025-11-19T13:00']]), MONDAY));
    assert.equal(lastLine(formatWeeklySummary(worse, { placeName: 'Дім', timeZone: KYIV, t: uk })), '📈 Без світла на 2 год більше, ніж минулого тижня (тоді 1 год)');
    assert.equal(lastLine(formatWeeklySummary(worse, { placeName: 'Home', timeZone: KYIV, t: en })), '📈 2 h more without power than the week before (1 h then)');
    assert.match(formatWeeklySummary(worse, { placeName: 'Дім', timeZone: KYIV, t: uk }), /Без світла: 3 год · 1 відключення\n/);
    assert.match(formatWeeklySummary(worse, { placeName: 'Home', timeZone: KYIV, t: en }), /Without power: 3 h · one outage\n/);

    const same = summarizeWeek(input(onWithOutages('2025-11-01T00:00', [['2025-11-12T10:00', '2025-11-12T11:00'], ['2025-11-19T10:00', '2025-11-19T11:00']]), MONDAY));
    assert.equal(lastLine(formatWeeklySummary(same, { placeName: 'Дім', timeZone: KYIV, t: uk })), '↔️ Без світла стільки ж, як минулого тижня');
    assert.equal(lastLine(formatWeeklySummary(same, { placeName: 'Home', timeZone: KYIV, t: en })), '↔️ As much time without power as the week before');

    const many = summarizeWeek(
      input(onWithOutages('2025-11-01T00:00', Array.from({ length: 5 }, (_, day): [string, string] => [`2025-11-${17 + day}T10:00`, `2025-11-${17 + day}T11:00`])), MONDAY),
    );
    assert.match(formatWeeklySummary(many, { placeName: 'Дім', timeZone: KYIV, t: uk }), /Без світла: 5 год · 5 відключень\n/);
  });

  it('a week without outages, and a week with nothing known', () => {
    const quiet = summarizeWeek(input([state('on', '2025-11-01T00:00', null)], MONDAY));
    assert.equal(formatWeeklySummary(quiet, { placeName: 'Дім', timeZone: KYIV, t: uk }), '📊 <b>Тиждень 17–23 листопада</b> · Дім\n🟢 Відключень не було.\n↔️ Без світла стільки ж, як минулого тижня');
    assert.equal(formatWeeklySummary(quiet, { placeName: 'Home', timeZone: KYIV, t: en }), '📊 <b>Week 17–23 Nov</b> · Home\n🟢 No outages.\n↔️ As much time without power as the week before');
    const nothing = summarizeWeek(input([], MONDAY));
    assert.equal(
      formatWeeklySummary(nothing, { placeName: 'Дім', timeZone: KYIV, t: uk }),
      '📊 <b>Тиждень 17–23 листопада</b> · Дім\nДаних за цей час немає: монітор не отримував сигналів від пристрою.',
    );
    assert.equal(
      formatWeeklySummary(nothing, { placeName: 'Home', timeZone: KYIV, t: en }),
      '📊 <b>Week 17–23 Nov</b> · Home\nNo data for this time: the monitor heard nothing from the device.',
    );
  });

  it('a place added mid-week: the unknown part is named and the comparison falls back to the share', () => {
    // Added on Friday 14 Nov: the week before is known for 3 of 7 days, with 2 h off.
    const added = summarizeWeek(
      input(onWithOutages('2025-11-14T00:00', [['2025-11-15T10:00', '2025-11-15T12:00'], ['2025-11-19T10:00', '2025-11-19T11:00']]), MONDAY, '2025-11-14T00:00'),
    );
    const partial = added.previous;
    assert.equal(partial.unknownMs, 96 * HOUR);
    assert.equal(
      formatWeeklySummary(added, { placeName: 'Дім', timeZone: KYIV, t: uk }),
      [
        '📊 <b>Тиждень 17–23 листопада</b> · Дім',
        '🔴 Без світла: 1 год · 1 відключення',
        '⏱ Найдовше: 1 год (ср, 19 листопада, з 10:00)',
        '💡 Світло було 99% часу',
        '⚖️ Минулого тижня світло було 97% часу (години не порівняти: дані неповні)',
      ].join('\n'),
    );
    assert.equal(
      lastLine(formatWeeklySummary(added, { placeName: 'Home', timeZone: KYIV, t: en })),
      "⚖️ The week before, power was on 97% of the time (hours don't compare: the data is incomplete)",
    );
    // The week before itself, reported on its own Monday: 4 of 7 days unknown.
    const before = summarizeWeek(input(onWithOutages('2025-11-14T00:00', [['2025-11-15T10:00', '2025-11-15T12:00']]), '2025-11-17T09:00', '2025-11-14T00:00'));
    assert.match(formatWeeklySummary(before, { placeName: 'Дім', timeZone: KYIV, t: uk }), /\n❔ Без даних: 96 год — цей час не враховано\.$/);
    assert.match(formatWeeklySummary(before, { placeName: 'Home', timeZone: KYIV, t: en }), /\n❔ No data for 96 h; that time is not counted\.$/);
  });

  it('with a schedule: planned hours against real hours, and what the plan did not announce', () => {
    const plan: PlannedInterval[] = [
      { kind: 'planned', from: kyiv('2025-11-18T08:00'), to: kyiv('2025-11-18T12:00') },
      { kind: 'possible', from: kyiv('2025-11-21T08:00'), to: kyiv('2025-11-21T10:00') },
    ];
    const planned = summarizeWeek(input(onWithOutages('2025-11-01T00:00', WEEK_OUTAGES), MONDAY, '2025-01-01T00:00', plan));
    const ukText = formatWeeklySummary(planned, { placeName: 'Дім', timeZone: KYIV, t: uk });
    assert.match(ukText, /\n🗓 За графіком: 4 год, можливо ще 2 год · насправді: 6 год 17 хв\n⚠️ Поза графіком: 3 год 2 хв\n/);
    const enText = formatWeeklySummary(planned, { placeName: 'Home', timeZone: KYIV, t: en });
    assert.match(enText, /\n🗓 Scheduled: 4 h, possibly 2 h more · actual: 6 h 17 min\n⚠️ Outside the schedule: 3 h 2 min\n/);
    const onlyPlanned = summarizeWeek(input(onWithOutages('2025-11-01T00:00', [['2025-11-18T08:00', '2025-11-18T11:00']]), MONDAY, '2025-01-01T00:00', plan.slice(0, 1)));
    assert.match(formatWeeklySummary(onlyPlanned, { placeName: 'Дім', timeZone: KYIV, t: uk }), /\n🗓 За графіком: 4 год · насправді: 3 год\n(?!⚠️)/);
    assert.match(formatWeeklySummary(onlyPlanned, { placeName: 'Home', timeZone: KYIV, t: en }), /\n🗓 Scheduled: 4 h · actual: 3 h\n(?!⚠️)/);
  });
});

describe('monthly caption', () => {
  // November 2025: three outages; October: one of 2 h.
  const intervals = onWithOutages('2025-10-01T00:00', [
    ['2025-10-10T10:00', '2025-10-10T12:00'],
    ['2025-11-05T08:00', '2025-11-05T12:30'],
    ['2025-11-05T18:00', '2025-11-05T19:00'],
    ['2025-11-20T21:00', '2025-11-21T00:30'],
  ]);
  const november = summarizeMonth(input(intervals, '2025-12-01T09:00', '2025-09-01T00:00'));

  it('reads naturally in Ukrainian', () => {
    assert.equal(
      formatMonthlyCaption(november, { placeName: 'Дача', timeZone: KYIV, t: uk }),
      [
        '📅 <b>Листопад 2025</b> · Дача',
        '🔴 Без світла: 9 год · 3 відключення',
        '⏱ Найдовше: 4 год 30 хв (ср, 5 листопада, з 08:00)',
        '📆 Найважчий день: ср, 5 листопада — 5 год 30 хв без світла',
        '💡 Світло було 99% часу',
        '📈 Без світла на 7 год більше, ніж минулого місяця (тоді 2 год)',
      ].join('\n'),
    );
  });

  it('reads naturally in English', () => {
    assert.equal(
      formatMonthlyCaption(november, { placeName: 'Dacha', timeZone: KYIV, t: en }),
      [
        '📅 <b>November 2025</b> · Dacha',
        '🔴 Without power: 9 h · 3 outages',
        '⏱ Longest: 4 h 30 min (Wed 5 Nov, from 08:00)',
        '📆 Hardest day: Wed 5 Nov, 5 h 30 min without power',
        '💡 Power was on 99% of the time',
        '📈 7 h more without power than the month before (2 h then)',
      ].join('\n'),
    );
  });

  it('compares only the share with a month known in part', () => {
    const added = summarizeMonth(input(intervals, '2025-12-01T09:00', '2025-10-20T00:00'));
    assert.equal(lastLine(formatMonthlyCaption(added, { placeName: 'Дача', timeZone: KYIV, t: uk })), '⚖️ Минулого місяця світло було 100% часу (години не порівняти: дані неповні)');
    assert.equal(
      lastLine(formatMonthlyCaption(added, { placeName: 'Dacha', timeZone: KYIV, t: en })),
      "⚖️ The month before, power was on 100% of the time (hours don't compare: the data is incomplete)",
    );
  });

  it('has no comparison when nothing is known of the month before; a near-full share keeps its decimal', () => {
    // October: the first month with data (2 h off in 745 h: 99.7%, not a rounded-up 100%).
    const october = summarizeMonth(input(intervals, '2025-11-01T09:00', '2025-09-01T00:00'), monthPeriod({ year: 2025, month: 10 }, KYIV));
    assert.equal(october.comparison, null);
    assert.equal(
      formatMonthlyCaption(october, { placeName: 'Дача', timeZone: KYIV, t: uk }),
      [
        '📅 <b>Жовтень 2025</b> · Дача',
        '🔴 Без світла: 2 год · 1 відключення',
        '⏱ Найдовше: 2 год (пт, 10 жовтня, з 10:00)',
        '📆 Найважчий день: пт, 10 жовтня — 2 год без світла',
        '💡 Світло було 99,7% часу',
      ].join('\n'),
    );
    assert.equal(lastLine(formatMonthlyCaption(october, { placeName: 'Dacha', timeZone: KYIV, t: en })), '💡 Power was on 99.7% of the time');
  });

  it('with less time off than the month before', () => {
    const december = summarizeMonth(input(intervals, '2026-01-01T09:00', '2025-09-01T00:00'));
    assert.match(formatMonthlyCaption(december, { placeName: 'Дача', timeZone: KYIV, t: uk }), /^📅 <b>Грудень 2025<\/b> · Дача\n🟢 Відключень не було\.\n📉 Без світла на 9 год менше, ніж минулого місяця \(тоді 9 год\)$/);
    assert.match(formatMonthlyCaption(december, { placeName: 'Dacha', timeZone: KYIV, t: en }), /^📅 <b>December 2025<\/b> · Dacha\n🟢 No outages\.\n📉 9 h less without power than the month before \(9 h then\)$/);
  });
});

describe('stats caption', () => {
  const intervals = onWithOutages('2025-10-01T00:00', [['2025-10-10T10:00', '2025-10-10T12:00'], ['2025-11-18T08:00', '2025-11-18T09:30']]);
  const now = '2025-11-19T15:40';

  it('names the days for 7 and 30 days and this month, the month for last month', () => {
    const caption = (kind: Parameters<typeof statsPeriod>[0], t: Translate, place: string): string => {
      const period = statsPeriod(kind, kyiv(now), KYIV);
      return formatStatsCaption(summarizeDays(input(intervals, now), period), period, { placeName: place, timeZone: KYIV, t });
    };
    assert.equal(
      caption('7-days', uk, 'Дім'),
      '📊 <b>13–19 листопада</b> · Дім\n🔴 Без світла: 1 год 30 хв · 1 відключення\n⏱ Найдовше: 1 год 30 хв (вт, 18 листопада, з 08:00)\n💡 Світло було 99% часу',
    );
    assert.equal(
      caption('7-days', en, 'Home'),
      '📊 <b>13–19 Nov</b> · Home\n🔴 Without power: 1 h 30 min · one outage\n⏱ Longest: 1 h 30 min (Tue 18 Nov, from 08:00)\n💡 Power was on 99% of the time',
    );
    assert.match(caption('30-days', uk, 'Дім'), /^📊 <b>21 жовтня – 19 листопада<\/b> · Дім\n/);
    assert.match(caption('30-days', en, 'Home'), /^📊 <b>21 Oct – 19 Nov<\/b> · Home\n/);
    assert.match(caption('this-month', uk, 'Дім'), /^📊 <b>1–19 листопада<\/b> · Дім\n/);
    assert.match(caption('last-month', uk, 'Дім'), /^📊 <b>Жовтень 2025<\/b> · Дім\n🔴 Без світла: 2 год · 1 відключення\n/);
    assert.match(caption('last-month', en, 'Home'), /^📊 <b>October 2025<\/b> · Home\n🔴 Without power: 2 h · one outage\n/);
  });
});

describe('month picture labels', () => {
  const days = (summary: ReturnType<typeof summarizeDays>) => summary.days;

  it('title, totals, day labels and legend in both languages', () => {
    const intervals = onWithOutages('2025-10-01T00:00', [['2025-11-05T08:00', '2025-11-05T12:30'], ['2025-11-05T18:00', '2025-11-05T19:00']]);
    const summary = summarizeDays(input(intervals, '2025-12-01T09:00', '2025-11-03T12:00'), monthPeriod({ year: 2025, month: 11 }, KYIV));
    const ukLabels = pictureLabels({ placeName: 'Дача', periodTitle: 'Листопад 2025', totals: summary.totals, days: days(summary), t: uk });
    assert.equal(ukLabels.title, 'Дача · Листопад 2025');
    assert.deepEqual(ukLabels.totals, ['Без світла: 5 год 30 хв · відключень: 2 · найдовше: 4 год 30 хв', 'Світло було 99% часу · без даних: 60 год']);
    assert.deepEqual(ukLabels.days.slice(0, 3), [{ weekday: 'Сб', dayOfMonth: '1' }, { weekday: 'Нд', dayOfMonth: '2' }, { weekday: 'Пн', dayOfMonth: '3' }]);
    assert.deepEqual(ukLabels.legend, { on: 'Світло є', off: 'Світла немає', unknown: 'Немає даних', future: 'Ще попереду' });
    const enLabels = pictureLabels({ placeName: 'Dacha', periodTitle: 'November 2025', totals: summary.totals, days: days(summary), t: en });
    assert.equal(enLabels.title, 'Dacha · November 2025');
    assert.deepEqual(enLabels.totals, ['Without power: 5 h 30 min · outages: 2 · longest: 4 h 30 min', 'Power was on 99% of the time · no data for 60 h']);
    assert.deepEqual(enLabels.days.slice(0, 3), [{ weekday: 'Sat', dayOfMonth: '1' }, { weekday: 'Sun', dayOfMonth: '2' }, { weekday: 'Mon', dayOfMonth: '3' }]);
    assert.deepEqual(enLabels.legend, { on: 'Power on', off: 'Power off', unknown: 'No data', future: 'Yet to come' });
  });

  it('no outages, no data, and a long place name', () => {
    const period = monthPeriod({ year: 2025, month: 11 }, KYIV);
    const quiet = summarizeDays(input([state('on', '2025-10-01T00:00', null)], '2025-12-01T09:00'), period);
    assert.deepEqual(pictureLabels({ placeName: 'Дім', periodTitle: 'x', totals: quiet.totals, days: days(quiet), t: uk }).totals, ['Відключень не було']);
    assert.deepEqual(pictureLabels({ placeName: 'Home', periodTitle: 'x', totals: quiet.totals, days: days(quiet), t: en }).totals, ['No outages']);
    const added = summarizeDays(input([state('on', '2025-10-01T00:00', null)], '2025-12-01T09:00', '2025-11-29T00:00'), period);
    assert.deepEqual(pictureLabels({ placeName: 'Дім', periodTitle: 'x', totals: added.totals, days: days(added), t: uk }).totals, ['Відключень не було', 'Без даних: 672 год']);
    assert.deepEqual(pictureLabels({ placeName: 'Home', periodTitle: 'x', totals: added.totals, days: days(added), t: en }).totals, ['No outages', 'No data for 672 h']);
    const nothing = summarizeDays(input([], '2025-12-01T09:00'), period);
    assert.deepEqual(pictureLabels({ placeName: 'Дім', periodTitle: 'x', totals: nothing.totals, days: days(nothing), t: uk }).totals, ['Даних немає']);
    assert.deepEqual(pictureLabels({ placeName: 'Home', periodTitle: 'x', totals: nothing.totals, days: days(nothing), t: en }).totals, ['No data']);
    const long = pictureLabels({ placeName: '  A   very long place name that goes on and on ', periodTitle: 'November 2025', totals: nothing.totals, days: days(nothing), t: en });
    assert.equal(long.title, 'A very long place name that… · November 2025');
  });
});

function lastLine(text: string): string {
  return text.split('\n').at(-1) ?? '';
}

after(() => {
  // Every report-* message of the locale files was rendered by the tests above, in both languages.
  const keys = (locale: Locale): string[] =>
    readFileSync(repositoryPath('locales', `${locale}.ftl`), 'utf8')
      .split('\n')
      .map((line) => /^(report-[a-z0-9-]*) =/.exec(line)?.[1])
      .filter((key) => key !== undefined)
      .sort();
  for (const locale of ['uk', 'en'] as const) {
    assert.deepEqual([...asked[locale]].filter((key) => key.startsWith('report-')).sort(), keys(locale), `every report text in ${locale}`);
  }
});
